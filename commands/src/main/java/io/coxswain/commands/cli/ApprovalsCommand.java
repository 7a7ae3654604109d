package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Four eyes: {@code cox approvals policy|list CLUSTER} sets the cluster's approval policy (SetApprovalPolicy) and lists
 * what waits for approval ({@code spec.proposals}) and how proposals ended ({@code status.proposalOutcomes});
 * {@code cox approve|reject|withdraw CLUSTER COMMAND_ID} act on one proposal.
 */
@Command(name = "approvals", mixinStandardHelpOptions = true,
        description = "Set which changes of a cluster need another person's approval, and list what waits for it.",
        subcommands = {ApprovalsCommand.Policy.class, ApprovalsCommand.ListProposals.class})
final class ApprovalsCommand {

    /** Outcomes {@code cox approvals list} shows in its table; -o json|yaml has all the state keeps. */
    static final int OUTCOMES_SHOWN = 10;

    @ParentCommand Cox cox;

    @Command(name = "policy", mixinStandardHelpOptions = true, description = {
            "Make these command types wait for approvals by other people: a",
            "covered command is recorded as a proposal and applied once approved",
            "(cox approve), unless rejected, withdrawn or expired first. Once a",
            "policy is set, changing or clearing it needs the strictest rule's",
            "approvals too. The roles file must allow SetApprovalPolicy,",
            "ApproveCommand, RejectProposal and WithdrawProposal to whoever uses them."})
    static final class Policy implements Callable<Integer> {
        @ParentCommand ApprovalsCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Mixin Rules rules;

        @Override
        public Integer call() {
            return submit.send(parent.cox, cluster, "SetApprovalPolicy", rules.payload());
        }
    }

    /**
     * The options that make a policy, and the policy they make: {@code cox create-cluster} (a cluster born with it),
     * {@code cox approvals policy} and {@code cox fleet approvals} (through {@link Rules}).
     */
    static final class Requirement {
        @Option(names = "--require", paramLabel = "TYPE", split = ",", description = "Command types that wait for approvals"
                + " (comma-separated or repeated), e.g. DeleteTopic,DeleteCluster,ScaleBrokers; * for every change.") List<String> require;
        @Option(names = "--approvals", defaultValue = "1", description = "Approvals by other people each needs, 1 to 3 (default: ${DEFAULT-VALUE}).")
        int approvals;
        @Option(names = "--expires-after-hours", defaultValue = "72", paramLabel = "H",
                description = "A proposal not approved within H hours expires, 1 to 720 (default: ${DEFAULT-VALUE}).") int expiresAfterHours;
        @Spec(Spec.Target.MIXEE) CommandSpec mixee;

        /**
         * The policy, if --require names what it covers. --approvals or --expires-after-hours without it is bad input: a
         * cluster meant to be born with four eyes must not quietly be born without them.
         */
        Optional<ObjectNode> ifRequired() {
            if (require != null) {
                return Optional.of(policy());
            }
            ParseResult parsed = mixee.commandLine().getParseResult();
            if (parsed.hasMatchedOption("--approvals") || parsed.hasMatchedOption("--expires-after-hours")) {
                throw new CliException(CliException.BAD_INPUT, "--approvals and --expires-after-hours shape an approval policy: name the"
                        + " command types it covers with --require TYPE[,TYPE] (e.g. DeleteTopic,DeleteCluster)");
            }
            return Optional.empty();
        }

        /** {@code {rules: [{commands, approvals}], expiresAfterHours}}, no rules without --require; the gateway checks types and ranges, naming the field. */
        ObjectNode policy() {
            ObjectNode policy = ClusterCommands.object().put("expiresAfterHours", expiresAfterHours);
            var rules = policy.putArray("rules");
            if (require != null) {
                ObjectNode rule = rules.addObject();
                require.forEach(rule.putArray("commands")::add);
                rule.put("approvals", approvals);
            }
            return policy;
        }
    }

    /** The policy's options with {@code --clear}, shared by {@code cox approvals policy} (one cluster) and {@code cox fleet approvals} (many). */
    static final class Rules {
        @Mixin Requirement requirement;
        @Option(names = "--clear", description = "Remove the policy: every change applies at once again.") boolean clear;

