package io.coxswain.orchestrator.operations.drive;

import static io.coxswain.orchestrator.operations.FakeKafka.isr;
import static io.coxswain.orchestrator.operations.FakeKafka.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deletion Kafka refuses, how it ends: tried again after the delay and deleted once Kafka allows it, by this executor or by
 * one that restarted or took the cluster over (the refusal is in the status, read from the log); or over when the topic is
 * gone some other way. TopicDeletionRefusalTest has a refusal by a real broker.
 */
class TopicDeletionRetryTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final RecordingSink sink = new RecordingSink();
    private final AtomicLong now = new AtomicLong();
    private final FakeKafka kafka = FakeKafka.cluster().brokers(0)
            .topic("doomed", t -> t.partition(0, replicas(0), isr(0))).topic("kept", t -> t.partition(0, replicas(0), isr(0)))
            .failTopicCall("deleteTopics", "doomed", new TopicDeletionDisabledException("Topic deletion is disabled."));
    private final FakeAdmin admin = kafka.build();
    private final TopicSync sync = executor();
    private ClusterState state = TestStates.created("pay", 1, 1);

    /** The two topics made, then "doomed" deleted from the state and its deletion refused: in the status, as the log says. */
    @BeforeEach
    void refuseADeletion() {
        fold(asker("topics").createTopic("doomed", 1, 1, Map.of("min.insync.replicas", "1")));
        fold(asker("topics").createTopic("kept", 1, 1, Map.of("min.insync.replicas", "1")));
        assertThat(sync.sync(state, "topics", admin, T)).isTrue();
        fold(asker("drop").deleteTopic("doomed"));
        assertThat(sync.sync(state, "drop", admin, T)).as("not acted on while Kafka refuses the deletion").isFalse();
        assertThat(kafka.calls("deleteTopics", "doomed")).isEqualTo(1);
        fold(refusals().get(0));
        assertThat(state.getStatus().getTopicRefusals()).containsOnlyKeys("doomed");
    }

    @Test
    void aDeletionKafkaRefusedIsAskedAgainOnlyAfterTheDelayAndRecordedWhenItGoesThrough() {
        now.addAndGet(RefusedChanges.FIRST_DELAY.minusSeconds(1).toNanos());
        assertThat(sync.sync(state, "drop", admin, T)).isFalse();
        assertThat(kafka.calls("deleteTopics", "doomed")).as("not asked again within the delay").isEqualTo(1);

        kafka.stopRefusing();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(sync.sync(state, "drop", admin, T)).isTrue();
        assertThat(kafka.calls("deleteTopics", "doomed")).isEqualTo(2);
        assertThat(topics()).containsExactly("kept");
        assertThat(deletions()).last().extracting(ResourceActionObserved::getReason).isEqualTo("deleted after Kafka had refused it");
        fold(refusals().get(refusals().size() - 1));
        assertThat(state.getStatus().getTopicRefusals()).isEmpty();
    }

    @Test
    void anExecutorThatRestartedTriesTheRefusedDeletionAgainAndKeepsItRefusedMeanwhile() {
        TopicSync restarted = executor(); // nothing in memory: the refused deletion is known from the status alone
        assertThat(restarted.sync(state, "drop", admin, T)).as("still not acted on").isFalse();
        assertThat(kafka.calls("deleteTopics", "doomed")).as("a new executor asks Kafka at once").isEqualTo(2);
        assertThat(refusals()).as("the refusal stays: Kafka's same answer is in the log already").hasSize(1);
        assertThat(sink.of(TopicsObserved.class)).as("nor is the topic taken for one Coxswain never managed")
                .allSatisfy(o -> assertThat(o.getUnmanaged()).doesNotContain("doomed"));

        kafka.stopRefusing();
        now.addAndGet(RefusedChanges.FIRST_DELAY.toNanos());
        assertThat(restarted.sync(state, "drop", admin, T)).isTrue();
        assertThat(topics()).containsExactly("kept");
        assertThat(refusals()).hasSize(2).last().satisfies(o -> assertThat(o.getTopics()).isEmpty());
        fold(refusals().get(1));
        assertThat(state.getStatus().getTopicRefusals()).isEmpty();
    }

    @Test
    void aRefusedDeletionOfATopicGoneMeanwhileIsOver() {
        kafka.stopRefusing();
        admin.deleteTopics(List.of("doomed")); // by hand, say with another tool on a broker that allows it
        kafka.failTopicCall("deleteTopics", "doomed", new TopicDeletionDisabledException("Topic deletion is disabled."));

        assertThat(sync.sync(state, "drop", admin, T)).as("within the delay, and nothing left to delete").isTrue();
        assertThat(refusals()).hasSize(2).last().satisfies(o -> assertThat(o.getTopics()).isEmpty());
        fold(refusals().get(1));
        assertThat(state.getStatus().getTopicRefusals()).isEmpty();
        assertThat(executor().sync(state, "drop", admin, T)).as("a restarted executor has nothing to delete either").isTrue();
        assertThat(kafka.calls("deleteTopics", "doomed")).as("only the refused try and the one by hand").isEqualTo(2);
    }

    private TopicSync executor() {
        return new TopicSync(new OperationRecorder(sink), DriveSettings.defaults().throttleBytes(), now::get);
    }

    private static CommandBuilder asker(String commandId) {
        return Commands.on("pay").issuer("alice").commandId(commandId);
    }

    private void fold(Command c) {
        state = Evolve.apply(state, c);
    }

    private void fold(TopicsRefusedObserved o) {
        fold(Commands.on("pay").issuer("exec").observation("exec", o));
    }

    private List<String> topics() {
        return List.copyOf(admin.listTopics().names().toCompletionStage().toCompletableFuture().join());
    }

    private List<ResourceActionObserved> deletions() {
        return sink.actions(ResourceAction.DELETE).stream().filter(a -> a.getName().equals("doomed")).toList();
    }

    private List<TopicsRefusedObserved> refusals() {
        return sink.of(TopicsRefusedObserved.class);
    }
}
