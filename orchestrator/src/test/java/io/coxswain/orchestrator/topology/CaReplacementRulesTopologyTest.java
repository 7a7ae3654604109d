package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.CaObserved;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.ReplaceClusterCa;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.CaReplacementRequest;
import io.coxswain.avro.state.CaStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DECIDE and FOLD of ReplaceClusterCa, through the real topology: the request is kept in
 * {@code spec.caReplacement}, with who asked and why, until the operation it caused ends.
 */
class CaReplacementRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private CaReplacementRequest pending(String cluster) {
        return h.state(cluster).getSpec().getCaReplacement();
    }

    private void observe(String cluster, String cause, OperationState state) {
        acceptedVersion(h.send(h.on(cluster).observation("exec", new OperationObserved("ReplaceClusterCa/" + cause, "ReplaceClusterCa", state, cause, null))));
    }

    @Test
    void aRequestIsPendingWithWhoAndWhyUntilItsOperationSucceedsAndRefusedWhileOneRuns() {
        acceptedVersion(h.send(h.on("pay").commandId("create").createCluster("4.1.0", 3, 3, "10Gi")));
        Command replace = h.on("pay").commandId("ca-1").replaceClusterCa("CA key found in a public bucket");
        assertThat(acceptedVersion(h.send(replace))).isEqualTo(2);
        assertThat(pending("pay")).isEqualTo(new CaReplacementRequest("ca-1", "alice", "CA key found in a public bucket", replace.getIssuedAt()));

        observe("pay", "ca-1", OperationState.RUNNING);
        assertThat(h.state("pay").getStatus().getPhase()).isEqualTo("ReplacingCa");
        CommandRejected again = rejected(h.send(h.on("pay").replaceClusterCa(null)));
        assertThat(again.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(again.getReason()).contains("ReplaceClusterCa ReplaceClusterCa/ca-1", "wait until it finishes");
        assertThat(rejected(h.send(h.on("pay").restartCluster("all", null))).getCode()).as("no roll of its own in the middle of it")
                .isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);

        observe("pay", "ca-1", OperationState.FAILED);
        assertThat(pending("pay").getCommandId()).as("a FAILED replacement waits for a person").isEqualTo("ca-1");
        acceptedVersion(h.send(h.on("pay").retryOperation("ReplaceClusterCa/ca-1", "the stuck broker is back")));
        observe("pay", "ca-1", OperationState.SUCCEEDED);
        assertThat(pending("pay")).as("done").isNull();
        Instant expiry = Instant.parse("2031-12-06T00:00:00Z");
        acceptedVersion(h.send(h.on("pay").observation("exec", new CaObserved("AA:01", expiry, List.of("AA:01")))));
        CaStatus ca = h.state("pay").getStatus().getCa();
        assertThat(ca.getFingerprint()).isEqualTo("AA:01");
        assertThat(ca.getNotAfter()).isEqualTo(expiry);
        assertThat(ca.getTrusted()).as("the evidence an auditor reads: only the new CA is trusted").containsExactly("AA:01");
        assertThat(h.state("pay").getStatus().getPhase()).isNotEqualTo("ReplacingCa");
    }

    @Test
    void aNewerRequestReplacesAPendingOneAndAnAbandonedReplacementIsWithdrawn() {
        acceptedVersion(h.send(h.on("pay").createCluster("4.1.0", 3, 3, "10Gi")));
        acceptedVersion(h.send(h.on("pay").commandId("ca-1").replaceClusterCa(null)));
        acceptedVersion(h.send(h.on("pay").commandId("ca-2").replaceClusterCa("yearly rotation")));
        assertThat(pending("pay").getCommandId()).isEqualTo("ca-2");
        observe("pay", "ca-1", OperationState.SUCCEEDED);
        assertThat(pending("pay").getCommandId()).as("an older request's operation does not settle the newer one").isEqualTo("ca-2");
        acceptedVersion(h.send(h.on("pay").observation("exec", new OperationObserved("Rebalance/ca-2", "Rebalance", OperationState.SUCCEEDED, "ca-2", null))));
        assertThat(pending("pay")).as("only a ReplaceClusterCa settles it").isNotNull();

        observe("pay", "ca-2", OperationState.RUNNING);
        acceptedVersion(h.send(h.on("pay").abandonOperation("ReplaceClusterCa/ca-2", "during the sale")));
        assertThat(pending("pay")).as("abandoned: not started again by whatever comes next").isNull();
    }

    @Test
    void badInputNamesTheFieldAndNothingIsPending() {
        assertThat(rejected(h.send(h.on("nope").replaceClusterCa(null))).getCode()).isEqualTo(RejectionCode.CLUSTER_NOT_FOUND);
        acceptedVersion(h.send(h.on("pay").createCluster("4.1.0", 1, 1, "10Gi")));
        Command raw = h.on("pay").resume();
        raw.setPayload(new ReplaceClusterCa("x".repeat(5000))); // straight to the topic, past the builder's check
        CommandRejected tooLong = rejected(h.send(raw));
        assertThat(tooLong.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(tooLong.getReason()).contains("payload.reason");
        assertThat(pending("pay")).isNull();

        acceptedVersion(h.send(h.on("pay").pause("maintenance")));
        assertThat(rejected(h.send(h.on("pay").replaceClusterCa(null))).getCode()).isEqualTo(RejectionCode.CLUSTER_PAUSED);
    }
}