        /** The SetApprovalPolicy payload: no rules clear the policy. */
        ObjectNode payload() {
            if (clear == (requirement.require != null)) {
                throw new CliException(CliException.BAD_INPUT, clear ? "give --clear or --require TYPE[,TYPE], not both"
                        : "give the command types that need approval with --require TYPE[,TYPE] (e.g. DeleteTopic,DeleteCluster), or --clear");
            }
            return requirement.policy();
        }

        /** These options again, for a fleet run's resume hint: {@code --require 'DeleteTopic' --approvals 1 --expires-after-hours 72}. */
        String options() {
            Requirement r = requirement;
            return clear ? "--clear" : "--require '" + String.join(",", r.require) + "' --approvals " + r.approvals + " --expires-after-hours "
                    + r.expiresAfterHours;
        }

        /** The policy in words: {@code DeleteTopic,ScaleBrokers need 1 approval(s), expiring after 72 h}, or {@code policy cleared}. */
        String summary() {
            Requirement r = requirement;
            return clear ? "policy cleared" : String.join(",", r.require) + " need " + r.approvals + " approval(s), expiring after " + r.expiresAfterHours + " h";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {
            "The cluster's approval policy, the proposals waiting for approval",
            "(WHAT each would do: its fields and the version it was decided on;",
            "the exact cox approve line), then how the latest ones ended."})
    static final class ListProposals implements Callable<Integer> {
        @ParentCommand ApprovalsCommand parent;
        @Mixin ReadCommands.ClusterView view;

        @Override
        public Integer call() {
            return view.show(parent.cox, ApprovalsCommand::document, (out, c) -> print(out, view.cluster, c));
        }
    }

    /** What {@code -o json|yaml} shows: the policy, the pending proposals and the outcomes, as the state has them. */
    static ObjectNode document(JsonNode cluster) {
        ObjectNode d = GatewayClient.JSON.createObjectNode();
        d.set("policy", cluster.at("/spec/approvalPolicy").isObject() ? cluster.at("/spec/approvalPolicy").deepCopy() : null);
        d.set("pending", cluster.at("/spec/proposals").isObject() ? cluster.at("/spec/proposals").deepCopy() : GatewayClient.JSON.createObjectNode());
        d.set("outcomes", cluster.at("/status/proposalOutcomes").isArray() ? cluster.at("/status/proposalOutcomes").deepCopy()
                : GatewayClient.JSON.createArrayNode());
        return d;
    }

    /**
     * What a proposal would do, as an approver must read it before approving: the stored command's payload fields (its
     * type has a column of its own) and the version its proposer decided on, if they named one.
     */
    static String what(JsonNode command) {
        if (!command.isObject()) {
            return "(stored in a commands schema this cox cannot read: GET /v1/clusters/CLUSTER has it in base64)";
        }
        ObjectNode payload = command.path("payload").isObject() ? ((ObjectNode) command.path("payload")).deepCopy()
                : GatewayClient.JSON.createObjectNode();
        payload.remove("type");
        return payload + (command.hasNonNull("unchangedSinceVersion") ? " (decided on version " + command.path("unchangedSinceVersion").asLong() + ")"
                : "");
    }

