package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IncreasePartitions end to end on REAL Kafka nodes in the sandbox's pods: the command on the log,
 * the fold, the executor's pass, and the managed cluster's own answer to describeTopics; the action
 * it took is on the log, naming the counts and the command that caused it.
 */
class PartitionsEndToEndTest {

    private static final String CLUSTER = "parts";
    private static final String TOPIC = "orders";
    private static DriveWorld world;

    @BeforeAll
    static void createClusterAndTopic() throws Exception {
        // one controller and one broker: partitions need no second broker, and the machine is small
        world = DriveWorld.withReadyCluster("exec-parts", Commands.on(CLUSTER).issuer("test").commandId("create").createCluster("4.3.1", 1, 1, "1Gi"));
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("topic").createTopic(TOPIC, 2, 1, Map.of())))
                .isInstanceOf(Outcome.Accepted.class);
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void theManagedTopicGetsTheNewCountAndTheLogSaysWhy() {
        try (Admin admin = world.admin(CLUSTER, 1)) {
            increaseAndDescribe(admin);
        }
    }

    private void increaseAndDescribe(Admin admin) {
        awaitPartitions(admin, 2);
        assertThat(world.send(Commands.on(CLUSTER).issuer("alice").commandId("more-orders").increasePartitions(TOPIC, 5)))
                .isInstanceOf(Outcome.Accepted.class);
        awaitPartitions(admin, 5);
        assertThat(world.state(CLUSTER).orElseThrow().getTopics().get(TOPIC).getPartitions()).isEqualTo(5);

        DriveWorld.await(Duration.ofSeconds(30), () -> "the partition increase on the log", () -> !increases().isEmpty());
        assertThat(increases()).singleElement().satisfies(a -> {
            assertThat(a.getReason()).isEqualTo("IncreasePartitions: topic " + TOPIC + " has 2 partitions on the cluster, the state asks for 5");
            assertThat(a.getCauseCommandId()).isEqualTo("more-orders");
        });

        Outcome fewer = world.send(Commands.on(CLUSTER).issuer("alice").increasePartitions(TOPIC, 3));
        assertThat(fewer).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo(RejectionCode.PARTITIONS_CANNOT_DECREASE);
            assertThat(r.reason()).contains("Kafka cannot remove partitions");
        });
        assertThat(partitions(admin)).isEqualTo(5);
    }

    private static List<ResourceActionObserved> increases() {
        return world.actions(CLUSTER).stream()
                .filter(a -> a.getAction() == ResourceAction.UPDATE && a.getKind().equals("KafkaTopic") && a.getName().equals(TOPIC)).toList();
    }

    private static int partitions(Admin admin) {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().toCompletionStage().toCompletableFuture().join().get(TOPIC).partitions().size();
    }

    private static void awaitPartitions(Admin admin, int n) {
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic " + TOPIC + " with " + n + " partitions on cluster " + CLUSTER, () -> {
            try {
                return partitions(admin) == n;
            } catch (RuntimeException notThereYet) {
                return false;
            }
        });
    }
}
