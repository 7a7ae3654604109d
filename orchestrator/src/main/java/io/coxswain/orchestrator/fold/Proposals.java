package io.coxswain.orchestrator.fold;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.ApproveCommand;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RejectProposal;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.command.WithdrawProposal;
import io.coxswain.avro.state.ApprovalPolicySpec;
import io.coxswain.avro.state.ApprovalRuleSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.avro.state.Proposal;
import io.coxswain.avro.state.ProposalApproval;
import io.coxswain.avro.state.ProposalOutcome;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.Commands;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * FOLD for four eyes. A command the policy covers is kept, not applied, in {@code spec.proposals.<commandId>}
 * (its Avro bytes and the released commands schema version that wrote them, so any later Coxswain decodes it
 * offline); the last approval needed decides it again against the cluster as it is then and applies it under
 * its own id and issuer, at the approval's time (the fold reads no clock, and a change takes effect when it is
 * approved, so {@code updatedAt} never goes back). Every end of a proposal goes to {@code status.proposalOutcomes}.
 * Bookkeeping moves {@code version} but neither {@code intentVersion} nor {@code lastCommandId}: nothing on the
 * cluster changed, and the executor must not name a command that was not applied as a cause.
 */
final class Proposals {

    static final int MAX_OUTCOMES = 50;
    static final String APPLIED = "APPLIED";
    static final String REFUSED = "REFUSED";
    static final String REJECTED = "REJECTED";
    static final String WITHDRAWN = "WITHDRAWN";
    static final String EXPIRED = "EXPIRED";

    private Proposals() {
    }

    /** FOLD of a covered command: kept under its id, waiting for {@code needed} approvals. */
    static ClusterState propose(ClusterState state, Command c, int needed) {
        ClusterState next = bookkeeping(state, c);
        Duration expiry = Duration.ofHours(state.getSpec().getApprovalPolicy().getExpiresAfterHours());
        Proposal proposal = Proposal.newBuilder()
                .setCommand(ByteBuffer.wrap(StoredCommands.encode(c))).setCommandSchemaVersion(StoredCommands.CURRENT_VERSION)
                .setType(Commands.typeOf(c)).setIssuer(c.getIssuer()).setProposedAt(c.getIssuedAt())
                .setExpiresAt(c.getIssuedAt().plus(expiry)).setApprovalsNeeded(needed).setApprovals(new ArrayList<>()).build();
        Map<String, Proposal> proposals = new TreeMap<>(next.getSpec().getProposals());
        proposals.put(c.getCommandId(), proposal);
        next.getSpec().setProposals(proposals);
        return next;
    }

    /** FOLD of an ApproveCommand, RejectProposal or WithdrawProposal that DECIDE accepted. */
    static ClusterState apply(ClusterState state, Command c) {
        ClusterState next = bookkeeping(state, c);
        Object p = c.getPayload();
        if (p instanceof WithdrawProposal w) {
            end(next, w.getCommandId(), WITHDRAWN, w.getReason(), c, false);
            return next;
        }
        if (p instanceof RejectProposal r) {
            end(next, r.getCommandId(), REJECTED, r.getReason(), c, false);
            return next;
        }
        String id = ((ApproveCommand) p).getCommandId();
        Proposal proposal = next.getSpec().getProposals().get(id);
        List<ProposalApproval> approvals = new ArrayList<>(proposal.getApprovals());
        approvals.add(new ProposalApproval(c.getIssuer(), c.getCommandId(), c.getIssuedAt()));
        Proposal approved = Proposal.newBuilder(proposal).setApprovals(approvals).build();
        if (approvals.size() < proposal.getApprovalsNeeded()) {
            Map<String, Proposal> proposals = new TreeMap<>(next.getSpec().getProposals());
            proposals.put(id, approved);
            next.getSpec().setProposals(proposals);
            return next;
        }
        return decideAgain(state, next, approved, id, c);
    }

    /**
     * The last approval: the original, at the approval's time and without its expectedVersion (the proposal itself
     * moved the version), decided against the cluster as it is now, so a change meanwhile (unchangedSinceVersion, a
     * topic gone, an operation running) refuses it; applied as if it had just arrived if it passes.
     */
    private static ClusterState decideAgain(ClusterState state, ClusterState next, Proposal proposal, String id, Command approval) {
        Command asOfNow = asApprovedBy(proposal, approval);
        Map<String, Proposal> proposals = new TreeMap<>(next.getSpec().getProposals());
        proposals.remove(id);
        next.getSpec().setProposals(proposals);
        next.setVersion(state.getVersion()); // one command, one version: Evolve counts the approval that applies it
        Optional<Rejection> refused = Decide.check(next, asOfNow);
        if (refused.isPresent()) {
            next.setVersion(state.getVersion() + 1);
            outcome(next.getStatus(), proposal, id, REFUSED, refused.get().code() + ": " + refused.get().reason(), approval.getIssuer(), approval, null);
            return next;
        }
        ClusterState applied = Evolve.apply(next, asOfNow);
        outcome(applied.getStatus(), proposal, id, APPLIED, null, approval.getIssuer(), approval, applied.getVersion());
        return applied;
    }

