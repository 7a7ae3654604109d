package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A topic Kafka refuses, end to end on REAL Kafka nodes in the sandbox's pods: the command on the log, the fold, the
 * executor's passes and the managed cluster's own answer. The refused topic is shown in the state and its change is
 * not acted on (as a refused live key), while a valid topic sent after it is created; the fix clears both.
 */
class TopicRefusalEndToEndTest {

    private static final String CLUSTER = "refusals";
    private static DriveWorld world;

    @BeforeAll
    static void createCluster() throws Exception {
        // one controller and one broker: Kafka's answer needs no more, and the machine is small
        world = DriveWorld.withReadyCluster("exec-refusals", Commands.on(CLUSTER).issuer("test").commandId("create").createCluster("4.3.1", 1, 1, "1Gi"));
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void aRefusedTopicIsShownAndNotActedOnWhileTheOthersAreCreatedUntilItIsFixed() {
        assertThat(world.send(Commands.on(CLUSTER).issuer("alice").commandId("bad-orders").createTopic("orders", 1, 1, Map.of("retention.ms", "abc"))))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(world.send(Commands.on(CLUSTER).issuer("alice").commandId("audit").createTopic("audit", 1, 1, Map.of())))
                .isInstanceOf(Outcome.Accepted.class);
        try (Admin admin = world.admin(CLUSTER, 1)) {
            ClusterState refused = world.awaitState(CLUSTER, Duration.ofSeconds(60), "orders refused",
                    s -> s.getStatus().getTopicRefusals().containsKey("orders"));
            assertThat(refused.getStatus().getTopicRefusals().get("orders").getReason())
                    .startsWith("InvalidConfigurationException: ").contains("retention.ms");
            DriveWorld.await(Duration.ofSeconds(60), () -> "topic audit on " + CLUSTER, () -> topics(admin).contains("audit"));
            assertThat(topics(admin)).doesNotContain("orders");
            // a later change: its pass creates the topic, and yet records no acted-on (the refused topic is still not as asked)
            assertThat(world.send(Commands.on(CLUSTER).issuer("alice").commandId("later").createTopic("later", 1, 1, Map.of())))
                    .isInstanceOf(Outcome.Accepted.class);
            DriveWorld.await(Duration.ofSeconds(60), () -> "topic later on " + CLUSTER, () -> topics(admin).contains("later"));
            ClusterState now = world.state(CLUSTER).orElseThrow();
            assertThat(now.getStatus().getReconciledIntentVersion()).as("not acted on while Kafka refuses a topic")
                    .isLessThan(now.getIntentVersion());
            assertThat(refusalsOf("orders")).as("the refusal recorded once, whatever the passes").hasSize(1);
            assertThat(world.actions(CLUSTER).stream().filter(a -> a.getName().equals("orders")).toList()).hasSize(2);

            assertThat(world.send(Commands.on(CLUSTER).issuer("alice").commandId("fix-orders")
                    .updateTopicConfig("orders", Map.of("retention.ms", "86400000"), List.of()))).isInstanceOf(Outcome.Accepted.class);
            DriveWorld.await(Duration.ofSeconds(60), () -> "topic orders on " + CLUSTER, () -> topics(admin).contains("orders"));
            ClusterState fixed = world.awaitState(CLUSTER, Duration.ofSeconds(60), "the refusal cleared and the fix acted on",
                    s -> s.getStatus().getTopicRefusals().isEmpty() && s.getStatus().getReconciledIntentVersion() == s.getIntentVersion());
            assertThat(fixed.getTopics().get("orders").getConfig()).containsEntry("retention.ms", "86400000");
            assertThat(refusalsOf("orders")).hasSize(1);
        }
    }

    private static List<ResourceActionObserved> refusalsOf(String topic) {
        return world.actions(CLUSTER).stream().filter(a -> a.getName().equals(topic) && a.getReason().startsWith("refused by Kafka")).toList();
    }

    private static Set<String> topics(Admin admin) {
        return admin.listTopics().names().toCompletionStage().toCompletableFuture().join();
    }
}
