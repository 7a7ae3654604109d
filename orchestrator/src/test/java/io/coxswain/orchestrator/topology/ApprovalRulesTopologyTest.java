package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.awaitingApprovals;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ReconciledObserved;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.Proposal;
import io.coxswain.avro.state.ProposalOutcome;
import io.coxswain.commands.CommandBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Four eyes through the real topology: a command the cluster's approval policy covers is recorded as a
 * proposal and not applied; its proposer may not approve it; another person's last approval decides it
 * again on the cluster as it is then and applies it under its own id; a veto, a withdrawal and the
 * policy's expiry end it; a policy is not loosened by one person.
 */
class ApprovalRulesTopologyTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final TopologyHarness h = new TopologyHarness();
    private int seconds;

    @BeforeEach
    void clusterWithAPolicy() {
        acceptedVersion(h.send(as("alice").createCluster("4.1.0", 1, 3, "10Gi")));
        acceptedVersion(h.send(as("alice").createTopic("orders", 3, 1, Map.of())));
        acceptedVersion(h.send(as("alice").createTopic("audit", 1, 1, Map.of())));
        acceptedVersion(h.send(as("alice").setApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic", "ScaleBrokers"), 1),
                new ApprovalRule(List.of("DeleteCluster"), 2)), 72)));
    }

    @AfterEach
    void close() {
        h.close();
    }

    /** Commands by {@code issuer}, each issued a second after the one before. */
    private CommandBuilder as(String issuer) {
        return io.coxswain.commands.Commands.on("payments").issuer(issuer).issuedAt(T0.plusSeconds(seconds++));
    }

    private ClusterState state() {
        return h.state("payments");
    }

    @Test
    void aCoveredCommandIsRecordedNotAppliedAndAnotherPersonsApprovalAppliesItUnderItsOwnId() {
        ClusterState before = state();
        Command delete = as("alice").commandId("delete-orders").deleteTopic("orders");
        Decision proposed = h.send(delete);
        assertThat(awaitingApprovals(proposed)).isEqualTo(1);
        ClusterState pending = state();
        assertThat(pending.getTopics()).as("not applied").containsKey("orders");
        assertThat(pending.getIntentVersion()).as("nothing changed yet").isEqualTo(before.getIntentVersion());
        assertThat(pending.getLastCommandId()).isEqualTo(before.getLastCommandId());
        Proposal p = pending.getSpec().getProposals().get("delete-orders");
        assertThat(p.getType()).isEqualTo("DeleteTopic");
        assertThat(p.getIssuer()).isEqualTo("alice");
        assertThat(p.getApprovalsNeeded()).isEqualTo(1);
        assertThat(p.getExpiresAt()).isEqualTo(delete.getIssuedAt().plus(Duration.ofHours(72)));
        assertThat(h.send(delete).getDuplicate()).as("its id stays decided once").isTrue();

        CommandRejected self = rejected(h.send(as("alice").approve("delete-orders")));
        assertThat(self.getCode()).isEqualTo(RejectionCode.APPROVAL_NOT_ALLOWED);
        assertThat(self.getReason()).contains("alice proposed DeleteTopic delete-orders", "someone else must");
        assertThat(state().getTopics()).containsKey("orders");

        Command approval = as("bob").commandId("ok-by-bob").approve("delete-orders");
        long applied = acceptedVersion(h.send(approval));
        ClusterState after = state();
        assertThat(after.getTopics()).doesNotContainKey("orders");
        assertThat(after.getVersion()).isEqualTo(applied).isEqualTo(pending.getVersion() + 1);
        assertThat(after.getIntentVersion()).isEqualTo(applied);
        assertThat(after.getLastCommandId()).as("operations it starts name it as their cause").isEqualTo("delete-orders");
        assertThat(after.getUpdatedAt()).as("it took effect when approved").isEqualTo(approval.getIssuedAt());
        assertThat(after.getSpec().getProposals()).isEmpty();
        ProposalOutcome outcome = h.lastOutcome("payments");
        assertThat(outcome.getCommandId()).isEqualTo("delete-orders");
        assertThat(outcome.getState()).isEqualTo("APPLIED");
        assertThat(outcome.getIssuer()).isEqualTo("alice");
        assertThat(outcome.getApprovers()).containsExactly("bob");
        assertThat(outcome.getBy()).isEqualTo("bob");
        assertThat(outcome.getByCommandId()).isEqualTo("ok-by-bob");
        assertThat(outcome.getVersion()).isEqualTo(applied);

        CommandRejected again = rejected(h.send(as("carol").approve("delete-orders")));
        assertThat(again.getCode()).isEqualTo(RejectionCode.PROPOSAL_NOT_FOUND);
        assertThat(again.getReason()).contains("it ended APPLIED", "by bob");
        acceptedVersion(h.send(as("alice").createTopic("fresh", 1, 1, Map.of())));
        assertThat(state().getTopics()).as("uncovered commands apply at once").containsKey("fresh");
    }

    @Test
    void twoApprovalsByDifferentPeopleAreNeededWhereTheRuleSaysTwo() {
        assertThat(awaitingApprovals(h.send(as("alice").commandId("drop").deleteCluster(false)))).isEqualTo(2);
        acceptedVersion(h.send(as("bob").approve("drop")));
        assertThat(rejected(h.send(as("bob").approve("drop"))).getReason()).contains("bob already approved", "1 so far");
        assertThat(state().getSpec().getDeleteRequested()).isFalse();
        acceptedVersion(h.send(as("carol").approve("drop")));
        assertThat(state().getSpec().getDeleteRequested()).isTrue();
        assertThat(h.lastOutcome("payments").getApprovers()).containsExactly("bob", "carol");
    }

    @Test
    void theOriginalIsDecidedAgainAtApprovalAndRefusedWhenSomeoneChangedTheClusterSince() {
        long seen = state().getVersion();
        Command scale = as("alice").commandId("scale").unchangedSince(seen).scaleBrokers(5);
        awaitingApprovals(h.send(scale));
        acceptedVersion(h.send(as("alice").observation("exec-1", new ReconciledObserved(seen)))); // not a change of intent
        acceptedVersion(h.send(as("dave").updateTopicConfig("audit", Map.of("retention.ms", "1000"), List.of())));
        long v = acceptedVersion(h.send(as("bob").approve("scale")));
        ClusterState after = state();
        assertThat(after.getSpec().getBrokers()).as("refused: the cluster changed after the version it was decided on").isEqualTo(3);
        assertThat(after.getVersion()).isEqualTo(v);
        assertThat(after.getSpec().getProposals()).isEmpty();
        ProposalOutcome outcome = h.lastOutcome("payments");
        assertThat(outcome.getState()).isEqualTo("REFUSED");
        assertThat(outcome.getReason()).contains("VERSION_CONFLICT", "after version " + seen);
        assertThat(outcome.getVersion()).isNull();
    }

    @Test
    void aVetoOrAWithdrawalEndsAProposalAndOnlyTheRightPersonMaySendEach() {
        awaitingApprovals(h.send(as("alice").commandId("d1").deleteTopic("audit")));
        assertThat(rejected(h.send(as("bob").withdrawProposal("d1", null))).getReason()).contains("only its proposer withdraws it");
        assertThat(rejected(h.send(as("alice").rejectProposal("d1", "no"))).getReason()).contains("send WithdrawProposal");
        acceptedVersion(h.send(as("bob").rejectProposal("d1", "audit is still read by compliance")));
        assertThat(h.lastOutcome("payments").getState()).isEqualTo("REJECTED");
        assertThat(h.lastOutcome("payments").getReason()).isEqualTo("audit is still read by compliance");
        assertThat(h.lastOutcome("payments").getBy()).isEqualTo("bob");

        awaitingApprovals(h.send(as("alice").commandId("d2").deleteTopic("audit")));
        acceptedVersion(h.send(as("alice").withdrawProposal("d2", "wrong cluster")));
        assertThat(h.lastOutcome("payments").getState()).isEqualTo("WITHDRAWN");
        assertThat(state().getTopics()).containsKey("audit");
        assertThat(state().getSpec().getProposals()).isEmpty();
    }

    @Test
    void aProposalExpiresAtTheFirstCommandFoldedPastItsExpiryAndALateApprovalIsRefused() {
        Command delete = as("alice").commandId("late").deleteTopic("audit");
        awaitingApprovals(h.send(delete));
        Instant past = delete.getIssuedAt().plus(Duration.ofHours(72)).plusSeconds(1);
        CommandRejected late = rejected(h.send(io.coxswain.commands.Commands.on("payments").issuer("bob").issuedAt(past).approve("late")));
        assertThat(late.getCode()).isEqualTo(RejectionCode.PROPOSAL_EXPIRED);
        assertThat(late.getReason()).contains("expired at", "72 hours");
        assertThat(state().getSpec().getProposals()).as("a rejected command changes no state").containsKey("late");

        acceptedVersion(h.send(io.coxswain.commands.Commands.on("payments").issuer("exec").issuedAt(past)
                .observation("exec-1", new ReconciledObserved(1L))));
        assertThat(state().getSpec().getProposals()).isEmpty();
        assertThat(h.lastOutcome("payments").getState()).isEqualTo("EXPIRED");
        assertThat(h.lastOutcome("payments").getBy()).isNull();
        assertThat(state().getTopics()).containsKey("audit");
    }

    @Test
    void aPolicyIsNotLoosenedByOnePersonAndAShapeMistakeNamesTheField() {
        Decision clear = h.send(as("alice").commandId("clear").setApprovalPolicy(List.of(), 72));
        assertThat(awaitingApprovals(clear)).as("the strictest rule's approvals").isEqualTo(2);
        assertThat(state().getSpec().getApprovalPolicy()).isNotNull();
        acceptedVersion(h.send(as("bob").approve("clear")));
        acceptedVersion(h.send(as("carol").approve("clear")));
        assertThat(state().getSpec().getApprovalPolicy()).isNull();
        acceptedVersion(h.send(as("alice").deleteTopic("audit")));
        assertThat(state().getTopics()).as("no policy: applied at once").doesNotContainKey("audit");

        Command bad = io.coxswain.avro.command.Command.newBuilder(as("alice").resume())
                .setPayload(new io.coxswain.avro.command.SetApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopics", "RecordObservation"), 4)), 0))
                .build();
        CommandRejected invalid = rejected(h.send(bad));
        assertThat(invalid.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(invalid.getReason()).contains("payload.expiresAfterHours", "payload.rules[0].approvals", "payload.rules[0].commands[0]",
                "unknown command type 'DeleteTopics'", "payload.rules[0].commands[1]");
    }
}
