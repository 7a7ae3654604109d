package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.APPROVAL_NOT_ALLOWED;
import static io.coxswain.avro.event.RejectionCode.CLUSTER_PAUSED;
import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;
import static io.coxswain.avro.event.RejectionCode.OPERATION_IN_PROGRESS;
import static io.coxswain.avro.event.RejectionCode.OTHER;
import static io.coxswain.avro.event.RejectionCode.PROPOSAL_EXPIRED;
import static io.coxswain.avro.event.RejectionCode.PROPOSAL_NOT_FOUND;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.ApproveCommand;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.RejectProposal;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.command.WithdrawProposal;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ApprovalPolicySpec;
import io.coxswain.avro.state.ApprovalRuleSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.Proposal;
import io.coxswain.avro.state.ProposalOutcome;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.Commands;
import io.coxswain.commands.shape.ApprovalShape;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * DECIDE for four eyes: which commands the cluster's approval policy covers, and whether an approval,
 * a veto or a withdrawal may act on a proposal. The fold compares issuer names, so four eyes is as
 * strong as the issuer's authentication (the gateway's tokens, or signed commands).
 */
final class ApprovalControl {

    /** Proposals pending on one cluster at most: each holds its command in the cluster's state record. */
    static final int MAX_PENDING = 50;
    /** A fifth of the cluster's proposals: one person's stream of proposals cannot crowd out everyone else's. */
    static final int MAX_PENDING_PER_PROPOSER = 10;

    /** Refusals of a re-decision that pass with time: the last approval waits for them rather than ending the proposal. */
    private static final Set<RejectionCode> TRANSIENT = Set.of(CLUSTER_PAUSED, OPERATION_IN_PROGRESS);
    private static final String SET_POLICY = SetApprovalPolicy.class.getSimpleName();

    private ApprovalControl() {
    }

    /** The commands that act on proposals (SetApprovalPolicy is a change of its own, folded as one). */
    static boolean handles(Object p) {
        return p instanceof ApproveCommand || p instanceof RejectProposal || p instanceof WithdrawProposal;
    }

    /** Governance commands move nothing on the cluster, so a pause does not hold them back. */
    static boolean passesPause(Object p) {
        return handles(p) || p instanceof SetApprovalPolicy;
    }

    /**
     * How many approvals by others {@code c} needs before it is applied; empty: apply it now. A CreateCluster is never
     * covered, nor anything on a cluster that does not exist or was deleted (a re-created cluster starts with the policy
     * its CreateCluster carries, if any): else a proposal could wait where no approval is accepted. Once a cluster has a policy, a SetApprovalPolicy needs
     * the strictest rule's: one person may not loosen it.
     */
    static OptionalInt approvalsNeeded(ClusterState state, Command c) {
        Object p = c.getPayload();
        boolean exists = state != null && !Phases.DELETED.equals(state.getStatus().getPhase());
        if (!exists || p instanceof CreateCluster || p instanceof RecordObservation || handles(p)) {
            return OptionalInt.empty();
        }
        return approvalsNeeded(state.getSpec().getApprovalPolicy(), Commands.typeOf(c));
    }

    /** What {@code policy} asks of a command of {@code type}: the strictest matching rule. */
    static OptionalInt approvalsNeeded(ApprovalPolicySpec policy, String type) {
        if (policy == null) {
            return OptionalInt.empty();
        }
        boolean policyChange = SET_POLICY.equals(type);
        return policy.getRules().stream()
                .filter(r -> policyChange || r.getCommands().contains(type) || r.getCommands().contains(ApprovalShape.EVERY_CHANGE))
                .mapToInt(ApprovalRuleSpec::getApprovals).max();
    }

    /**
     * DECIDE of a command about to become a proposal (it already passed its own checks). Proposals past their expiry
     * do not count: this command's fold ends them.
     */
    static Optional<Rejection> checkProposal(ClusterState state, Command c) {
        List<Proposal> pending = state.getSpec().getProposals().values().stream().filter(p -> !expired(p, c.getIssuedAt())).toList();
        String cluster = state.getClusterId();
        if (pending.size() >= MAX_PENDING) {
            return Optional.of(new Rejection(OPERATION_IN_PROGRESS, "cluster '" + cluster + "' has " + pending.size() + " proposals"
                    + " waiting for approval, the most it keeps: approve, reject or withdraw some (cox approvals list " + cluster
                    + ") and send the command again"));
        }
        long own = pending.stream().filter(p -> p.getIssuer().equals(c.getIssuer())).count();
        if (own >= MAX_PENDING_PER_PROPOSER) {
            return Optional.of(new Rejection(OPERATION_IN_PROGRESS, c.getIssuer() + " has " + own + " proposals waiting for approval on"
                    + " cluster '" + cluster + "', the most one person may have there (so that no one fills the cluster's " + MAX_PENDING
                    + " alone): have some approved or rejected, or withdraw them (cox approvals list " + cluster + "; cox withdraw " + cluster
                    + " COMMAND_ID), and send the command again"));
        }
        return Optional.empty();
    }

