package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.coxswain.avro.Topics;
import io.coxswain.avro.registry.InMemorySchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.sandbox.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.LoggerFactory;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.orchestrator.fold.Phases;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The fleet view on a real broker's state topic of three partitions, outside any consumer group: states on every partition
 * seen, a newer version replacing an older, a tombstone dropping the cluster and a Deleted state kept as a marker, an
 * undecodable record skipped without stopping the view, and a restarted view reading it all again from the start; and,
 * on a broker of its own, a view whose reading fails (Kafka gone when it starts) reading again once Kafka is back.
 */
class FleetStateViewIntegrationTest {

    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void everyClustersLatestStateOnEveryPartitionIsSeenAndADeletedClusterKeptAsDeleted() throws Exception {
        try (ExecutorWorld world = new ExecutorWorld(3);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers(),
                     "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            write(world, producer, 0, "alpha", version(TestStates.created("alpha", 1, 1), 1)); // before the view starts: caught up on
            Set<String> changed = ConcurrentHashMap.newKeySet();
            FleetStateView view = new FleetStateView(world.config("fleet-1"), new StateDecodes(world.node.codecs().states(), "fleet-1"), changed::add);
            try {
                view.start();
                ExecutorWorld.await(T, "alpha read on catching up", () -> view.state("alpha").isPresent());
                write(world, producer, 1, "beta", version(TestStates.created("beta", 1, 1), 1));
                write(world, producer, 2, "gamma", version(TestStates.created("gamma", 1, 3), 1));
                ExecutorWorld.await(T, "beta and gamma, on the two other partitions", () -> view.state("beta").isPresent()
                        && view.state("gamma").isPresent());
                assertThat(view.state("gamma").orElseThrow().getSpec().getBrokers()).isEqualTo(3);
                assertThat(changed).as("each told once its state is there to read").containsExactlyInAnyOrder("alpha", "beta", "gamma");

                write(world, producer, 0, "alpha", version(TestStates.created("alpha", 1, 2), 2));
                ExecutorWorld.await(T, "alpha's version 2", () -> view.state("alpha").orElseThrow().getVersion() == 2);
                assertThat(view.state("alpha").orElseThrow().getSpec().getBrokers()).isEqualTo(2);

                producer.send(new ProducerRecord<>(world.topics.state(), 0, "alpha", "not avro".getBytes(StandardCharsets.UTF_8))).get();
                write(world, producer, 1, "beta", null); // the tombstone of a cluster removed from the store
                ExecutorWorld.await(T, "beta gone after its tombstone", () -> view.state("beta").isEmpty());
                assertThat(view.state("alpha").orElseThrow().getVersion()).as("the undecodable record skipped").isEqualTo(2);
                write(world, producer, 0, "alpha", version(TestStates.created("alpha", 1, 2), 3));
                ExecutorWorld.await(T, "alpha's version 3, read past the undecodable record", () -> view.state("alpha").orElseThrow()
                        .getVersion() == 3);

                changed.clear();
                write(world, producer, 2, "gamma", deleted(version(TestStates.created("gamma", 1, 3), 2)));
                ExecutorWorld.await(T, "gamma kept as deleted", () -> view.state("gamma").filter(FleetStateViewIntegrationTest::isDeleted)
                        .isPresent());
                assertThat(view.state("gamma").orElseThrow().getVersion()).as("the version it was deleted at").isEqualTo(2);
                assertThat(view.state("gamma").orElseThrow().getSpec().getMirrors()).as("a marker, not its state").isEmpty();
                ExecutorWorld.await(T, "gamma's mirrors told", () -> changed.contains("gamma"));
            } finally {
                view.close();
            }

            write(world, producer, 1, "delta", version(TestStates.created("delta", 1, 1), 1));
            write(world, producer, 2, "omega", version(TestStates.created("omega", 1, 1), 1));
            FleetStateView restarted = new FleetStateView(world.config("fleet-2"), new StateDecodes(world.node.codecs().states(), "fleet-2"), id -> { });
            try {
                restarted.start();
                ExecutorWorld.await(T, "every partition read again from the start", () -> restarted.state("alpha").isPresent()
                        && restarted.state("delta").isPresent() && restarted.state("omega").isPresent());
                assertThat(restarted.state("alpha").orElseThrow().getVersion()).isEqualTo(3);
                assertThat(restarted.state("beta")).isEmpty();
                assertThat(restarted.state("gamma")).as("deleted, read again as such").get().matches(FleetStateViewIntegrationTest::isDeleted);
            } finally {
                restarted.close();
            }
        }
    }

    @Test
    void aViewWhoseReadingFailsSaysSoAndReadsEveryStateAgainOnceKafkaIsBack() throws Exception {
        Path dir = Files.createTempDirectory("coxswain-fleet-outage");
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(FleetStateView.class);
        logged.start();
        logger.addAppender(logged);
        Topics topics = new Topics("outage.");
        // the calls that need the broker give up after 2 s rather than 60 s: the failure comes soon
        ExecutorConfig config = ExecutorConfig.defaults(kafka.bootstrapServers(), topics, "fleet-outage")
                .withClientOverrides(Map.of("default.api.timeout.ms", 2000, "request.timeout.ms", 1000));
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.register(Topics.valueSubject(topics.state()), ClusterState.getClassSchema()); // as a node does at its start
        AvroWireCodec<ClusterState> codec = Codecs.of(registry, topics).states();
        FleetStateView view = new FleetStateView(config, new StateDecodes(codec, "fleet-outage"), id -> { });
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                         "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
                admin.createTopics(List.of(new NewTopic(topics.state(), 2, (short) 1))).all().get();
                producer.send(new ProducerRecord<>(topics.state(), 1, "alpha", codec.encode(TestStates.created("alpha", 1, 1)))).get();
            }
            kafka.close();

            view.start();
            ExecutorWorld.await(T, "the failed reading logged, with its retry", () -> errors(logged).anyMatch(m -> m.contains("fleet-outage")
                    && m.contains(topics.state()) && m.contains("failed") && m.contains("reading it again from the start in 1000 ms")));
            assertThat(view.state("alpha")).isEmpty();

            kafka = EmbeddedKafka.start(dir, kafka.port());
            ExecutorWorld.await(Duration.ofSeconds(90), "alpha read once Kafka is back", () -> view.state("alpha").isPresent());
            ExecutorWorld.await(T, "the recovery logged", () -> logged.list.stream().anyMatch(e -> e.getLevel() == Level.INFO
                    && e.getFormattedMessage().contains("again, after")));
        } finally {
            view.close();
            logger.detachAppender(logged);
            kafka.close();
            SharedKafka.deleteQuietly(dir);
        }
    }

    private static Stream<String> errors(ListAppender<ILoggingEvent> logged) {
        return List.copyOf(logged.list).stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage);
    }

    private static boolean isDeleted(ClusterState s) {
        return Phases.DELETED.equals(s.getStatus().getPhase());
    }

    private static ClusterState version(ClusterState s, long version) {
        return ClusterState.newBuilder(s).setVersion(version).build();
    }

    private static ClusterState deleted(ClusterState s) {
        ClusterStatus status = ClusterStatus.newBuilder(s.getStatus()).setPhase(Phases.DELETED).build();
        return ClusterState.newBuilder(s).setStatus(status).build();
    }

    private static void write(ExecutorWorld world, KafkaProducer<String, byte[]> producer, int partition, String clusterId,
                              ClusterState state) throws Exception {
        byte[] value = state == null ? null : world.node.codecs().states().encode(state);
        producer.send(new ProducerRecord<>(world.topics.state(), partition, clusterId, value)).get();
    }
}
