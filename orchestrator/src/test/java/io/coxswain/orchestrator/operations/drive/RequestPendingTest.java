package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.fold.Evolve;
import org.junit.jupiter.api.Test;

/** Whether a rebalance or CA replacement request still calls for an operation, while the fold may not show yet the one this driver ended. */
class RequestPendingTest {

    private static ClusterState requested(String commandId) {
        return Evolve.apply(TestStates.created("pay", 3, 3), Commands.on("pay").commandId(commandId).rebalanceCluster(null, null));
    }

    private static RunningOperation.Attempt ended(String operationId) {
        return new RunningOperation.Attempt(operationId, 1);
    }

    private static boolean rebalancePending(ClusterState state, RunningOperation.Attempt endedLast) {
        return OperationChoice.requestPending(state, RunningOperation.REBALANCE, endedLast);
    }

    @Test
    void aRequestIsPendingUnlessThisDriverJustEndedItsOperationOrALaterAttemptOfIt() {
        assertThat(rebalancePending(TestStates.created("pay", 3, 3), null)).as("none asked for").isFalse();
        assertThat(rebalancePending(requested("rb-1"), null)).isTrue();
        assertThat(rebalancePending(requested("rb-1"), ended("Rebalance/rb-1"))).isFalse();
        assertThat(rebalancePending(requested("rb-1"), ended("Rebalance/rb-1/12"))).as("a later attempt's id").isFalse();
        assertThat(rebalancePending(requested("rb-1"), ended("Rebalance/rb-10"))).as("another request, whose id begins alike")
                .isTrue();
        assertThat(rebalancePending(requested("rb-10"), ended("Rebalance/rb-1"))).isTrue();
        assertThat(rebalancePending(requested("rb-1"), ended("ScaleOut/rb-1"))).isTrue();
    }

    @Test
    void aFailedRebalanceWaitsForAPersonNotForTheNextUnrelatedCommand() {
        ClusterState failed = Evolve.apply(requested("rb-1"), Commands.on("pay").observation("exec",
                new OperationObserved("Rebalance/rb-1", "Rebalance", OperationState.FAILED, "rb-1", "gave up")));
        assertThat(rebalancePending(failed, null)).isFalse();
        ClusterState retried = Evolve.apply(failed, Commands.on("pay").retryOperation("Rebalance/rb-1", null));
        assertThat(retried.getStatus().getOperation().getState()).as("a retry runs it again (the driver resumes it)").isEqualTo("RUNNING");
        ClusterState askedAgain = Evolve.apply(failed, Commands.on("pay").commandId("rb-2").rebalanceCluster("faster", 200L * 1024 * 1024));
        assertThat(rebalancePending(askedAgain, null)).as("a new request starts a new rebalance").isTrue();
    }

    @Test
    void aCaReplacementIsPendingByItsOwnRequestAndAFailedOneWaitsForAPerson() {
        ClusterState asked = Evolve.apply(TestStates.created("pay", 3, 3), Commands.on("pay").commandId("ca-1").replaceClusterCa("key leaked"));
        assertThat(OperationChoice.requestPending(asked, RunningOperation.REPLACE_CA, null)).isTrue();
        assertThat(rebalancePending(asked, null)).as("a CA replacement asks for no rebalance").isFalse();
        assertThat(OperationChoice.requestPending(asked, RunningOperation.REPLACE_CA, ended("ReplaceClusterCa/ca-1"))).isFalse();
        ClusterState failed = Evolve.apply(asked, Commands.on("pay").observation("exec",
                new OperationObserved("ReplaceClusterCa/ca-1", "ReplaceClusterCa", OperationState.FAILED, "ca-1", "gave up")));
        assertThat(OperationChoice.requestPending(failed, RunningOperation.REPLACE_CA, null)).isFalse();
        assertThat(OperationChoice.requestPending(TestStates.created("pay", 3, 3), RunningOperation.REPLACE_CA, null)).isFalse();
    }
}
