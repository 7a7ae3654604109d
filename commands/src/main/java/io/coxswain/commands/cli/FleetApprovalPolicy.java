package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code cox fleet approvals}: one approval policy on every selected cluster, so that a platform's production clusters
 * are held to the same four eyes without a command per cluster. Unlike the other fleet changes it touches nothing the
 * executor acts on, so a cluster needs not be Ready (a policy matters most on one that is not) and is done once its
 * state holds the policy; a cluster whose own policy covers policy changes records it as a proposal, as any change.
 *
 * @param payload the SetApprovalPolicy payload, as {@code cox approvals policy} builds it
 * @param summary the policy in words, for the run's lines: {@code DeleteTopic,ScaleBrokers need 1 approval(s), expiring after 72 h} or {@code policy cleared}
 * @param options the options that ask for it again, for the resume hint
 */
record FleetApprovalPolicy(ObjectNode payload, String summary, String options) implements FleetChange {

    @Override
    public String name() {
        return "approvals";
    }

    @Override
    public String goal() {
        return summary;
    }

    @Override
    public FleetPlan.Consider consider(JsonNode summary, String commandId) {
        String phase = summary.path("phase").asText();
        return "Deleting".equals(phase) || "Deleted".equals(phase)
                ? FleetPlan.Consider.skip("phase " + phase + ": a deleted cluster keeps no policy, and one created again under its id starts"
                        + " with none")
                : FleetPlan.Consider.ask();
    }

    @Override
    public String commandType() {
        return "SetApprovalPolicy";
    }

    @Override
    public boolean expectsVersion() {
        return false; // the whole policy, whatever the cluster had; the fold says NO_CHANGE when it has it already
    }

    @Override
    public String accepted(FleetPlan.Target target, boolean dryRun) {
        return (dryRun ? "would set " : "set ") + summary;
    }

    @Override
    public String alreadyAsked() {
        return "already set by this run";
    }

    @Override
    public String awaited(String commandId) {
        return null; // no operation: the policy is in the state the moment it is applied
    }

    @Override
    public boolean alreadySo(String code) {
        return "NO_CHANGE".equals(code);
    }

    @Override
    public boolean done(JsonNode cluster, String commandId, String operationState) {
        return true; // read at the version its decision gave (FleetRun waits for that), the state holds the policy
    }

    @Override
    public RefusalsInTheWay.Scope refusals() {
        return RefusalsInTheWay.Scope.NOTHING; // a policy is in force without any executor
    }

    @Override
    public String doneState() {
        return "policy in force";
    }
}