    static Optional<Rejection> check(ClusterState state, Command c) {
        Object p = c.getPayload();
        if (p instanceof SetApprovalPolicy s) {
            return checkPolicy(state, s);
        }
        String id = p instanceof ApproveCommand a ? a.getCommandId() : p instanceof RejectProposal r ? r.getCommandId()
                : ((WithdrawProposal) p).getCommandId();
        Proposal proposal = state.getSpec().getProposals().get(id);
        String cluster = state.getClusterId();
        if (proposal == null) {
            return Optional.of(new Rejection(PROPOSAL_NOT_FOUND, "no proposal of command " + id + " is pending on cluster '" + cluster + "'"
                    + ended(state, id) + "; the pending ones: cox approvals list " + cluster));
        }
        if (expired(proposal, c.getIssuedAt())) {
            return Optional.of(new Rejection(PROPOSAL_EXPIRED, "the proposal of " + proposal.getType() + " " + id + " by " + proposal.getIssuer()
                    + " expired at " + proposal.getExpiresAt() + " (the policy's " + hours(proposal) + " hours): nothing was approved; the"
                    + " proposer sends the command again, under a new id, if it is still wanted"));
        }
        boolean proposer = proposal.getIssuer().equals(c.getIssuer());
        if (p instanceof WithdrawProposal) {
            return proposer ? Optional.empty() : Optional.of(new Rejection(APPROVAL_NOT_ALLOWED, c.getIssuer() + " did not propose "
                    + proposal.getType() + " " + id + " (" + proposal.getIssuer() + " did): only its proposer withdraws it; send RejectProposal"
                    + " to veto it"));
        }
        if (proposer) {
            return Optional.of(new Rejection(APPROVAL_NOT_ALLOWED, c.getIssuer() + " proposed " + proposal.getType() + " " + id + " and may not "
                    + (p instanceof ApproveCommand ? "approve it: someone else must (four eyes)" : "veto it: send WithdrawProposal to take it back")));
        }
        if (p instanceof ApproveCommand && proposal.getApprovals().stream().anyMatch(a -> a.getIssuer().equals(c.getIssuer()))) {
            return Optional.of(new Rejection(APPROVAL_NOT_ALLOWED, c.getIssuer() + " already approved " + proposal.getType() + " " + id
                    + "; it needs " + proposal.getApprovalsNeeded() + " approvals by different people, "
                    + proposal.getApprovals().size() + " so far"));
        }
        return p instanceof ApproveCommand && proposal.getApprovals().size() + 1 >= proposal.getApprovalsNeeded()
                ? checkLastApproval(state, c, proposal, id) : Optional.empty();
    }

    /**
     * The last approval decides the original again (Proposals); here DECIDE refuses the approval itself when that
     * decision cannot be taken now but may be later, so the proposal stays pending instead of ending REFUSED for good:
     * a command stored by a newer Coxswain, a pause, an operation running.
     */
    private static Optional<Rejection> checkLastApproval(ClusterState state, Command c, Proposal proposal, String id) {
        String cluster = state.getClusterId();
        if (!StoredCommands.ships(proposal.getCommandSchemaVersion())) {
            return Optional.of(new Rejection(OTHER, "the proposal of " + proposal.getType() + " " + id + " on cluster '" + cluster
                    + "' was recorded with commands schema v" + proposal.getCommandSchemaVersion() + " by a newer Coxswain; this one ships v1 to v"
                    + StoredCommands.CURRENT_VERSION + " and cannot decide it: the proposal stays pending; approve it again once the nodes run"
                    + " a Coxswain as new as the one that recorded it"));
        }
        Optional<Rejection> now = Decide.check(state, Proposals.asApprovedBy(proposal, c));
        if (now.isPresent() && TRANSIENT.contains(now.get().code())) {
            return Optional.of(new Rejection(now.get().code(), "not approved yet: " + proposal.getType() + " " + id + " cannot be applied now ("
                    + now.get().reason() + "); the proposal stays pending: approve it again when that is over, before it expires at "
                    + proposal.getExpiresAt()));
        }
        return Optional.empty();
    }

    private static Optional<Rejection> checkPolicy(ClusterState state, SetApprovalPolicy s) {
        ApprovalPolicySpec policy = state.getSpec().getApprovalPolicy();
        if (policy == null && s.getRules().isEmpty()) {
            return Optional.of(new Rejection(NO_CHANGE, "cluster '" + state.getClusterId() + "' has no approval policy: nothing to clear"));
        }
        if (policy != null && policy.getExpiresAfterHours() == s.getExpiresAfterHours() && sameRules(policy.getRules(), s.getRules())) {
            return Optional.of(new Rejection(NO_CHANGE, "cluster '" + state.getClusterId() + "' already has this approval policy"));
        }
        return Optional.empty();
    }

    private static boolean sameRules(List<ApprovalRuleSpec> current, List<ApprovalRule> asked) {
        return current.equals(Proposals.rules(asked));
    }

    /** " (it ended APPLIED at ...)" when the ledger still has it. */
    private static String ended(ClusterState state, String id) {
        return outcomeOf(state, id).map(o -> " (it ended " + o.getState() + " at " + o.getAt() + (o.getBy() == null ? "" : " by " + o.getBy()) + ")").orElse("");
    }

    private static long hours(Proposal p) {
        return Duration.between(p.getProposedAt(), p.getExpiresAt()).toHours();
    }

    /** Whether a proposal is past its expiry at {@code at}. */
    static boolean expired(Proposal p, Instant at) {
        return at.isAfter(p.getExpiresAt());
    }

    /** How the proposal of {@code commandId} ended, the latest entry of the ledger if it still has one. */
    private static Optional<ProposalOutcome> outcomeOf(ClusterState state, String commandId) {
        return state.getStatus().getProposalOutcomes().stream().filter(o -> o.getCommandId().equals(commandId)).reduce((a, b) -> b);
    }
}
