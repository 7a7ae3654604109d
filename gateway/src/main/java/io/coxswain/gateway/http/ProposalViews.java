package io.coxswain.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.Proposal;
import io.coxswain.avro.state.ProposalApproval;
import io.coxswain.avro.state.ProposalOutcome;
import io.coxswain.gateway.readmodel.CommandView;
import java.util.List;
import java.util.Optional;

/**
 * Where a command stands under the cluster's approval policy, as the read model's state has it: pending in
 * {@code spec.proposals} (with the approvals it still needs) or ended in {@code status.proposalOutcomes}. The
 * decision of a proposal is "accepted" (it was recorded); this says whether it was applied, with a one-line {@code summary}
 * (awaiting 1 approval, APPLIED v42 by bob, REFUSED by bob: why) that cox history and the console print.
 */
final class ProposalViews {

    private ProposalViews() {
    }

    /** The pending proposal of {@code commandId} on the cluster, if the read model has one. */
    static Optional<Proposal> pending(Optional<ClusterState> state, String commandId) {
        return state.map(s -> s.getSpec().getProposals().get(commandId));
    }

    /**
     * Adds a {@code proposal} object ({@code state} PENDING with the approvals it still awaits, or how it ended) when
     * {@code commandId} is or was a proposal; nothing otherwise. Only when the body is about that proposal itself
     * ({@code own}) does it also get a top-level {@code awaitingApprovals}: an approval's reply must not read as a
     * command awaiting approval of its own.
     */
    static void describe(ObjectNode body, Optional<ClusterState> state, String commandId, boolean own) {
        if (state.isEmpty()) {
            return;
        }
        Proposal p = state.get().getSpec().getProposals().get(commandId);
        if (p != null) {
            int awaiting = p.getApprovalsNeeded() - p.getApprovals().size();
            if (own) {
                body.put("awaitingApprovals", awaiting);
            }
            ObjectNode n = body.putObject("proposal").put("commandId", commandId).put("state", "PENDING").put("type", p.getType())
                    .put("issuer", p.getIssuer()).put("proposedAt", p.getProposedAt().toString()).put("expiresAt", p.getExpiresAt().toString())
                    .put("approvalsNeeded", p.getApprovalsNeeded()).put("awaitingApprovals", awaiting);
            ArrayNode approvals = n.putArray("approvals");
            for (ProposalApproval a : p.getApprovals()) {
                approvals.addObject().put("issuer", a.getIssuer()).put("commandId", a.getCommandId()).put("at", a.getAt().toString());
            }
            String summary = "awaiting " + awaiting + " approval" + (awaiting == 1 ? "" : "s");
            n.put("summary", summary);
            n.put("message", summary + " by people other than " + p.getIssuer()
                    + (p.getApprovals().isEmpty() ? "" : " and " + String.join(", ", p.getApprovals().stream().map(ProposalApproval::getIssuer).toList()))
                    + ": cox approve " + state.get().getClusterId() + " " + commandId);
            return;
        }
        List<ProposalOutcome> outcomes = state.get().getStatus().getProposalOutcomes();
        for (int i = outcomes.size() - 1; i >= 0; i--) {
            ProposalOutcome o = outcomes.get(i);
            if (o.getCommandId().equals(commandId)) {
                ObjectNode n = body.putObject("proposal").put("commandId", commandId).put("state", o.getState()).put("type", o.getType())
                        .put("issuer", o.getIssuer())
                        .put("proposedAt", o.getProposedAt().toString()).put("by", o.getBy()).put("byCommandId", o.getByCommandId())
                        .put("at", o.getAt().toString());
                if (o.getReason() != null) {
                    n.put("reason", o.getReason());
                }
                if (o.getVersion() != null) {
                    n.put("version", o.getVersion());
                }
                n.putArray("approvers").addAll(o.getApprovers().stream().map(a -> Replies.JSON.getNodeFactory().textNode(a)).toList());
                n.put("summary", o.getState() + (o.getVersion() == null ? "" : " v" + o.getVersion()) + (o.getBy() == null ? "" : " by " + o.getBy())
                        + (o.getReason() == null ? "" : ": " + o.getReason()));
                return;
            }
        }
    }

    /**
     * A history entry's proposal, for an accepted command that became one or acted on one: pending, or how it ended, as
     * {@link #describe} gives it. A proposal the state no longer holds (its end is older than the latest outcomes it keeps)
     * has only {@code proposed: true} (from its decision), and an approval of one nothing more: the log has the rest.
     */
    static void describeEntry(ObjectNode entry, Optional<ClusterState> state, CommandView v) {
        if (CommandView.ACCEPTED.equals(v.status()) && v.proposal() != null && !v.duplicate()) {
            describe(entry, state, v.proposal(), v.proposal().equals(v.commandId()));
        }
    }
}
