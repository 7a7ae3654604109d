package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.OperationDeferred;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.DeferredOperation;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The executor's side of maintenance windows, at a fixed time: Friday 2026-12-04 12:00 UTC. */
class MaintenanceGateTest {

    private static final Instant FRIDAY_NOON = Instant.parse("2026-12-04T12:00:00Z");
    private final RecordingSink sink = new RecordingSink();
    private final MaintenanceGate gate = new MaintenanceGate(Clock.fixed(FRIDAY_NOON, ZoneOffset.UTC), new OperationRecorder(sink));

    private static final ClusterPods ALL_UP = pods(true);

    /** A controller and a broker; the broker Ready or not. */
    private static ClusterPods pods(boolean brokerReady) {
        return new ClusterPods(List.of(
                new ClusterPods.NodePod(KafkaRole.CONTROLLER, 0, "pay-controller-0", "pay", running(true)),
                new ClusterPods.NodePod(KafkaRole.BROKER, 0, "pay-broker-0", "pay", running(brokerReady))));
    }

    private static ClusterPods.Running running(boolean ready) {
        return new ClusterPods.Running(ready, "apache/kafka:4.3.1", "apache/kafka:4.3.1", false, null, false, "uid");
    }

    private static ClusterState withWindows(String... windows) {
        ClusterState state = TestStates.created("pay", 3, 3);
        state.getSpec().setMaintenanceWindows(List.of(windows));
        return state;
    }

    @Test
    void outsideTheWindowsAnOperationWaitsAndIsRecordedOnceWithWhenTheNextOneOpens() {
        ClusterState nights = withWindows("Mon-Fri 02:00-05:00", "Sat 22:00-02:00");
        assertThat(gate.mayStart(nights, "RollingUpgrade", "up-1")).isFalse();
        assertThat(gate.mayStart(nights, "RollingUpgrade", "up-1")).isFalse();
        assertThat(sink.of(OperationDeferred.class)).as("once per operation, cause and windows")
                .containsExactly(new OperationDeferred("RollingUpgrade", "up-1", Instant.parse("2026-12-05T22:00:00Z")));

        assertThat(gate.mayStart(nights, "Rebalance", "rb-1")).isFalse();
        assertThat(sink.of(OperationDeferred.class)).hasSize(2);

        // an executor that starts afresh finds the deferral in the log and does not record it again
        MaintenanceGate successor = new MaintenanceGate(Clock.fixed(FRIDAY_NOON, ZoneOffset.UTC), new OperationRecorder(sink));
        nights.getStatus().setDeferred(new DeferredOperation("Rebalance", "rb-1", Instant.parse("2026-12-05T22:00:00Z"), FRIDAY_NOON));
        assertThat(successor.mayStart(nights, "Rebalance", "rb-1")).isFalse();
        assertThat(sink.of(OperationDeferred.class)).hasSize(2);
    }

    @Test
    void aPodDownSaysNothingOfWhatWaitsSoADeferredScaleOutDoesNotFlap() {
        ClusterState waiting = withWindows("Mon 02:00-03:00");
        waiting.getStatus().setDeferred(new DeferredOperation("ScaleOut", "scale-1", Instant.parse("2026-12-07T02:00:00Z"), FRIDAY_NOON));
        gate.nothingWaits(waiting, pods(false));
        assertThat(sink.all()).as("a broker restarting on its own: the scale-out is not called for only until it is back").isEmpty();
        gate.nothingWaits(waiting, ALL_UP);
        assertThat(sink.of(OperationDeferred.class)).containsExactly(new OperationDeferred("ScaleOut", "scale-1", null));
    }

    @Test
    void anOperationShownHeldBackThatNothingCallsForAnyMoreIsRecordedAsWaitingNoMoreOnce() {
        ClusterState undone = withWindows("Mon 02:00-03:00");
        gate.nothingWaits(undone, ALL_UP);
        assertThat(sink.all()).as("nothing shown, nothing to say").isEmpty();
        undone.getStatus().setDeferred(new DeferredOperation("Reconfigure", "conf-1", Instant.parse("2026-12-07T02:00:00Z"), FRIDAY_NOON));
        gate.nothingWaits(undone, ALL_UP);
        gate.nothingWaits(undone, ALL_UP); // the fold has not caught up yet
        assertThat(sink.of(OperationDeferred.class)).containsExactly(new OperationDeferred("Reconfigure", "conf-1", null));
        undone.getStatus().setDeferred(null);
        gate.nothingWaits(undone, ALL_UP);
        assertThat(gate.mayStart(undone, "Reconfigure", "conf-2")).as("a new change, held back again").isFalse();
        assertThat(sink.of(OperationDeferred.class)).hasSize(2);
    }

    @Test
    void insideAWindowWithoutWindowsOrToGrowVolumesItStartsAndNothingIsRecorded() {
        assertThat(gate.mayStart(withWindows("Fri 11:00-13:00"), "Reconfigure", "c-1")).isTrue();
        assertThat(gate.mayStart(withWindows(), "Reconfigure", "c-1")).isTrue();
        assertThat(gate.mayStart(withWindows("Mon 02:00-03:00"), "ExpandStorage", "c-2")).as("a filling disk does not wait").isTrue();
        assertThat(gate.mayStart(withWindows("weekends 02:00-03:00"), "Reconfigure", "c-3"))
                .as("a window that does not read as one holds nothing forever").isTrue();
        assertThat(sink.all()).isEmpty();
    }
}
