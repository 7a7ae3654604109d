package io.coxswain.orchestrator.operations.drive;

import static io.coxswain.orchestrator.operations.FakeKafka.isr;
import static io.coxswain.orchestrator.operations.FakeKafka.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.operations.FakeAdmin;
import io.coxswain.orchestrator.operations.FakeKafka;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Topics the state does not name: recorded when their set changes (never on every pass), folded into the status, never deleted. */
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

    private List<List<String>> observed() {
        return sink.of(TopicsObserved.class).stream().map(TopicsObserved::getUnmanaged).toList();
    }

    private static ClusterState fold(ClusterState state, TopicsObserved o) {
        return Evolve.apply(state, Commands.on("pay").issuer("exec").observation("exec", o));
    }
}
