package io.coxswain.commands.shape;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.ApproveCommand;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.RejectProposal;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.command.WithdrawProposal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * The shape of the four-eyes commands. A policy names the command types that wait for approvals: every
 * type a person sends on an existing cluster, not the approval commands themselves (SetApprovalPolicy is
 * covered by any policy on its own terms, see the fold), not CreateCluster (its policy comes with it or after it),
 * and not RecordObservation (what the executors saw is recorded, never approved).
 */
public final class ApprovalShape {

    public static final String EVERY_CHANGE = "*";
    public static final int MAX_APPROVALS = 3;
    public static final int MAX_EXPIRES_AFTER_HOURS = 720;
    public static final int MAX_RULES = 20;
    /** The commands that act on proposals and policies: never themselves proposals. */
    public static final Set<String> APPROVAL_TYPES = Set.of(SetApprovalPolicy.class.getSimpleName(), ApproveCommand.class.getSimpleName(),
            RejectProposal.class.getSimpleName(), WithdrawProposal.class.getSimpleName());
    /** Types a rule may name, in schema order. */
    public static final List<String> COVERABLE_TYPES = Command.getClassSchema().getField("payload").schema().getTypes().stream()
            .map(Schema::getName)
            .filter(t -> !APPROVAL_TYPES.contains(t) && !t.equals(RecordObservation.class.getSimpleName())
                    && !t.equals(CreateCluster.class.getSimpleName()))
            .toList();

    private ApprovalShape() {
    }

    /**
     * A policy's shape, whichever command carries it.
     *
     * @param field where it is: {@code payload} (SetApprovalPolicy) or {@code payload.approvalPolicy} (CreateCluster)
     */
    static void checkPolicy(SetApprovalPolicy p, String field, List<Violation> v) {
        if (p.getExpiresAfterHours() < 1 || p.getExpiresAfterHours() > MAX_EXPIRES_AFTER_HOURS) {
            v.add(new Violation(field + ".expiresAfterHours", "must be between 1 and " + MAX_EXPIRES_AFTER_HOURS + " (30 days), got "
                    + p.getExpiresAfterHours()));
        }
        List<ApprovalRule> rules = p.getRules();
        if (rules.size() > MAX_RULES) {
            v.add(new Violation(field + ".rules", "must hold at most " + MAX_RULES + " rules, got " + rules.size()));
            return;
        }
        Set<String> named = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            ApprovalRule rule = rules.get(i);
            String at = field + ".rules[" + i + "]";
            if (rule.getApprovals() < 1 || rule.getApprovals() > MAX_APPROVALS) {
                v.add(new Violation(at + ".approvals", "must be between 1 and " + MAX_APPROVALS + ", got " + rule.getApprovals()));
            }
            if (rule.getCommands().isEmpty()) {
                v.add(new Violation(at + ".commands", "must name at least one command type, or " + EVERY_CHANGE));
            }
            for (int j = 0; j < rule.getCommands().size(); j++) {
                checkType(rule.getCommands().get(j), at + ".commands[" + j + "]", named, v);
            }
        }
    }

    private static void checkType(String type, String field, Set<String> named, List<Violation> v) {
        if (type.equals(RecordObservation.class.getSimpleName())) {
            v.add(new Violation(field, "RecordObservation is what the executors observed: it is recorded, never approved"));
        } else if (APPROVAL_TYPES.contains(type)) {
            v.add(new Violation(field, "'" + type + "' acts on proposals and is never one itself (a SetApprovalPolicy on a cluster with a"
                    + " policy always needs the strictest rule's approvals)"));
        } else if (type.equals(CreateCluster.class.getSimpleName())) {
            v.add(new Violation(field, "a cluster's policy cannot cover CreateCluster: the policy comes with the cluster"
                    + " (CreateCluster.approvalPolicy) or after it"));
        } else if (!type.equals(EVERY_CHANGE) && !COVERABLE_TYPES.contains(type)) {
            v.add(new Violation(field, "unknown command type '" + type + "'; one of " + String.join(", ", COVERABLE_TYPES) + ", or "
                    + EVERY_CHANGE));
        } else if (!named.add(type)) {
            v.add(new Violation(field, "'" + type + "' is named twice; one rule per type (the strictest applies)"));
        }
    }

    /** The id of a proposal an ApproveCommand, RejectProposal or WithdrawProposal names. */
    static void checkProposalId(String commandId, List<Violation> v) {
        if (!Names.isId(commandId)) {
            v.add(new Violation("payload.commandId", "must be the id of a proposed command (1-128 characters of letters, digits and"
                    + " ._:@/-), got '" + commandId + "'"));
        }
    }

    static void checkRejection(RejectProposal r, List<Violation> v) {
        checkProposalId(r.getCommandId(), v);
        if (r.getReason() == null || r.getReason().isBlank()) {
            v.add(new Violation("payload.reason", "is required: say why the proposal is rejected, for its proposer and the audit trail"));
        }
    }
}
