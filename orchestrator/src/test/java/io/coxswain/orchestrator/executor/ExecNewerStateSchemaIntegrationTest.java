package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.command.ExecutorRefusalsObserved;
import io.coxswain.avro.command.ReconciledObserved;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.registry.SchemaRegistries;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.NewerWriters;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.topology.NewerSchemas;
import io.coxswain.sandbox.kafka.SharedKafka;
import io.coxswain.sandbox.kube.PodRuntime;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real executor (real embedded Kafka, the sandbox Kubernetes) given a state a newer Coxswain's fold wrote, during a
 * rolling upgrade: its state schema has a spec field this executor lacks ({@link NewerWriters#stateSchema}), set. Avro
 * would drop it and the executor act on the rest (here: scale the brokers out); instead the cluster is held, nothing done
 * for it, the hold reported once as the executor refusal {@code stateSchema}, and a state the executor can read (the same
 * newer schema, the field back at its default) releases it. The states are written to the state topic by the test, as a
 * fold would, so that nothing but the test moves the cluster on; what the executor records is folded by {@link Evolve}.
 */
class ExecNewerStateSchemaIntegrationTest {

    private static final Duration T = Duration.ofSeconds(60);
    private static final Schema NEWER = NewerWriters.stateSchema();

    private final Topics topics = new Topics("newer" + UUID.randomUUID().toString().substring(0, 8) + ".");
    private SandboxKubernetes kube;
    private SchemaRegistry registry;
    private AvroWireCodec<ClusterState> codec;
    private KafkaProducer<String, byte[]> producer;
    private final RecordingSink sink = new RecordingSink();
    private KubernetesExecutor executor;

    @BeforeEach
    void start() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.state(), 1, (short) 1), new NewTopic(topics.commands(), 1, (short) 1),
                    new NewTopic(topics.schemas(), 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        // the registry a node keeps in the schemas topic, every shipped version registered as a node does at its start
        registry = SchemaRegistries.fromConfig(Map.of("bootstrap.servers", SharedKafka.bootstrapServers(), SchemaRegistries.TOPIC_PREFIX,
                topics.prefix()));
        ShippedSchemas.registerAll(registry, topics);
        codec = new AvroWireCodec<>(registry, Topics.valueSubject(topics.state()), ClusterState.class);
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers(), "acks", "all"), new StringSerializer(),
                new ByteArraySerializer());
        kube = SandboxKubernetes.start(0, PodRuntime.readyAtOnce());
        ExecutorConfig config = ExecutorConfig.defaults(SharedKafka.bootstrapServers(), topics, "exec-1")
                .withGroupId("newer-" + UUID.randomUUID()).withResync(Duration.ofSeconds(1));
        executor = KubernetesExecutor.start(config, kube.client(), ClusterOperations.none(), sink, null);
    }

    @AfterEach
    void stop() throws Exception {
        if (executor != null) {
            executor.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kube != null) {
            kube.close();
        }
    }

    @Test
    void aStateWithAFieldThisExecutorLacksIsHeldAndReportedUntilAStateItReadsArrives() throws Exception {
        ClusterState created = TestStates.created("shop", 1, 1);
        write(codec.encode(created));
        ExecutorWorld.await(T, "shop reconciled", () -> !sink.of(ReconciledObserved.class).isEmpty() && brokerReplicas() == 1);

        // a newer Coxswain scales shop out under a change freeze this executor cannot read
        ClusterState scaled = Evolve.apply(created, Commands.on("shop").commandId("scale-1").scaleBrokers(3));
        int before = sink.entries().size();
        write(NewerWriters.encode(registry, codec, NEWER, scaled, NewerWriters.changeFreeze("until the audit ends")));
        ExecutorWorld.await(T, "the hold reported", () -> refusalReports(before).size() == 1);
        ExecutorRefusalsObserved held = refusalReports(before).get(0);
        assertThat(held.getRefusals()).containsOnlyKeys(StateSchemaHolds.REFUSAL_KEY);
        ExecutorRefusalObserved refusal = held.getRefusals().get(StateSchemaHolds.REFUSAL_KEY);
        assertThat(refusal.getCommandId()).as("the intent the state holds").isEqualTo("scale-1");
        assertThat(refusal.getReason()).contains("cluster shop: its state was written with state schema v" + (NewerSchemas.STATE_VERSION + 1),
                "executor exec-1 reads state schema v" + NewerSchemas.STATE_VERSION,
                "it sets spec.changeFreeze, a field this executor does not know and would drop",
                "nothing is reconciled, stepped or deleted for the cluster", "Finish upgrading this executor");
        assertThat(executor.ownedClusters()).as("owned, though held").contains("shop");

        // the newer fold folds the report into the cluster's next state, as it does any refusal: cox get's Blocked line
        ClusterState reported = Evolve.apply(scaled, Commands.on("shop").commandId("obs-1").observation("exec-1", held));
        assertThat(reported.getStatus().getExecutorRefusals()).containsOnlyKeys(StateSchemaHolds.REFUSAL_KEY);
        write(NewerWriters.encode(registry, codec, NEWER, reported, NewerWriters.changeFreeze("until the audit ends")));
        long passes = executor.passes();
        ExecutorWorld.await(T, "three passes over shop since (resync every second)", () -> executor.passes() >= passes + 3);
        assertThat(brokerReplicas()).as("not scaled out: the state that asks for it is not acted on").isEqualTo(1);
        assertThat(sink.entries().subList(before, sink.entries().size())).as("no action and the hold reported once, not per pass")
                .extracting(RecordingSink.Entry::observation).noneMatch(ResourceActionObserved.class::isInstance)
                .filteredOn(ExecutorRefusalsObserved.class::isInstance).hasSize(1);

        // the freeze lifted: the same newer schema, its field at its default, is a state this executor reads whole
        ClusterState lifted = Evolve.apply(reported, Commands.on("shop").commandId("scale-2").scaleBrokers(3));
        write(NewerWriters.encode(registry, codec, NEWER, lifted, NewerWriters.changeFreeze(null)));
        ExecutorWorld.await(T, "shop scaled out", () -> brokerReplicas() == 3);
        ExecutorWorld.await(T, "the hold cleared", () -> refusalReports(before).size() == 2);
        assertThat(refusalReports(before).get(1).getRefusals()).as("nothing refused any more").isEmpty();
    }

    private List<ExecutorRefusalsObserved> refusalReports(int from) {
        List<RecordingSink.Entry> entries = sink.entries();
        return entries.subList(from, entries.size()).stream().map(RecordingSink.Entry::observation)
                .filter(ExecutorRefusalsObserved.class::isInstance).map(ExecutorRefusalsObserved.class::cast).toList();
    }

    private int brokerReplicas() {
        StatefulSet brokers = kube.client().apps().statefulSets().inNamespace("shop").withName("shop-broker").get();
        return brokers == null ? -1 : brokers.getSpec().getReplicas();
    }

    private void write(byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topics.state(), "shop", value)).get();
    }
}
