package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.RebalanceCluster;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.RebalanceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DECIDE and FOLD of RebalanceCluster, through the real topology: the request is kept in
 * {@code spec.rebalance} until the operation it caused ends, which only the log can tell.
 */
class RebalanceRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private RebalanceRequest pending(String cluster) {
        return h.state(cluster).getSpec().getRebalance();
    }

    private void observe(String cluster, String cause, OperationState state) {
        acceptedVersion(h.send(h.on(cluster).observation("exec", new OperationObserved("Rebalance/" + cause, "Rebalance", state, cause, null))));
    }

    @Test
    void aRequestIsPendingWithWhoWhyAndTheThrottleUntilItsOperationSucceeds() {
        acceptedVersion(h.send(h.on("pay").commandId("create").createCluster("4.1.0", 3, 3, "10Gi")));
        Command rebalance = h.on("pay").commandId("rb-1").rebalanceCluster("broker 2 replaced", 20L * 1024 * 1024);
        assertThat(acceptedVersion(h.send(rebalance))).isEqualTo(2);
        assertThat(pending("pay")).isEqualTo(new RebalanceRequest("rb-1", "alice", "broker 2 replaced", 20L * 1024 * 1024, rebalance.getIssuedAt()));

        observe("pay", "rb-1", OperationState.RUNNING);
        assertThat(h.state("pay").getStatus().getPhase()).isEqualTo("Rebalancing");
        assertThat(pending("pay")).as("still pending while it runs: an executor restarted now resumes it").isNotNull();
        CommandRejected again = rejected(h.send(h.on("pay").rebalanceCluster(null, null)));
        assertThat(again.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(again.getReason()).contains("Rebalance Rebalance/rb-1", "wait until it finishes");

        observe("pay", "rb-1", OperationState.SUCCEEDED);
        assertThat(pending("pay")).as("done").isNull();
    }

    @Test
    void aFailedRebalanceStaysPendingAndANewRequestReplacesItWhileAnOldOneEndingLeavesTheNewPending() {
        acceptedVersion(h.send(h.on("pay").createCluster("4.1.0", 3, 3, "10Gi")));
        acceptedVersion(h.send(h.on("pay").commandId("rb-1").rebalanceCluster(null, null)));
        observe("pay", "rb-1", OperationState.RUNNING);
        observe("pay", "rb-1", OperationState.FAILED);
        assertThat(pending("pay").getCommandId()).as("a FAILED operation waits for a person").isEqualTo("rb-1");

        acceptedVersion(h.send(h.on("pay").commandId("rb-2").rebalanceCluster("again, faster", 200L * 1024 * 1024)));
        assertThat(pending("pay").getCommandId()).isEqualTo("rb-2");
        assertThat(pending("pay").getThrottleBytesPerSecond()).isEqualTo(200L * 1024 * 1024);
        observe("pay", "rb-1", OperationState.SUCCEEDED);
        assertThat(pending("pay").getCommandId()).as("the older request's operation ending does not settle the newer one").isEqualTo("rb-2");
        observe("pay", "rb-2", OperationState.RUNNING);
        observe("pay", "rb-2", OperationState.SUCCEEDED);
        assertThat(pending("pay")).isNull();
    }

    @Test
    void anAbandonedRebalanceIsWithdrawnAndAnOtherOperationEndingLeavesARequestPending() {
        acceptedVersion(h.send(h.on("pay").createCluster("4.1.0", 3, 3, "10Gi")));
        acceptedVersion(h.send(h.on("pay").commandId("rb-1").rebalanceCluster(null, null)));
        acceptedVersion(h.send(h.on("pay").observation("exec", new OperationObserved("ScaleOut/x", "ScaleOut", OperationState.SUCCEEDED, "rb-1", null))));
        assertThat(pending("pay")).as("only a Rebalance settles it").isNotNull();
        observe("pay", "rb-1", OperationState.RUNNING);
        acceptedVersion(h.send(h.on("pay").abandonOperation("Rebalance/rb-1", "moving too much during the sale")));
        assertThat(pending("pay")).as("abandoned: not started again by whatever comes next").isNull();
        assertThat(h.state("pay").getStatus().getOperation().getState()).isEqualTo("ABANDONED");
    }

    @Test
    void oneBrokerHasNothingToSpreadAndBadInputNamesTheField() {
        assertThat(rejected(h.send(h.on("nope").rebalanceCluster(null, null))).getCode()).isEqualTo(RejectionCode.CLUSTER_NOT_FOUND);
        acceptedVersion(h.send(h.on("solo").createCluster("4.1.0", 1, 1, "10Gi")));
        CommandRejected solo = rejected(h.send(h.on("solo").rebalanceCluster(null, null)));
        assertThat(solo.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(solo.getReason()).contains("cluster 'solo' has 1 broker", "ScaleBrokers");

        acceptedVersion(h.send(h.on("pay").createCluster("4.1.0", 3, 3, "10Gi")));
        Command raw = h.on("pay").resume();
        raw.setPayload(new RebalanceCluster(null, 1000L)); // straight to the topic, past the builder's check
        CommandRejected slow = rejected(h.send(raw));
        assertThat(slow.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(slow.getReason()).contains("payload.throttleBytesPerSecond", "got 1000");
        assertThat(pending("pay")).isNull();

        acceptedVersion(h.send(h.on("pay").pause("maintenance")));
        assertThat(rejected(h.send(h.on("pay").rebalanceCluster(null, null))).getCode()).isEqualTo(RejectionCode.CLUSTER_PAUSED);
    }
}
