package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ReplicationObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.TopicReplicationObserved;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ChangeReplicationFactor end to end on REAL Kafka nodes in the sandbox's pods (one controller, three
 * brokers): the command on the log, the fold, the executor's passes, and the managed cluster's own
 * answer to describeTopics; up from 1 to 3 with every replica in sync and the throttle gone
 * afterwards, then down to 1 keeping each partition's leader; each action on the log names the
 * factors and the command that caused it. A topic the state does not manage keeps its factor. Then a
 * factor lowered to make room for a scale-in, both folded before the executor looks: the replicas go
 * first, so the drain finds room. The tests share the cluster, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationFactorEndToEndTest {

    private static final String CLUSTER = "rf";
    private static final String TOPIC = "orders";
    private static final String HAND_MADE = "by-hand";
    private static final Duration T = Duration.ofSeconds(90);
    private static DriveWorld world;

    @BeforeAll
    static void createClusterAndTopic() throws Exception {
        world = DriveWorld.withReadyCluster(CLUSTER, "exec-rf");
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("topic").createTopic(TOPIC, 3, 1, Map.of())))
                .isInstanceOf(Outcome.Accepted.class);
        try (Admin admin = world.admin(CLUSTER, 3)) {
            admin.createTopics(List.of(new NewTopic(HAND_MADE, 1, (short) 1))).all().toCompletionStage().toCompletableFuture().join();
        }
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    @Order(1)
    void theFactorGoesUpWithEveryReplicaInSyncThenDownKeepingTheLeaders() {
        try (Admin admin = world.admin(CLUSTER, 3)) {
            upThenDown(admin);
        }
    }

    private static void upThenDown(Admin admin) {
        awaitReplicas(admin, TOPIC, 1);
        assertThat(world.send(Commands.on(CLUSTER).issuer("alice").commandId("rf-up").changeReplicationFactor(TOPIC, 3)))
                .isInstanceOf(Outcome.Accepted.class);
        awaitReplicas(admin, TOPIC, 3);
        assertThat(world.state(CLUSTER).orElseThrow().getTopics().get(TOPIC).getReplicationFactor()).isEqualTo(3);
        assertThat(describe(admin, TOPIC).partitions()).allSatisfy(p -> assertThat(p.replicas().stream().map(Node::id)).doesNotHaveDuplicates());
        DriveWorld.await(T, () -> "the throttle of " + TOPIC + " and of the brokers removed", () -> unthrottled(admin));
        // the progress on the log (the copy may land within one pass, so only its first look is certain), then cleared
        world.awaitState(CLUSTER, T, "status.replication empty once every partition has 3 replicas", s -> s.getStatus().getReplication().isEmpty());
        List<Map<String, TopicReplicationObserved>> progress = progress();
        assertThat(progress.get(0)).as("the first look, before the copy").containsOnlyKeys(TOPIC);
        assertThat(progress.get(0).get(TOPIC)).satisfies(p -> {
            assertThat(p.getFactor()).isEqualTo(3);
            assertThat(p.getPartitions()).isEqualTo(3);
            assertThat(p.getAtFactor()).isZero();
            assertThat(p.getBlocked()).isNull();
        });
        assertThat(progress.get(progress.size() - 1)).as("every topic at its factor again").isEmpty();

        Map<Integer, Integer> leaders = leaders(admin);
        assertThat(world.send(Commands.on(CLUSTER).issuer("alice").commandId("rf-down").changeReplicationFactor(TOPIC, 1)))
                .isInstanceOf(Outcome.Accepted.class);
        awaitReplicas(admin, TOPIC, 1);
        assertThat(describe(admin, TOPIC).partitions()).allSatisfy(p ->
                assertThat(p.replicas().get(0).id()).as("partition %d keeps its leader", p.partition()).isEqualTo(leaders.get(p.partition())));

        DriveWorld.await(T, () -> "both changes on the log", () -> changes().size() >= 2);
        assertThat(changes()).hasSize(2);
        assertThat(changes().get(0)).satisfies(a -> {
            assertThat(a.getReason()).isEqualTo("ChangeReplicationFactor: topic " + TOPIC + " has replication factor 1 on the cluster, the state asks for 3");
            assertThat(a.getCauseCommandId()).isEqualTo("rf-up");
            assertThat(a.getDetail()).contains(TOPIC + "-0 [", "6 replica(s) copied");
        });
        assertThat(changes().get(1)).satisfies(a -> {
            assertThat(a.getReason()).isEqualTo("ChangeReplicationFactor: topic " + TOPIC + " has replication factor 3 on the cluster, the state asks for 1");
            assertThat(a.getCauseCommandId()).isEqualTo("rf-down");
            assertThat(a.getDetail()).contains("0 replica(s) copied");
        });
        // not the state's: left with its one replica, and nothing recorded for it
        assertThat(describe(admin, HAND_MADE).partitions()).singleElement().satisfies(p -> assertThat(p.replicas()).hasSize(1));
        assertThat(world.actions(CLUSTER)).noneMatch(a -> a.getName().equals(HAND_MADE) && a.getAction() == ResourceAction.UPDATE);
    }

    @Test
    @Order(2)
    void aFactorLoweredToMakeRoomForAScaleInIsAppliedBeforeTheDrain() {
        String wide = "wide";
        try (Admin admin = world.admin(CLUSTER, 3)) {
            assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("wide").createTopic(wide, 2, 3, Map.of())))
                    .isInstanceOf(Outcome.Accepted.class);
            awaitReplicas(admin, wide, 3);
            // no executor while both fold: its first pass finds the scale-in to start before any topic change
            world.killExecutor();
            assertThat(world.send(Commands.on(CLUSTER).issuer("alice").commandId("make-room").changeReplicationFactor(wide, 2)))
                    .isInstanceOf(Outcome.Accepted.class);
            assertThat(world.send(Commands.on(CLUSTER).issuer("alice").commandId("scale-in").scaleBrokers(2)))
                    .isInstanceOf(Outcome.Accepted.class);
            world.startExecutor("exec-rf-2");
            world.awaitState(CLUSTER, Duration.ofSeconds(180), "the scale-in done", s -> s.getStatus().getOperation() != null
                    && s.getStatus().getOperation().getOperation().equals("ScaleIn") && !s.getStatus().getOperation().getState().equals("RUNNING"));
            assertThat(world.state(CLUSTER).orElseThrow().getStatus().getOperation().getState()).isEqualTo("SUCCEEDED");
            Set<Integer> left = admin.describeCluster().nodes().toCompletionStage().toCompletableFuture().join().stream().map(Node::id)
                    .collect(Collectors.toSet());
            assertThat(left).hasSize(2);
            assertThat(describe(admin, wide).partitions()).allSatisfy(p ->
                    assertThat(p.replicas().stream().map(Node::id).toList()).hasSize(2).allMatch(left::contains));
            // recorded as the pass's cause, the newest intent when it looked: the scale-in, or the change if it came alone
            assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getName().equals(wide) && a.getAction() == ResourceAction.UPDATE).singleElement()
                    .satisfies(a -> {
                        assertThat(a.getReason()).isEqualTo("ChangeReplicationFactor: topic wide has replication factor 3 on the cluster, the state asks for 2");
                        assertThat(a.getCauseCommandId()).isIn("make-room", "scale-in");
                    });
        }
    }

    /** Each ReplicationObserved of the log, in order. */
    private static List<Map<String, TopicReplicationObserved>> progress() {
        return world.commandLog().stream().filter(c -> c.getClusterId().equals(CLUSTER))
                .map(c -> c.getPayload() instanceof RecordObservation o && o.getObservation() instanceof ReplicationObserved r ? r.getTopics() : null)
                .filter(Objects::nonNull).toList();
    }

    private static List<ResourceActionObserved> changes() {
        return world.actions(CLUSTER).stream().filter(a -> a.getAction() == ResourceAction.UPDATE && a.getKind().equals("KafkaTopic")
                && a.getName().equals(TOPIC) && a.getReason().startsWith("ChangeReplicationFactor")).toList();
    }

    private static TopicDescription describe(Admin admin, String topic) {
        return admin.describeTopics(List.of(topic)).allTopicNames().toCompletionStage().toCompletableFuture().join().get(topic);
    }

    private static Map<Integer, Integer> leaders(Admin admin) {
        return describe(admin, TOPIC).partitions().stream().collect(Collectors.toMap(TopicPartitionInfo::partition, p -> p.leader().id()));
    }

    /** Every partition with {@code n} replicas, all in sync, and nothing of the topic still moving. */
    private static void awaitReplicas(Admin admin, String topic, int n) {
        DriveWorld.await(T, () -> "every partition of " + topic + " with " + n + " replicas in sync (now " + safely(() -> describe(admin, topic).partitions()) + ")",
                () -> {
                    try {
                        return describe(admin, topic).partitions().stream().allMatch(p -> p.replicas().size() == n && p.isr().size() == n)
                                && admin.listPartitionReassignments().reassignments().toCompletionStage().toCompletableFuture().join().isEmpty();
                    } catch (RuntimeException notThereYet) {
                        return false;
                    }
                });
    }

    private static boolean unthrottled(Admin admin) {
        List<ConfigResource> resources = new ArrayList<>(List.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC)));
        Collection<Node> brokers = admin.describeCluster().nodes().toCompletionStage().toCompletableFuture().join();
        brokers.forEach(b -> resources.add(new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(b.id()))));
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().toCompletionStage().toCompletableFuture().join();
        Set<String> keys = Set.of(ReassignmentExecutor.LEADER_REPLICAS, ReassignmentExecutor.FOLLOWER_REPLICAS,
                ReassignmentExecutor.LEADER_RATE, ReassignmentExecutor.FOLLOWER_RATE);
        return configs.values().stream().flatMap(c -> c.entries().stream())
                .noneMatch(e -> keys.contains(e.name()) && (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                        || e.source() == ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG));
    }

    private static Object safely(Supplier<Object> what) {
        try {
            return what.get();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