    /**
     * The original as the last approval decides it: at the approval's time, its expectedVersion (which the proposal itself
     * moved past) checked as unchangedSinceVersion when it had none, so a change asked for meanwhile refuses it.
     * DECIDE checks first that this Coxswain ships the schema version it was stored with.
     */
    static Command asApprovedBy(Proposal proposal, Command approval) {
        Command original = StoredCommands.decode(proposal.getCommand(), proposal.getCommandSchemaVersion());
        Long since = original.getUnchangedSinceVersion() != null ? original.getUnchangedSinceVersion() : original.getExpectedVersion();
        return Command.newBuilder(original).setIssuedAt(approval.getIssuedAt()).setExpectedVersion(null).setUnchangedSinceVersion(since).build();
    }

    /** The next state for a step that records without changing the cluster; expired proposals end here too. */
    private static ClusterState bookkeeping(ClusterState state, Command c) {
        ClusterState next = NextState.of(state);
        expire(next, c);
        next.setVersion(state.getVersion() + 1);
        next.setUpdatedAt(c.getIssuedAt());
        return next;
    }

    /** Every proposal past its expiry at this command's issuedAt ends EXPIRED: the log decides when, not a clock. */
    static void expire(ClusterState next, Command c) {
        Map<String, Proposal> pending = next.getSpec().getProposals();
        if (pending.isEmpty() || pending.values().stream().noneMatch(p -> ApprovalControl.expired(p, c.getIssuedAt()))) {
            return;
        }
        new TreeMap<>(pending).forEach((id, p) -> {
            if (ApprovalControl.expired(p, c.getIssuedAt())) {
                end(next, id, EXPIRED, "not approved by " + p.getExpiresAt(), c, true);
            }
        });
    }

    /** FOLD of a DeleteCluster: no proposal is left without an outcome. */
    static void withdrawAll(ClusterState next, Command c) {
        new TreeMap<>(next.getSpec().getProposals()).keySet().forEach(id ->
                end(next, id, REFUSED, "the cluster was deleted (command " + c.getCommandId() + " of " + c.getIssuer() + ")", c, true));
    }

    /**
     * FOLD of a SetApprovalPolicy, or of a CreateCluster's approvalPolicy ({@code s}); no rules clear it. A stricter policy
     * reaches the pending proposals (each needs what the new policy asks of its type, if that is more); a looser one never
     * lowers what they need.
     *
     * @param c the command that sets it: the policy names it, its issuer and its time
     */
    static void setPolicy(ClusterState next, SetApprovalPolicy s, Command c) {
        ApprovalPolicySpec policy = s.getRules().isEmpty() ? null : new ApprovalPolicySpec(rules(s.getRules()),
                s.getExpiresAfterHours(), c.getCommandId(), c.getIssuer(), c.getIssuedAt());
        next.getSpec().setApprovalPolicy(policy);
        Map<String, Proposal> proposals = new TreeMap<>(next.getSpec().getProposals());
        proposals.replaceAll((id, p) -> {
            int needed = ApprovalControl.approvalsNeeded(policy, p.getType()).orElse(0);
            return needed > p.getApprovalsNeeded() ? Proposal.newBuilder(p).setApprovalsNeeded(needed).build() : p;
        });
        next.getSpec().setProposals(proposals);
    }

    static List<ApprovalRuleSpec> rules(List<ApprovalRule> rules) {
        return rules.stream().map(r -> new ApprovalRuleSpec(List.copyOf(new TreeSet<>(r.getCommands())), r.getApprovals())).toList();
    }

    /** @param c the command whose fold ends it; {@code nobody}: its time ran out, no one ended it */
    private static void end(ClusterState next, String id, String state, String reason, Command c, boolean nobody) {
        Map<String, Proposal> proposals = new TreeMap<>(next.getSpec().getProposals());
        Proposal proposal = proposals.remove(id);
        next.getSpec().setProposals(proposals);
        outcome(next.getStatus(), proposal, id, state, reason, nobody ? null : c.getIssuer(), c, null);
    }

    private static void outcome(ClusterStatus status, Proposal p, String id, String state, String reason, String by, Command c, Long version) {
        List<ProposalOutcome> outcomes = new ArrayList<>(status.getProposalOutcomes());
        outcomes.add(ProposalOutcome.newBuilder().setCommandId(id).setType(p.getType()).setIssuer(p.getIssuer()).setProposedAt(p.getProposedAt())
                .setState(state).setReason(reason).setApprovers(p.getApprovals().stream().map(ProposalApproval::getIssuer).toList())
                .setBy(by).setByCommandId(c.getCommandId()).setVersion(version).setAt(c.getIssuedAt()).build());
        status.setProposalOutcomes(outcomes.size() > MAX_OUTCOMES ? new ArrayList<>(outcomes.subList(outcomes.size() - MAX_OUTCOMES,
                outcomes.size())) : outcomes);
    }
}
