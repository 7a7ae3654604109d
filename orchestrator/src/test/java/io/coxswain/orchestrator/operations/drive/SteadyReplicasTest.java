package io.coxswain.orchestrator.operations.drive;

import static io.coxswain.orchestrator.operations.FakeKafka.isr;
import static io.coxswain.orchestrator.operations.FakeKafka.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
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
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A partition described mid-move (its old and new replicas together) while Kafka lists no reassignment of it, as a broker
 * whose metadata lags the controller describes one right after a move made by hand: not taken for another replication factor,
 * so the move is not undone. A factor that really differs is changed at the second pass that finds it so.
 */
class SteadyReplicasTest {

    private static final Duration T = Duration.ofSeconds(5);

    private final RecordingSink sink = new RecordingSink();

    @Test
    void aMidMoveViewWithNoReassignmentListedIsNotPlannedFromButAFactorThatStaysDifferentIsChangedAtTheSecondLook() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2)
                .topic("skewed", t -> t.partition(0, replicas(0, 1), isr(0, 1)).partition(1, replicas(1, 2), isr(1, 2)))
                .topic("orders", t -> t.partition(0, replicas(0, 1), isr(0, 1)));
        FakeAdmin admin = kafka.build();
        TopicSync sync = new TopicSync(new OperationRecorder(sink));
        ClusterState state = TestStates.created("pay", 1, 3);
        for (var c : List.of(asker("topics").createTopic("skewed", 2, 2, Map.of()), asker("topics").createTopic("orders", 1, 2, Map.of()))) {
            state = Evolve.apply(state, c);
        }
        sync.sync(state, "topics", admin, T);

        // skewed-1 moved by hand from [1, 2] to [1, 0]: described mid-move, broker 0 not yet in sync, while the controller lists nothing
        kafka.topic("skewed", t -> t.partition(1, replicas(1, 0, 2), isr(1, 2)));
        sync.sync(state, "topics", admin, T);
        kafka.topic("skewed", t -> t.partition(1, replicas(1, 0), isr(1, 0))); // the move lands before the next pass
        sync.sync(state, "topics", admin, T);
        // from the mid-move view, lowering to 2 drops the replica out of sync (broker 0) and puts skewed-1 back on broker 2
        assertThat(kafka.calls("alterPartitionReassignments", "skewed")).as("the hand move is not undone").isZero();
        assertThat(updates("skewed")).isEmpty();
        assertThat(kafka.partition("skewed", 1).replicas()).containsExactly(1, 0);

        state = Evolve.apply(state, asker("rf").changeReplicationFactor("orders", 3));
        sync.sync(state, "rf", admin, T);
        assertThat(kafka.reassigning()).as("first look: remembered, not yet acted on").isEmpty();
        sync.forget("pay"); // the cluster handed over and back: what was looked at is gone with it
        sync.sync(state, "rf", admin, T);
        assertThat(kafka.reassigning()).as("a first look again").isEmpty();
        sync.sync(state, "rf", admin, T);
        assertThat(kafka.reassigning()).as("the same at the second look: changed").containsOnlyKeys(new TopicPartition("orders", 0));
        assertThat(updates("orders")).singleElement().extracting(ResourceActionObserved::getReason)
                .isEqualTo("ChangeReplicationFactor: topic orders has replication factor 2 on the cluster, the state asks for 3");

        kafka.finishReassignments();
        sync.sync(state, "rf", admin, T);
        assertThat(kafka.calls("alterPartitionReassignments", "orders")).as("at its factor: nothing more").isEqualTo(1);
    }

    private static CommandBuilder asker(String commandId) {
        return Commands.on("pay").issuer("alice").commandId(commandId);
    }

    private List<ResourceActionObserved> updates(String topic) {
        return sink.actions(ResourceAction.UPDATE).stream().filter(a -> a.getName().equals(topic)).toList();
    }
}
