package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.registry.InMemorySchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * An executor's two readers of a real broker's state topic (two partitions), wired as the executor wires them: the state
 * feed (its group owning both partitions) and the fleet view, sharing one decoding, the view telling of each changed cluster
 * the feed's targets that mirror from it. A target is looked at again when its source changes, and no longer once its
 * mirror is deleted or the target is gone; each record is decoded once for both readers.
 */
class StateFeedIntegrationTest {

    private static final Duration T = Duration.ofSeconds(30);

    private final Topics topics = new Topics("feed" + UUID.randomUUID().toString().substring(0, 8) + ".");
    private AvroWireCodec<ClusterState> codec;
    private KafkaProducer<String, byte[]> producer;
    private final AtomicInteger decodes = new AtomicInteger();
    /** Targets the view's changes queued, as KubernetesExecutor.requeueMirrorsOf queues them. */
    private final List<String> requeued = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private StateFeed feed;
    private FleetStateView view;

    @BeforeEach
    void readers() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.state(), 2, (short) 1))).all().get();
        }
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.register(Topics.valueSubject(topics.state()), ClusterState.getClassSchema()); // as a node does at its start
        codec = Codecs.of(registry, topics).states();
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers(), "acks", "all"), new StringSerializer(),
                new ByteArraySerializer());
        ExecutorConfig config = ExecutorConfig.defaults(SharedKafka.bootstrapServers(), topics, "feed-1")
                .withGroupId("feed-" + UUID.randomUUID());
        StateDecodes shared = new StateDecodes(r -> {
            decodes.incrementAndGet();
            return StateRecords.decode(codec, r, "feed-1");
        });
        feed = new StateFeed(config, shared, s -> { }, ready::add, clusters -> { });
        view = new FleetStateView(config, shared, source -> requeued.addAll(feed.mirrorsOf(source)));
        feed.start();
        view.start();
    }

    @AfterEach
    void close() {
        if (view != null) {
            view.close();
        }
        if (feed != null) {
            feed.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void aTargetIsLookedAtAgainWhenItsSourceChangesUntilItsMirrorIsDeleted() throws Exception {
        ClusterState east = TestStates.created("east", 1, 1);
        ClusterState dr = Evolve.apply(TestStates.withComponent(TestStates.created("dr", 1, 1), "connect", 1, Map.of()),
                Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("m").setSourceCluster("east").build()));
        write(0, "east", east);
        write(1, "dr", dr);
        write(1, "other", TestStates.created("other", 1, 1)); // mirrors nothing
        ExecutorWorld.await(T, "dr owned, east in the view", () -> feed.owns("dr") && feed.owns("other") && view.state("east").isPresent());
        assertThat(feed.mirrorsOf("east")).containsExactly("dr");

        requeued.clear();
        write(0, "east", Evolve.apply(east, Commands.on("east").issuer("a").createTopic("orders", 1, 1, Map.of())));
        ExecutorWorld.await(T, "dr queued again by east's change", () -> requeued.contains("dr"));
        assertThat(requeued).as("only the target of east").containsOnly("dr");

        ClusterState withoutMirror = Evolve.apply(dr, Commands.on("dr").issuer("a").deleteMirror("m"));
        write(1, "dr", withoutMirror);
        ExecutorWorld.await(T, "dr's mirror deleted", () -> feed.owned("dr").orElseThrow().getSpec().getMirrors().isEmpty());
        requeued.clear();
        write(0, "east", Evolve.apply(east, Commands.on("east").issuer("a").createTopic("payments", 1, 1, Map.of())));
        ExecutorWorld.await(T, "east's next change in the view", () -> view.state("east").orElseThrow().getTopics().containsKey("payments"));
        assertThat(feed.mirrorsOf("east")).as("no mirror from east left").isEmpty();
        assertThat(requeued).isEmpty();

        write(1, "dr", dr); // mirrors east again, then is removed by its tombstone
        ExecutorWorld.await(T, "dr mirrors east again", () -> feed.mirrorsOf("east").contains("dr"));
        write(1, "dr", null);
        ExecutorWorld.await(T, "dr gone", () -> !feed.owns("dr"));
        assertThat(feed.mirrorsOf("east")).isEmpty();
    }

    @Test
    void eachRecordIsDecodedOnceForBothReaders() throws Exception {
        int records = 0;
        for (int v = 1; v <= 5; v++) {
            write(v % 2, "c" + v, TestStates.created("c" + v, 1, v));
            records++;
        }
        ExecutorWorld.await(T, "both readers caught up", () -> feed.owns("c5") && view.state("c5").isPresent());
        for (int v = 1; v <= 5; v++) {
            write(0, "c2", TestStates.created("c2", 1, 10 + v));
            records++;
        }
        ExecutorWorld.await(T, "both readers at c2's last state", () -> feed.owned("c2").orElseThrow().getSpec().getBrokers() == 15
                && view.state("c2").orElseThrow().getSpec().getBrokers() == 15);
        assertThat(decodes.get()).as("records written, each read by the feed and the view").isEqualTo(records);
    }

    private void write(int partition, String clusterId, ClusterState state) throws Exception {
        producer.send(new ProducerRecord<>(topics.state(), partition, clusterId, state == null ? null : codec.encode(state))).get();
    }
}