    static void print(PrintWriter out, String id, JsonNode c) {
        JsonNode policy = c.at("/spec/approvalPolicy");
        if (!policy.isObject()) {
            out.println("cluster " + id + " has no approval policy: every change applies at once. Set one with: cox approvals policy " + id
                    + " --require DeleteTopic,DeleteCluster");
        } else {
            out.println("Policy: " + rules(policy) + ", expiring after " + policy.path("expiresAfterHours").asInt()
                    + " h (set by " + Output.text(policy, "issuer") + " at " + Output.text(policy, "setAt") + ")");
        }
        List<List<String>> pending = new ArrayList<>();
        c.at("/spec/proposals").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            int missing = p.path("approvalsNeeded").asInt() - p.path("approvals").size();
            List<String> by = new ArrayList<>();
            p.path("approvals").forEach(a -> by.add(Output.text(a, "issuer")));
            pending.add(List.of(e.getKey(), Output.text(p, "type"), what(p.path("command")), Output.text(p, "issuer"), Output.text(p, "proposedAt"),
                    missing + (by.isEmpty() ? "" : " (approved by " + String.join(", ", by) + ")"), Output.text(p, "expiresAt"),
                    "cox approve " + id + " " + e.getKey()));
        });
        out.println();
        if (pending.isEmpty()) {
            out.println("No proposal waits for approval.");
        } else {
            out.println("Waiting for approval:");
            Output.table(out, List.of("COMMAND", "TYPE", "WHAT", "PROPOSED BY", "AT", "AWAITING", "EXPIRES", "APPROVE WITH"), pending);
        }
        JsonNode outcomes = c.at("/status/proposalOutcomes");
        if (outcomes.isArray() && !outcomes.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (int i = outcomes.size() - 1; i >= Math.max(0, outcomes.size() - OUTCOMES_SHOWN); i--) {
                JsonNode o = outcomes.get(i);
                rows.add(List.of(Output.text(o, "commandId"), Output.text(o, "type"), Output.text(o, "issuer"), Output.text(o, "state"),
                        Output.text(o, "by"), Output.text(o, "at"), Output.text(o, "reason")));
            }
            out.println();
            out.println("Latest outcomes:");
            Output.table(out, List.of("COMMAND", "TYPE", "PROPOSED BY", "STATE", "BY", "AT", "REASON"), rows);
        }
    }

    /**
     * Under {@code cox get CLUSTER}: the cluster's approval policy and how many proposals wait, one line, so that whoever reads
     * the cluster knows a change of theirs may wait for someone else. Nothing for a cluster without a policy or proposals.
     */
    static void printSummary(PrintWriter out, JsonNode c) {
        JsonNode policy = c.at("/spec/approvalPolicy");
        int waiting = c.at("/spec/proposals").size();
        if (!policy.isObject() && waiting == 0) {
            return;
        }
        String id = c.path("clusterId").asText();
        out.println("Four eyes: " + (policy.isObject() ? rules(policy) : "no policy") + "; " + (waiting == 0 ? "no proposal waits"
                : waiting + (waiting == 1 ? " proposal waits" : " proposals wait") + " for approval") + " (cox approvals list " + id + ")");
    }

    /** A policy's rules as people read them: {@code DeleteTopic,ScaleBrokers need 1; DeleteCluster need 2 approval(s) by others}. */
    private static String rules(JsonNode policy) {
        List<String> rules = new ArrayList<>();
        policy.path("rules").forEach(r -> {
            List<String> types = new ArrayList<>();
            r.path("commands").forEach(t -> types.add(t.asText()));
            rules.add(String.join(",", types) + " need " + r.path("approvals").asInt());
        });
        return String.join("; ", rules) + " approval(s) by others";
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = {
            "Approve a proposal waiting on the cluster (cox approvals list CLUSTER).",
            "Its proposer may not; the last approval needed decides the command",
            "again on the cluster as it is then and applies it if it still may."})
    static final class Approve implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "COMMAND_ID", description = "The proposed command's id.") String proposal;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "ApproveCommand", ClusterCommands.object().put("commandId", proposal));
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Veto a proposal someone else made: it is not applied.")
    static final class Reject implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "COMMAND_ID", description = "The proposed command's id.") String proposal;
        @Option(names = "--reason", required = true, description = "Why, for the proposer and the log.") String reason;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "RejectProposal", ClusterCommands.object().put("commandId", proposal).put("reason", reason));
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Take back a proposal you made: it is not applied.")
    static final class Withdraw implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "COMMAND_ID", description = "The proposed command's id.") String proposal;
        @Option(names = "--reason", description = "Why (kept in the log).") String reason;

        @Override
        public Integer call() {
            return submit.send(cox, cluster, "WithdrawProposal", ClusterCommands.withReason(ClusterCommands.object().put("commandId", proposal), reason));
        }
    }
}
