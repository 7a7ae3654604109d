package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.fold.Evolve;
import org.junit.jupiter.api.Test;

/** Whether a rebalance request still calls for an operation, while the fold may not show yet the one this driver ended. */
class RebalancePendingTest {

    private static ClusterState requested(String commandId) {
        return Evolve.apply(TestStates.created("pay", 3, 3), Commands.on("pay").commandId(commandId).rebalanceCluster(null, null));
    }

    private static RunningOperation.Attempt ended(String operationId) {
        return new RunningOperation.Attempt(operationId, 1);
    }

    @Test
    void aRequestIsPendingUnlessThisDriverJustEndedItsOperationOrALaterAttemptOfIt() {
        assertThat(OperationDrivers.rebalancePending(TestStates.created("pay", 3, 3), null)).as("none asked for").isFalse();
        assertThat(OperationDrivers.rebalancePending(requested("rb-1"), null)).isTrue();
        assertThat(OperationDrivers.rebalancePending(requested("rb-1"), ended("Rebalance/rb-1"))).isFalse();
        assertThat(OperationDrivers.rebalancePending(requested("rb-1"), ended("Rebalance/rb-1/12"))).as("a later attempt's id").isFalse();
        assertThat(OperationDrivers.rebalancePending(requested("rb-1"), ended("Rebalance/rb-10"))).as("another request, whose id begins alike")
                .isTrue();
        assertThat(OperationDrivers.rebalancePending(requested("rb-10"), ended("Rebalance/rb-1"))).isTrue();
        assertThat(OperationDrivers.rebalancePending(requested("rb-1"), ended("ScaleOut/rb-1"))).isTrue();
    }
}
