package io.coxswain.orchestrator.operations.drive;

import static io.coxswain.orchestrator.operations.FakeKafka.isr;
import static io.coxswain.orchestrator.operations.FakeKafka.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.command.TopicsRefusedObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.operations.FakeAdmin;
import io.coxswain.orchestrator.operations.FakeKafka;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

/**
 * Topics the state does not name: recorded when their set changes (never on every pass), folded into the status, never deleted.
 * A configuration change Kafka refuses: tried again after a growing delay, recorded once, applied when Kafka takes it; a
 * failure that is no refusal fails the pass (TopicRefusalsTest has the same against a real broker).
 */
class TopicSyncTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final RecordingSink sink = new RecordingSink();

    @Test
    void unmanagedTopicsAreRecordedOnChangeOnlyAndFoldedIntoTheStatus() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2)
                .topic("legacy", t -> t.partition(0, replicas(0, 1), isr(0, 1)))
                .topic("__consumer_offsets", t -> t.partition(0, replicas(0), isr(0)));
        FakeAdmin admin = kafka.build();
        ClusterState state = TestStates.created("pay", 3, 3);
        TopicSync sync = new TopicSync(new OperationRecorder(sink));

        sync.sync(state, "create-1", admin, T);
        assertThat(observed()).containsExactly(List.of("legacy"));
        sync.sync(state, "create-1", admin, T); // the fold has not caught up: not recorded twice
        assertThat(observed()).hasSize(1);

        state = fold(state, sink.of(TopicsObserved.class).get(0));
        assertThat(state.getStatus().getUnmanagedTopics()).containsExactly("legacy");
        new TopicSync(new OperationRecorder(sink)).sync(state, "create-1", admin, T); // a restarted executor: the log already says so
        assertThat(observed()).hasSize(1);

        kafka.topic("audit", t -> t.partition(0, replicas(2), isr(2)));
        sync.sync(state, "create-1", admin, T);
        assertThat(observed()).last().isEqualTo(List.of("audit", "legacy"));
        state = fold(state, sink.of(TopicsObserved.class).get(1));
        assertThat(state.getStatus().getUnmanagedTopics()).containsExactly("audit", "legacy");
        sync.sync(state, "create-1", admin, T);
        assertThat(observed()).hasSize(2);
        // listed, never deleted (FakeAdmin fails any call it does not implement, deleteTopics among them)
        assertThat(admin.listTopics().names().toCompletionStage().toCompletableFuture().join()).contains("audit", "legacy");
    }

    @Test
    void aRefusedConfigurationChangeIsTriedAgainAfterAGrowingDelayAndRecordedOnceUntilKafkaTakesIt() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0)
                .topic("orders", t -> t.partition(0, replicas(0), isr(0)))
                .refuse("retention.ms", "-5", "Invalid value -5 for configuration retention.ms");
        FakeAdmin admin = kafka.build();
        AtomicLong now = new AtomicLong();
        TopicSync sync = new TopicSync(new OperationRecorder(sink), DriveSettings.defaults().throttleBytes(), now::get);
        ClusterState state = TestStates.created("pay", 1, 1);
        state = Evolve.apply(state, Commands.on("pay").issuer("alice").commandId("topic").createTopic("orders", 1, 1,
                Map.of("min.insync.replicas", "1", "retention.ms", "-5")));

        assertThat(sync.sync(state, "topic", admin, T)).isFalse();
        assertThat(kafka.alterConfigCalls()).isEqualTo(1);
        sync.sync(state, "topic", admin, T);
        now.addAndGet(RefusedChanges.FIRST_DELAY.minusSeconds(1).toNanos());
        sync.sync(state, "topic", admin, T);
        assertThat(kafka.alterConfigCalls()).as("not asked again within the delay").isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        sync.sync(state, "topic", admin, T);
        assertThat(kafka.alterConfigCalls()).isEqualTo(2);
        now.addAndGet(RefusedChanges.FIRST_DELAY.toNanos());
        sync.sync(state, "topic", admin, T);
        assertThat(kafka.alterConfigCalls()).as("the delay doubled").isEqualTo(2);
        assertThat(applied()).extracting(ResourceActionObserved::getReason).hasSize(2).last().asString()
                .startsWith("refused by Kafka: InvalidConfigurationException: Invalid value -5 for configuration retention.ms");
        assertThat(sink.of(TopicsRefusedObserved.class)).singleElement()
                .satisfies(o -> assertThat(o.getTopics().get("orders").getCommandId()).isEqualTo("topic"));

        state = Evolve.apply(state, Commands.on("pay").issuer("exec").observation("exec", sink.of(TopicsRefusedObserved.class).get(0)));

        kafka.stopRefusing(); // a policy lifted, say: the same change goes through at its next try
        now.addAndGet(RefusedChanges.MAX_DELAY.toNanos());
        assertThat(sync.sync(state, "topic", admin, T)).isTrue();
        assertThat(kafka.configsOf(new ConfigResource(ConfigResource.Type.TOPIC, "orders"))).containsEntry("retention.ms", "-5");
        assertThat(applied()).hasSize(3).last().extracting(ResourceActionObserved::getReason).isEqualTo("applied after Kafka had refused it");
        assertThat(sink.of(TopicsRefusedObserved.class)).hasSize(2).last().satisfies(o -> assertThat(o.getTopics()).isEmpty());
    }

    @Test
    void anExecutorThatTakesOverARefusedTopicRecordsTheChangeItMakesButNotKafkasSameAnswerAgain() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0).topic("orders", t -> t.partition(0, replicas(0), isr(0)))
                .refuse("retention.ms", "-5", "Invalid value -5 for configuration retention.ms");
        FakeAdmin admin = kafka.build();
        ClusterState state = Evolve.apply(TestStates.created("pay", 1, 1), Commands.on("pay").issuer("alice").commandId("topic")
                .createTopic("orders", 1, 1, Map.of("min.insync.replicas", "1", "retention.ms", "-5")));
        new TopicSync(new OperationRecorder(sink)).sync(state, "topic", admin, T);
        state = Evolve.apply(state, Commands.on("pay").issuer("exec").observation("exec", sink.of(TopicsRefusedObserved.class).get(0)));
        int recorded = sink.all().size();
        int applies = applied().size();

        assertThat(new TopicSync(new OperationRecorder(sink)).sync(state, "topic", admin, T)).isFalse();
        assertThat(kafka.alterConfigCalls()).as("a new executor asks Kafka at once").isEqualTo(2);
        // recorded before it acts, as any change (a new owner cannot know it is the very change refused before)
        assertThat(applied()).hasSize(applies + 1).last().extracting(ResourceActionObserved::getReason).asString()
                .doesNotContain("refused by Kafka");
        assertThat(sink.all()).as("and nothing more: Kafka's same answer is already in the log").hasSize(recorded + 1);
    }

    @Test
    void aFailureThatIsNoRefusalFailsThePassAsBefore() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0).topic("orders", t -> t.partition(0, replicas(0), isr(0)))
                .failAlterConfig("retention.ms", "1000", new TimeoutException("the broker did not answer"));
        TopicSync sync = new TopicSync(new OperationRecorder(sink));
        ClusterState state = Evolve.apply(TestStates.created("pay", 1, 1), Commands.on("pay").issuer("alice").commandId("topic")
                .createTopic("orders", 1, 1, Map.of("min.insync.replicas", "1", "retention.ms", "1000")));

        assertThatThrownBy(() -> sync.sync(state, "topic", kafka.build(), T)).isInstanceOf(AdminCalls.AdminCallFailed.class)
                .hasMessageContaining("the broker did not answer");
        assertThat(sink.of(TopicsRefusedObserved.class)).as("not reported as refused").isEmpty();
    }

    @Test
    void onlyKafkasAnswersAboutTheTopicItselfAreRefusals() {
        assertThat(TopicRefusals.refusal(new InvalidConfigurationException("Invalid value abc for configuration retention.ms"))).isTrue();
        assertThat(TopicRefusals.refusal(new PolicyViolationException("partitions over the policy's limit"))).isTrue();
        assertThat(TopicRefusals.refusal(new InvalidReplicationFactorException("larger than available brokers: 2"))).as("brokers down").isTrue();
        assertThat(TopicRefusals.refusal(new TimeoutException("no answer"))).isFalse();
        assertThat(TopicRefusals.refusal(new TopicAuthorizationException("not allowed"))).as("Coxswain's own access, not the topic").isFalse();
        assertThat(TopicRefusals.refusal(new UnknownServerException("broker error"))).isFalse();
        assertThat(TopicRefusals.refusal(new TopicExistsException("still being deleted"))).isFalse();
    }

    @Test
    void aPartitionIncreaseKafkaRefusesHoldsUpOnlyItsTopicAndIsShownWithItsKindBesideARefusedConfiguration() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0)
                .topic("orders", t -> t.partition(0, replicas(0), isr(0))).topic("audit", t -> t.partition(0, replicas(0), isr(0)))
                .failTopicCall("createPartitions", "orders", new InvalidPartitionsException("the policy allows 1 partition"))
                .refuse("retention.ms", "-5", "Invalid value -5 for configuration retention.ms");
        FakeAdmin admin = kafka.build();
        AtomicLong now = new AtomicLong();
        TopicSync sync = new TopicSync(new OperationRecorder(sink), DriveSettings.defaults().throttleBytes(), now::get);
        ClusterState state = TestStates.created("pay", 1, 1);
        for (var c : List.of(asker("topics").createTopic("orders", 1, 1, Map.of("retention.ms", "-5")), asker("topics").createTopic("audit", 1, 1,
                Map.of()), asker("more").increasePartitions("audit", 2), asker("more").increasePartitions("orders", 3))) {
            state = Evolve.apply(state, c);
        }

        assertThat(sync.sync(state, "more", admin, T)).as("not acted on while Kafka refuses a topic's change").isFalse();
        assertThat(kafka.partition("audit", 1)).as("the other topic's partitions are added").isNotNull();
        assertThat(sink.of(TopicsRefusedObserved.class)).singleElement().satisfies(o -> {
            assertThat(o.getTopics()).containsOnlyKeys("orders");
            assertThat(o.getTopics().get("orders").getReason()).as("both refusals, each with its kind but the configuration's")
                    .isEqualTo("InvalidConfigurationException: Invalid value -5 for configuration retention.ms; IncreasePartitions refused:"
                            + " InvalidPartitionsException: the policy allows 1 partition");
        });
        assertThat(updates("orders")).hasSize(2).last().satisfies(a -> {
            assertThat(a.getReason()).startsWith("refused by Kafka: InvalidPartitionsException: the policy allows 1 partition")
                    .contains("bring back the brokers or lift the policy Kafka names, or DeleteTopic");
            assertThat(a.getDetail()).isEqualTo("partitions 1 → 3");
        });
        state = Evolve.apply(state, Commands.on("pay").issuer("exec").observation("exec", sink.of(TopicsRefusedObserved.class).get(0)));
        assertThat(state.getStatus().getTopicRefusals().get("orders").getReason()).contains("IncreasePartitions refused");

        assertThat(kafka.calls("createPartitions", "orders")).isEqualTo(1);
        sync.sync(state, "more", admin, T); // within the delay: not asked again, nothing recorded again
        assertThat(kafka.calls("createPartitions", "orders")).as("not asked again within the delay").isEqualTo(1);
        assertThat(updates("orders")).hasSize(2);
        assertThat(sink.of(TopicsRefusedObserved.class)).hasSize(1);

        kafka.stopRefusing();
        now.addAndGet(RefusedChanges.MAX_DELAY.toNanos());
        assertThat(sync.sync(state, "more", admin, T)).isTrue();
        assertThat(kafka.calls("createPartitions", "orders")).isEqualTo(2);
        assertThat(kafka.partition("orders", 2)).isNotNull();
        assertThat(updates("orders")).hasSize(3).last().extracting(ResourceActionObserved::getReason).isEqualTo("applied after Kafka had refused it");
        assertThat(sink.of(TopicsRefusedObserved.class)).hasSize(2).last().satisfies(o -> assertThat(o.getTopics()).isEmpty());
    }

    @Test
    void aReassignmentKafkaRefusesHoldsUpOnlyItsTopicAndLeavesNoThrottleBehind() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2)
                .topic("orders", t -> t.partition(0, replicas(0), isr(0))).topic("audit", t -> t.partition(0, replicas(0), isr(0)))
                .failTopicCall("alterPartitionReassignments", "orders", new InvalidReplicaAssignmentException("broker 1 is not registered"));
        FakeAdmin admin = kafka.build();
        AtomicLong now = new AtomicLong();
        TopicSync sync = new TopicSync(new OperationRecorder(sink), DriveSettings.defaults().throttleBytes(), now::get);
        ClusterState state = TestStates.created("pay", 1, 3);
        for (var c : List.of(asker("topics").createTopic("orders", 1, 1, Map.of()), asker("topics").createTopic("audit", 1, 1, Map.of()),
                asker("rf").changeReplicationFactor("orders", 2), asker("rf").changeReplicationFactor("audit", 2))) {
            state = Evolve.apply(state, c);
        }
        assertThat(sync.sync(state, "rf", admin, T)).as("a first look: a factor is changed when the next pass finds the same").isTrue();

        assertThat(sync.sync(state, "rf", admin, T)).isFalse();
        assertThat(kafka.reassigning()).as("the other topic's replicas are added").containsOnlyKeys(new TopicPartition("audit", 0));
        assertThat(sink.of(TopicsRefusedObserved.class)).singleElement().satisfies(o -> assertThat(o.getTopics().get("orders").getReason())
                .isEqualTo("ChangeReplicationFactor refused: InvalidReplicaAssignmentException: broker 1 is not registered"));
        assertThat(updates("orders")).hasSize(2).last().extracting(ResourceActionObserved::getReason).asString()
                .startsWith("refused by Kafka: InvalidReplicaAssignmentException").contains("ChangeReplicationFactor to the factor the topic has");
        assertThat(throttledReplicas(kafka, "orders")).as("the refused topic keeps no throttle while it waits").isEmpty();
        assertThat(throttledReplicas(kafka, "audit")).as("the other topic's copy stays throttled").isNotEmpty();
        assertThat(kafka.configsOf(FakeKafka.brokerResource(0))).as("and so do the brokers' rates while it moves")
                .containsKey(ReassignmentExecutor.LEADER_RATE);

        kafka.finishReassignments();
        now.addAndGet(RefusedChanges.FIRST_DELAY.minusSeconds(1).toNanos());
        assertThat(sync.sync(state, "rf", admin, T)).isFalse();
        assertThat(kafka.calls("alterPartitionReassignments", "orders")).as("not asked again within the delay").isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(sync.sync(state, "rf", admin, T)).isFalse();
        assertThat(kafka.calls("alterPartitionReassignments", "orders")).as("asked again after it, and refused again").isEqualTo(2);
        assertThat(throttledReplicas(kafka, "orders")).isEmpty();
        assertThat(throttledReplicas(kafka, "audit")).isEmpty();
        assertThat(List.of(0, 1, 2)).as("nothing moves: no broker keeps a rate").allSatisfy(b -> assertThat(kafka.configsOf(FakeKafka.brokerResource(b)))
                .doesNotContainKeys(ReassignmentExecutor.LEADER_RATE, ReassignmentExecutor.FOLLOWER_RATE));
    }

    @Test
    void aTransientFailureOfAPartitionIncreaseOrAReassignmentStillFailsThePass() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1).topic("orders", t -> t.partition(0, replicas(0), isr(0)))
                .failTopicCall("createPartitions", "orders", new NotControllerException("the controller moved"))
                .failTopicCall("alterPartitionReassignments", "orders", new TimeoutException("no answer"));
        ClusterState created = Evolve.apply(TestStates.created("pay", 1, 2), asker("topics").createTopic("orders", 1, 1, Map.of()));

        assertThatThrownBy(() -> new TopicSync(new OperationRecorder(sink)).sync(Evolve.apply(created, asker("more").increasePartitions("orders", 2)),
                "more", kafka.build(), T)).isInstanceOf(AdminCalls.AdminCallFailed.class).hasMessageContaining("the controller moved");
        TopicSync sync = new TopicSync(new OperationRecorder(sink));
        ClusterState rf = Evolve.apply(created, asker("rf").changeReplicationFactor("orders", 2));
        FakeAdmin admin = kafka.build();
        sync.sync(rf, "rf", admin, T); // a first look: changed at the second
        assertThatThrownBy(() -> sync.sync(rf, "rf", admin, T)).isInstanceOf(AdminCalls.AdminCallFailed.class).hasMessageContaining("no answer");
        assertThat(sink.of(TopicsRefusedObserved.class)).as("not reported as refused").isEmpty();
    }

    private static Map<String, String> throttledReplicas(FakeKafka kafka, String topic) {
        Map<String, String> config = new java.util.TreeMap<>(kafka.configsOf(new ConfigResource(ConfigResource.Type.TOPIC, topic)));
        config.keySet().retainAll(List.of(ReassignmentExecutor.LEADER_REPLICAS, ReassignmentExecutor.FOLLOWER_REPLICAS));
        return config;
    }

    private static CommandBuilder asker(String commandId) {
        return Commands.on("pay").issuer("alice").commandId(commandId);
    }

    private List<ResourceActionObserved> updates(String topic) {
        return sink.actions(ResourceAction.UPDATE).stream().filter(a -> a.getName().equals(topic)).toList();
    }

    private List<ResourceActionObserved> applied() {
        return sink.actions(ResourceAction.APPLY);
    }

    private List<List<String>> observed() {
        return sink.of(TopicsObserved.class).stream().map(TopicsObserved::getUnmanaged).toList();
    }

    private static ClusterState fold(ClusterState state, TopicsObserved o) {
        return Evolve.apply(state, Commands.on("pay").issuer("exec").observation("exec", o));
    }
}
