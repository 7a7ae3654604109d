package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.RestartCluster;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DECIDE and FOLD of RetryOperation, AbandonOperation, RestartCluster and TopicsObserved, through the real topology. */
class OperationControlTopologyTest {

    private final TopologyHarness h = new TopologyHarness();
    private int clock;

    @BeforeEach
    void readyCluster() {
        acceptedVersion(h.send(on().createCluster("4.1.0", 3, 3, "10Gi")));
        brokersReady(3);
        observe(new ComponentObserved("controllers", 3, 3, List.of("4.1.0"), "apache/kafka:4.1.0"));
        assertThat(phase()).isEqualTo("Ready");
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void onlyTheCurrentOperationCanBeRetriedOrAbandonedAndTheRejectionSaysWhich() {
        CommandRejected none = rejected(h.send(on().retryOperation("Reconfigure/c-1", null)));
        assertThat(none.getCode()).isEqualTo(RejectionCode.OPERATION_NOT_FOUND);
        assertThat(none.getReason()).contains("has not run any operation");

        observe(new OperationObserved("Reconfigure/c-1", "Reconfigure", OperationState.RUNNING, "c-1", null));
        CommandRejected other = rejected(h.send(on().abandonOperation("Reconfigure/c-0", null)));
        assertThat(other.getCode()).isEqualTo(RejectionCode.OPERATION_NOT_FOUND);
        assertThat(other.getReason()).contains("its current operation is Reconfigure Reconfigure/c-1 (RUNNING)");
        CommandRejected running = rejected(h.send(on().retryOperation("Reconfigure/c-1", null)));
        assertThat(running.getCode()).isEqualTo(RejectionCode.OPERATION_NOT_FAILED);
        assertThat(running.getReason()).contains("still RUNNING").contains("AbandonOperation");

        observe(new OperationObserved("Reconfigure/c-1", "Reconfigure", OperationState.SUCCEEDED, "c-1", null));
        assertThat(rejected(h.send(on().retryOperation("Reconfigure/c-1", null))).getCode()).isEqualTo(RejectionCode.OPERATION_NOT_FAILED);
        CommandRejected done = rejected(h.send(on().abandonOperation("Reconfigure/c-1", null)));
        assertThat(done.getCode()).isEqualTo(RejectionCode.OPERATION_ENDED);
        assertThat(done.getReason()).contains("already ended SUCCEEDED");
        assertThat(h.state("payments").getStatus().getOperation().getState()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aRetryMakesTheFailedOperationRunningAgainAsANewAttempt() {
        observe(new OperationObserved("Reconfigure/c-1", "Reconfigure", OperationState.RUNNING, "c-1", null));
        observe(new OperationObserved("Reconfigure/c-1", "Reconfigure", OperationState.FAILED, "c-1", "gave up after 300 s"));
        assertThat(phase()).isEqualTo("Failed");

        Command retry = on().commandId("retry-1").retryOperation("Reconfigure/c-1", "pod fixed");
        acceptedVersion(h.send(retry));
        OperationStatus op = h.state("payments").getStatus().getOperation();
        assertThat(op.getState()).isEqualTo("RUNNING");
        assertThat(op.getAttempt()).isEqualTo(2);
        assertThat(op.getControlledBy()).isEqualTo("retry-1");
        assertThat(op.getReason()).isEqualTo("retried by alice: pod fixed");
        assertThat(op.getCauseCommandId()).as("still the change it carries out").isEqualTo("c-1");
        assertThat(phase()).isEqualTo("Reconfiguring");
        // the retried operation goes on as one: its next reports change it as before
        observe(new OperationObserved("Reconfigure/c-1", "Reconfigure", OperationState.SUCCEEDED, "c-1", null));
        assertThat(phase()).isEqualTo("Ready");
    }

    @Test
    void anAbandonedOperationStaysAbandonedAndThePhaseFollowsTheWorld() {
        acceptedVersion(h.send(on().commandId("r-1").restartCluster("all", null)));
        observe(new OperationObserved("RollingRestart/r-1", "RollingRestart", OperationState.RUNNING, "r-1", null));
        brokersReady(2); // stuck: a restarted broker does not come back
        assertThat(phase()).isEqualTo("Restarting");

        acceptedVersion(h.send(on().commandId("abandon-1").abandonOperation("RollingRestart/r-1", "broker disk replaced tomorrow")));
        OperationStatus op = h.state("payments").getStatus().getOperation();
        assertThat(op.getState()).isEqualTo("ABANDONED");
        assertThat(op.getControlledBy()).isEqualTo("abandon-1");
        assertThat(op.getReason()).isEqualTo("abandoned by alice: broker disk replaced tomorrow");
        assertThat(phase()).as("not Ready while a broker is down").isEqualTo("Degraded");
        assertThat(h.state("payments").getSpec().getRestarts()).as("the manual restart is withdrawn")
                .containsExactlyEntriesOf(new java.util.TreeMap<>(java.util.Map.of("brokers", "", "controllers", "")));

        // a driver that had not seen the abandon yet reports once more: the operation stays abandoned
        observe(new OperationObserved("RollingRestart/r-1", "RollingRestart", OperationState.FAILED, "r-1", "gave up"));
        assertThat(h.state("payments").getStatus().getOperation().getState()).isEqualTo("ABANDONED");
        brokersReady(3);
        assertThat(phase()).isEqualTo("Ready");

        CommandRejected retry = rejected(h.send(on().retryOperation("RollingRestart/r-1", null)));
        assertThat(retry.getCode()).isEqualTo(RejectionCode.OPERATION_ENDED);
        assertThat(retry.getReason()).contains("never continued").contains("RestartCluster");
        assertThat(rejected(h.send(on().abandonOperation("RollingRestart/r-1", null))).getCode()).isEqualTo(RejectionCode.OPERATION_ENDED);
        // a new operation replaces it as the current one
        observe(new OperationObserved("RollingRestart/r-2", "RollingRestart", OperationState.RUNNING, "r-2", null));
        assertThat(h.state("payments").getStatus().getOperation().getAttempt()).isEqualTo(1);
        assertThat(h.state("payments").getStatus().getOperation().getControlledBy()).isNull();
    }

    @Test
    void aFailedOperationCanBeAbandonedToo() {
        observe(new OperationObserved("ScaleOut/s-1", "ScaleOut", OperationState.RUNNING, "s-1", null));
        observe(new OperationObserved("ScaleOut/s-1", "ScaleOut", OperationState.FAILED, "s-1", "gave up"));
        acceptedVersion(h.send(on().abandonOperation("ScaleOut/s-1", null)));
        assertThat(h.state("payments").getStatus().getOperation().getReason()).isEqualTo("abandoned by alice");
        assertThat(phase()).isEqualTo("Ready");
    }

    @Test
    void aManualRestartAsksForTheComponentsPodsToRollOneOperationAtATime() {
        Command brokers = on().commandId("restart-1").restartCluster("brokers", "JVM leak");
        acceptedVersion(h.send(brokers));
        assertThat(h.state("payments").getSpec().getRestarts()).containsExactlyEntriesOf(java.util.Map.of("brokers", "restart-1"));
        acceptedVersion(h.send(on().commandId("restart-2").restartCluster("all", null)));
        assertThat(h.state("payments").getSpec().getRestarts()).containsEntry("brokers", "restart-2").containsEntry("controllers", "restart-2");

        observe(new OperationObserved("RollingRestart/restart-2", "RollingRestart", OperationState.RUNNING, "restart-2", null));
        CommandRejected busy = rejected(h.send(on().restartCluster("controllers", null)));
        assertThat(busy.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(busy.getReason()).contains("RollingRestart RollingRestart/restart-2");
        observe(new OperationObserved("RollingRestart/restart-2", "RollingRestart", OperationState.SUCCEEDED, "restart-2", null));

        acceptedVersion(h.send(on().pause("freeze")));
        assertThat(rejected(h.send(on().restartCluster("brokers", null))).getCode()).isEqualTo(RejectionCode.CLUSTER_PAUSED);
        assertThat(rejected(h.send(on().retryOperation("RollingRestart/restart-2", null))).getCode()).isEqualTo(RejectionCode.CLUSTER_PAUSED);
        acceptedVersion(h.send(on().resume()));

        Command bad = on().restartCluster("brokers", null);
        bad.setPayload(new RestartCluster("zookeeper", null)); // a producer that skips the builder's checks
        CommandRejected invalid = rejected(h.send(bad));
        assertThat(invalid.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(invalid.getReason()).contains("payload.component").contains("brokers, controllers, all");
    }

    @Test
    void unmanagedTopicsFoldIntoTheStatusSorted() {
        observe(new TopicsObserved(List.of("legacy", "audit")));
        assertThat(h.state("payments").getStatus().getUnmanagedTopics()).containsExactly("audit", "legacy");
        observe(new TopicsObserved(List.of()));
        assertThat(h.state("payments").getStatus().getUnmanagedTopics()).isEmpty();
        assertThat(phase()).isEqualTo("Ready");
    }

    private CommandBuilder on() {
        return Commands.on("payments").issuer("alice").issuedAt(Instant.parse("2026-11-20T10:00:00Z").plusSeconds(clock++));
    }

    private void brokersReady(int ready) {
        observe(new ComponentObserved("brokers", 3, ready, List.of("4.1.0"), "apache/kafka:4.1.0"));
    }

    private void observe(Object observation) {
        acceptedVersion(h.send(on().observation("executor-1", observation)));
    }

    private String phase() {
        return h.state("payments").getStatus().getPhase();
    }
}
