package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.awaitingApprovals;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.ReconciledObserved;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Four eyes when the cluster or the policy changes while a proposal waits: a deleted cluster's policy does not
 * hold its re-creation; a change meanwhile refuses a proposal sent with expectedVersion; a stricter policy reaches
 * the pending proposals; a pause or a running operation holds back the last approval, not the proposal; expired
 * proposals do not count against the limit of pending ones.
 */
class ApprovalMeanwhileTopologyTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final TopologyHarness h = new TopologyHarness();
    private int seconds;

    @BeforeEach
    void clusterWithAPolicy() {
        acceptedVersion(h.send(as("alice").createCluster("4.1.0", 1, 3, "10Gi")));
        acceptedVersion(h.send(as("alice").createTopic("orders", 3, 1, Map.of())));
        acceptedVersion(h.send(as("alice").setApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic", "ScaleBrokers"), 1)), 72)));
    }

    @AfterEach
    void close() {
        h.close();
    }

    private CommandBuilder as(String issuer) {
        return Commands.on("payments").issuer(issuer).issuedAt(T0.plusSeconds(seconds++));
    }

    private ClusterState state() {
        return h.state("payments");
    }

    @Test
    void aClusterCreatedAgainAfterDeletionStartsWithoutTheDeletedOnesPolicy() {
        acceptedVersion(h.send(as("alice").commandId("star").setApprovalPolicy(List.of(new ApprovalRule(List.of("*"), 1)), 72)));
        acceptedVersion(h.send(as("bob").approve("star")));
        assertThat(state().getSpec().getApprovalPolicy().getRules().get(0).getCommands()).containsExactly("*");
        assertThat(awaitingApprovals(h.send(as("alice").commandId("drop").deleteCluster(false)))).isEqualTo(1);
        acceptedVersion(h.send(as("bob").approve("drop")));
        acceptedVersion(h.send(as("executor").observation("exec-1", new ClusterRemovedObserved(false))));
        assertThat(state().getStatus().getPhase()).isEqualTo("Deleted");

        Decision created = h.send(as("alice").commandId("again").createCluster("4.1.0", 1, 3, "10Gi"));
        assertThat(awaitingApprovals(created)).as("a CreateCluster is never a proposal: none could be approved on a deleted cluster").isZero();
        ClusterState fresh = state();
        assertThat(fresh.getLastCommandId()).isEqualTo("again");
        assertThat(fresh.getStatus().getPhase()).isNotEqualTo("Deleted");
        assertThat(fresh.getSpec().getApprovalPolicy()).as("a new cluster, with no policy").isNull();
        assertThat(fresh.getSpec().getProposals()).isEmpty();
        assertThat(fresh.getStatus().getProposalOutcomes()).isEmpty();
        acceptedVersion(h.send(as("alice").createTopic("orders", 3, 1, Map.of())));
        acceptedVersion(h.send(as("alice").deleteTopic("orders")));
        assertThat(state().getTopics()).as("applied at once").doesNotContainKey("orders");
    }

    @Test
    void aProposalSentWithExpectedVersionIsRefusedWhenSomeoneChangedTheClusterMeanwhile() {
        awaitingApprovals(h.send(as("alice").commandId("fresh").expectedVersion(state().getVersion()).scaleBrokers(4)));
        acceptedVersion(h.send(as("executor").observation("exec-1", new ReconciledObserved(1L)))); // no change of intent
        acceptedVersion(h.send(as("bob").approve("fresh")));
        assertThat(h.lastOutcome("payments").getState()).isEqualTo("APPLIED");
        assertThat(state().getSpec().getBrokers()).isEqualTo(4);

        long seen = state().getVersion();
        awaitingApprovals(h.send(as("alice").commandId("stale").expectedVersion(seen).scaleBrokers(5)));
        acceptedVersion(h.send(as("dave").updateTopicConfig("orders", Map.of("retention.ms", "1000"), List.of())));
        acceptedVersion(h.send(as("bob").approve("stale")));
        assertThat(state().getSpec().getBrokers()).as("decided on version %s, changed since", seen).isEqualTo(4);
        assertThat(h.lastOutcome("payments").getState()).isEqualTo("REFUSED");
        assertThat(h.lastOutcome("payments").getReason()).contains("VERSION_CONFLICT", "after version " + seen);
    }

    @Test
    void aStricterPolicyReachesThePendingProposalsAndALooserOneDoesNotLowerThem() {
        awaitingApprovals(h.send(as("alice").commandId("del").deleteTopic("orders")));
        awaitingApprovals(h.send(as("alice").commandId("tighten").setApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 2)), 72)));
        acceptedVersion(h.send(as("bob").approve("tighten")));
        assertThat(state().getSpec().getProposals().get("del").getApprovalsNeeded()).isEqualTo(2);

        acceptedVersion(h.send(as("bob").approve("del")));
        assertThat(state().getTopics()).as("one approval of the two the policy now asks").containsKey("orders");
        assertThat(awaitingApprovals(h.send(as("alice").commandId("loosen").setApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 1)), 72))))
                .isEqualTo(2);
        acceptedVersion(h.send(as("carol").approve("loosen")));
        acceptedVersion(h.send(as("dave").approve("loosen")));
        assertThat(state().getSpec().getProposals().get("del").getApprovalsNeeded()).isEqualTo(2);
        acceptedVersion(h.send(as("carol").approve("del")));
        assertThat(state().getTopics()).doesNotContainKey("orders");
        assertThat(h.lastOutcome("payments").getApprovers()).containsExactly("bob", "carol");
    }

    @Test
    void aPauseOrARunningOperationHoldsBackTheLastApprovalAndTheProposalStaysPending() {
        awaitingApprovals(h.send(as("alice").commandId("scale").scaleBrokers(5)));
        acceptedVersion(h.send(as("alice").pause("maintenance window")));
        CommandRejected paused = rejected(h.send(as("bob").approve("scale")));
        assertThat(paused.getCode()).isEqualTo(RejectionCode.CLUSTER_PAUSED);
        assertThat(paused.getReason()).contains("ScaleBrokers scale cannot be applied now", "is paused", "stays pending", "approve it again when that is over");
        assertThat(state().getSpec().getProposals()).containsKey("scale");
        acceptedVersion(h.send(as("alice").resume()));

        acceptedVersion(h.send(as("executor").observation("exec-1", new OperationObserved("op-1", "RestartCluster", OperationState.RUNNING, "x", null))));
        CommandRejected busy = rejected(h.send(as("bob").approve("scale")));
        assertThat(busy.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(busy.getReason()).contains("in the middle of RestartCluster op-1", "stays pending");
        assertThat(state().getSpec().getProposals().get("scale").getApprovals()).isEmpty();
        acceptedVersion(h.send(as("executor").observation("exec-1", new OperationObserved("op-1", "RestartCluster", OperationState.SUCCEEDED, "x", null))));

        acceptedVersion(h.send(as("bob").approve("scale")));
        assertThat(state().getSpec().getBrokers()).isEqualTo(5);
        assertThat(h.lastOutcome("payments").getState()).isEqualTo("APPLIED");
    }

    @Test
    void onePersonMayHaveAFifthOfTheProposalsAndExpiredOnesDoNotCount() {
        Instant first = T0.plusSeconds(seconds);
        List<String> proposers = List.of("alice", "bob", "carol", "dave", "erin");
        for (int i = 0; i < 50; i++) {
            awaitingApprovals(h.send(as(proposers.get(i / 10)).commandId("p" + i).deleteTopic("orders")));
            if (i == 9) {
                CommandRejected hers = rejected(h.send(as("alice").deleteTopic("orders")));
                assertThat(hers.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
                assertThat(hers.getReason()).contains("alice has 10 proposals waiting for approval on cluster 'payments', the most one person may have",
                        "cox withdraw payments COMMAND_ID");
            }
        }
        CommandRejected full = rejected(h.send(as("frank").deleteTopic("orders")));
        assertThat(full.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(full.getReason()).contains("has 50 proposals waiting");

        Command late = Commands.on("payments").issuer("alice").commandId("after").issuedAt(first.plus(Duration.ofHours(73))).deleteTopic("orders");
        assertThat(awaitingApprovals(h.send(late))).isEqualTo(1);
        assertThat(state().getSpec().getProposals()).containsOnlyKeys("after");
        assertThat(state().getStatus().getProposalOutcomes()).hasSize(50).allMatch(o -> o.getState().equals("EXPIRED"));
    }
}
