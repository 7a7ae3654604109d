package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.ClusterState;
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
 * seen, a newer version replacing an older, a tombstone and a Deleted state dropping the cluster, an undecodable record
 * skipped without stopping the view, and a restarted view reading it all again from the start.
 */
class FleetStateViewIntegrationTest {

    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void everyClustersLatestStateOnEveryPartitionIsSeenAndADeletedClusterIsDropped() throws Exception {
        try (ExecutorWorld world = new ExecutorWorld(3);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers(),
                     "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            write(world, producer, 0, "alpha", version(TestStates.created("alpha", 1, 1), 1)); // before the view starts: caught up on
            Set<String> changed = ConcurrentHashMap.newKeySet();
            FleetStateView view = new FleetStateView(world.config("fleet-1"), world.node.codecs().states(), changed::add);
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
                ExecutorWorld.await(T, "gamma gone once Deleted", () -> view.state("gamma").isEmpty());
                ExecutorWorld.await(T, "gamma's mirrors told", () -> changed.contains("gamma"));
            } finally {
                view.close();
            }

            write(world, producer, 1, "delta", version(TestStates.created("delta", 1, 1), 1));
            write(world, producer, 2, "omega", version(TestStates.created("omega", 1, 1), 1));
            FleetStateView restarted = new FleetStateView(world.config("fleet-2"), world.node.codecs().states(), id -> { });
            try {
                restarted.start();
                ExecutorWorld.await(T, "every partition read again from the start", () -> restarted.state("alpha").isPresent()
                        && restarted.state("delta").isPresent() && restarted.state("omega").isPresent());
                assertThat(restarted.state("alpha").orElseThrow().getVersion()).isEqualTo(3);
                assertThat(restarted.state("beta")).isEmpty();
                assertThat(restarted.state("gamma")).isEmpty();
            } finally {
                restarted.close();
            }
        }
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
