package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cox offsets reset|cancel|list CLUSTER ...}: consumer group offset resets (ResetConsumerGroupOffsets), asked for in
 * {@code spec.offsetResets} until the executor carries one out or refuses it, or a CancelConsumerGroupOffsetReset withdraws it
 * before it is planned, then its outcome in {@code status.offsetResets}. The target takes one option of four, as kafka-consumer-groups spells them; which one is
 * checked here, so that a forgotten or a second target is named as the option typed, while the values' own rules
 * (group id, topic names) are the gateway's shape check's, which names the payload field.
 */
@Command(name = "offsets", mixinStandardHelpOptions = true,
        description = "Reset a consumer group's committed offsets on a cluster, and follow the resets.",
        subcommands = {OffsetsCommand.Reset.class, OffsetsCommand.Cancel.class, OffsetsCommand.ListResets.class})
final class OffsetsCommand {

    static final String TARGETS = "--to-earliest, --to-latest, --to-datetime TIME or --shift-by N";

    @ParentCommand Cox cox;

    // one short line each: picocli wraps at 80 columns
    @Command(name = "reset", mixinStandardHelpOptions = true, description = {
            "Reset a consumer group's committed offsets; stop its consumers first.",
            "Every partition of the topics given (none: every topic the group has",
            "committed offsets on) goes to the earliest or latest offset, to the",
            "first record at or after a time, or back (negative) or forward by a",
            "number of records. The group must have no members when the executor",
            "acts, or the reset is REFUSED and nothing is committed. The executor",
            "records every partition's offset before and after (cox audit), then",
            "commits all of them or none. One reset per group at a time; follow",
            "it with cox offsets list CLUSTER, withdraw it with cox offsets cancel",
            "CLUSTER GROUP while it is not planned yet."})
    static final class Reset implements Callable<Integer> {
        @ParentCommand OffsetsCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "GROUP", description = "The consumer group id.") String group;
        @Option(names = "--to-earliest", description = "To each partition's earliest offset: read everything kept again.") boolean earliest;
        @Option(names = "--to-latest", description = "To each partition's latest offset: skip everything not yet read.") boolean latest;
        @Option(names = "--to-datetime", paramLabel = "TIME", description = "To each partition's first record at or after TIME (its end"
                + " if none): 2026-12-01T10:00:00Z, 2026-12-01T11:00:00+01:00, a date (its start, UTC) or an age like 2h (that long ago).")
        String datetime;
        @Option(names = "--shift-by", paramLabel = "N", description = "Move each committed offset by N records, back (negative) or"
                + " forward, kept within the partition's earliest and latest.")
        Long shiftBy;
        @Option(names = "--topic", paramLabel = "TOPIC", split = ",", description = "Only this topic's partitions (repeatable, or"
                + " comma-separated); none: every topic the group has committed offsets on.")
        List<String> topics = List.of();
        @Option(names = "--reason", description = "Why (kept in the log): a bad deploy to replay after, a poison record to skip.") String reason;
        @Option(names = "--wait", description = "Once accepted, wait for the executor's outcome: exit 0 when DONE, 1 when REFUSED"
                + " or CANCELLED (with why) or the executor refuses to carry it out (Blocked in cox get), 7 when none came within"
                + " --timeout, 8 when the reset awaits approval.") boolean waitForOutcome;
        @Option(names = "--timeout", defaultValue = "5m", description = "How long --wait waits (default: ${DEFAULT-VALUE}).") String timeout;

        @Override
        public Integer call() throws InterruptedException {
            ObjectNode payload = payload();
            if (waitForOutcome && (submit.dryRun || submit.noWait)) {
                throw new CliException(CliException.BAD_INPUT, "--wait waits for the outcome of a reset once accepted: not with "
                        + (submit.dryRun ? "--dry-run" : "--no-wait"));
            }
            Duration limit = Times.duration("--timeout", timeout);
            if (waitForOutcome && submit.commandId == null) {
                submit.commandId = UUID.randomUUID().toString(); // to know its outcome from another's of the same group
            }
            int code = submit.send(parent.cox, cluster, "ResetConsumerGroupOffsets", payload);
            if (waitForOutcome && code == CliException.AWAITING_APPROVAL) {
                // nothing reaches the executor before the approvals: waiting for its outcome would only run out the --timeout
                throw new CliException(code, "the reset of " + group + " on " + cluster + " awaits approval under the cluster's approval"
                        + " policy, so --wait does not wait for it: once approved (cox approve " + cluster + " " + submit.commandId
                        + "), follow it with cox offsets list " + cluster);
            }
            if (waitForOutcome) {
                return code != 0 ? code : outcome(limit);
            }
            if (!submit.dryRun && !submit.noWait && submit.format == Output.Format.table) {
                parent.cox.out().println("follow it with: cox offsets list " + cluster + " (or ask with --wait next time)");
            }
            return code;
        }

        /**
         * Polls the cluster until status.offsetResets.GROUP is this command's outcome; says once when it is planned (on stderr
         * with -o json|yaml, whose stdout is the command's document). A gateway that does not answer for a moment is asked
         * again until the deadline; an executor refusal in the way of the reset ({@link RefusalsInTheWay}) ends it at once;
         * every early end names the command, to follow it without sending another reset.
         */
        private int outcome(Duration limit) throws InterruptedException {
            PrintWriter progress = submit.format == Output.Format.table ? parent.cox.out() : parent.cox.err();
            String id = submit.commandId;
            String follow = " (command " + id + "; follow it with cox offsets list " + cluster + ", never by sending it again without"
                    + " --command-id " + id + ")";
            Polling polling = new Polling(limit);
            boolean saidPlanned = false;
            JsonNode first = null; // the cluster when the wait began: a refusal from before may be one the reset lifts
            String unanswered = null;
            while (true) {
                JsonNode c = null;
                try {
                    c = ReadCommands.cluster(parent.cox, cluster, "");
                    unanswered = null;
                } catch (CliException e) {
                    if (e.exitCode != CliException.UNAVAILABLE) {
                        throw new CliException(e.exitCode, e.getMessage() + follow);
                    }
                    if (unanswered == null) {
                        progress.println("cox: the gateway did not answer (" + e.getMessage() + "); asking again until " + timeout + " have passed");
                        progress.flush();
                    }
                    unanswered = e.getMessage();
                }
                if (c != null) {
                    JsonNode result = c.at("/status/offsetResets").path(group);
                    JsonNode pending = c.at("/spec/offsetResets").path(group);
                    if (id.equals(result.path("commandId").asText())) {
                        String reason = Output.text(result, "reason");
                        if ("DONE".equals(result.path("state").asText())) {
                            progress.println(group + " on " + cluster + ": DONE, " + result.path("partitions").asInt() + " partition(s) set: " + reason);
                            return 0;
                        }
                        boolean planned = !"CANCELLED".equals(result.path("state").asText()) || result.path("partitions").asInt() > 0;
                        throw new CliException(CliException.REJECTED, group + " on " + cluster + ": " + result.path("state").asText() + ": "
                                + reason + (planned ? "; cox audit --cluster " + cluster + " --type OffsetResetObserved -o json shows each partition" : ""));
                    }
                    if (!id.equals(pending.path("commandId").asText())) {
                        // neither pending nor the latest outcome: another reset of the group came and ended since this one did
                        throw new CliException(WaitCommand.NOT_DONE_IN_TIME, "the reset of " + group + " on " + cluster + " ended, and a"
                                + " later one (" + Output.text(pending.isObject() ? pending : result, "commandId") + ") replaced its outcome before it"
                                + " was read: cox audit --cluster " + cluster + " --type ResetConsumerGroupOffsets -o json has both" + follow);
                    }
                    if (!saidPlanned && pending.hasNonNull("plannedAt")) {
                        progress.println(group + " on " + cluster + ": planned, " + planned(pending));
                        progress.flush();
                        saidPlanned = true;
                    }
                    first = first == null ? c : first;
                    JsonNode refusals = RefusalsInTheWay.of(RefusalsInTheWay.Scope.OFFSET_RESET, first, c,
                            ReadCommands.reconciled(c) >= first.path("intentVersion").asLong());
                    if (!refusals.isEmpty()) {
                        throw new CliException(CliException.REJECTED, group + " on " + cluster + ": not carried out: the executor refuses it,"
                                + " and will until what it names is done:\n" + String.join("\n", RefusalsInTheWay.lines(refusals))
                                + "\n(the reset stays pending meanwhile: withdraw it with cox offsets cancel " + cluster + " " + group
                                + " while it is not planned)" + follow);
                    }
                    if (c.at("/spec/paused").asBoolean(false)) {
                        throw new CliException(WaitCommand.NOT_DONE_IN_TIME, cluster + " is paused: the reset waits for cox resume " + cluster
                                + " (and is refused if that takes more than 15 minutes), or withdraw it with cox offsets cancel " + cluster
                                + " " + group + follow);
                    }
                }
                if (polling.overdue()) {
                    String where = unanswered != null ? "the gateway not answering: " + unanswered
                            : saidPlanned ? "planned" : "not planned yet: is the cluster's executor down?";
                    throw new CliException(WaitCommand.NOT_DONE_IN_TIME, "no outcome for the reset of " + group + " on " + cluster + " after "
                            + timeout + " (" + where + ")" + follow);
                }
                polling.pause();
            }
        }

        /** The ResetConsumerGroupOffsets payload: the one target given and only its value, the topics as typed. */
        ObjectNode payload() {
            List<String> given = new ArrayList<>();
            if (earliest) {
                given.add("--to-earliest");
            }
            if (latest) {
                given.add("--to-latest");
            }
            if (datetime != null) {
                given.add("--to-datetime");
            }
            if (shiftBy != null) {
                given.add("--shift-by");
            }
            if (given.size() != 1) {
                throw new CliException(CliException.BAD_INPUT, given.isEmpty() ? "give where to reset group " + group + " to: one of " + TARGETS
                        : "give one of " + TARGETS + ", not " + String.join(" and ", given));
            }
            ObjectNode p = ClusterCommands.object().put("group", group);
            ArrayNode t = p.putArray("topics");
            topics.forEach(t::add);
            if (earliest) {
                p.put("to", "EARLIEST");
            } else if (latest) {
                p.put("to", "LATEST");
            } else if (datetime != null) {
                p.put("to", "DATETIME").put("datetime", Times.parse("--to-datetime", datetime));
            } else if (shiftBy == 0) {
                throw new CliException(CliException.BAD_INPUT, "--shift-by must not be 0: records to move back (negative) or forward");
            } else {
                p.put("to", "SHIFT_BY").put("shiftBy", shiftBy);
            }
            return ClusterCommands.withReason(p, reason);
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = {
            "Withdraw a group's pending reset before the executor has planned it:",
            "its outcome becomes CANCELLED and no offset moves. A reset already",
            "planned is committed or refused on the executor's next pass and",
            "cannot be cancelled: wait for its outcome (cox offsets list CLUSTER);",
            "each partition's offset before it is in cox audit."})
    static final class Cancel implements Callable<Integer> {
        @ParentCommand OffsetsCommand parent;
        @Mixin Submit submit;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "GROUP", description = "The consumer group id whose pending reset is withdrawn.") String group;
        @Option(names = "--reason", description = "Why (kept in the log): the consumers could not be stopped after all.") String reason;

        @Override
        public Integer call() {
            return submit.send(parent.cox, cluster, "CancelConsumerGroupOffsetReset",
                    ClusterCommands.withReason(ClusterCommands.object().put("group", group), reason));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {
            "Pending offset resets by group, then each group's latest outcome.",
            "A pending reset is planned once the executor has recorded each",
            "partition's offset before and after; an outcome is DONE, REFUSED",
            "with why nothing was committed, or CANCELLED naming the cancel."})
    static final class ListResets implements Callable<Integer> {
        @ParentCommand OffsetsCommand parent;
        @Mixin ReadCommands.ClusterView view;

        @Override
        public Integer call() {
            return view.show(parent.cox, OffsetsCommand::document, (out, c) -> print(out, view.cluster, c));
        }
    }

    /** What {@code -o json|yaml} shows: {@code pending} as spec.offsetResets has it, {@code latest} as status.offsetResets. */
    static ObjectNode document(JsonNode cluster) {
        ObjectNode d = GatewayClient.JSON.createObjectNode();
        d.set("pending", pending(cluster).deepCopy());
        d.set("latest", latest(cluster).deepCopy());
        return d;
    }

    private static JsonNode pending(JsonNode cluster) {
        JsonNode p = cluster.at("/spec/offsetResets");
        return p.isObject() ? p : GatewayClient.JSON.createObjectNode();
    }

    private static JsonNode latest(JsonNode cluster) {
        JsonNode l = cluster.at("/status/offsetResets");
        return l.isObject() ? l : GatewayClient.JSON.createObjectNode();
    }

    static void print(PrintWriter out, String id, JsonNode c) {
        List<List<String>> asked = new ArrayList<>();
        pending(c).fields().forEachRemaining(e -> {
            JsonNode r = e.getValue();
            asked.add(List.of(e.getKey(), target(r), topics(r.path("topics")), Output.text(r, "issuer"), Output.text(r, "requestedAt"),
                    planned(r), Output.text(r, "commandId")));
        });
        List<List<String>> outcomes = new ArrayList<>();
        latest(c).fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            outcomes.add(List.of(e.getKey(), Output.text(s, "state"), Output.text(s, "partitions"), Output.text(s, "at"), Output.text(s, "commandId"),
                    Output.text(s, "reason")));
        });
        if (asked.isEmpty() && outcomes.isEmpty()) {
            out.println("cluster " + id + " has no consumer group offset resets; ask for one with: cox offsets reset " + id + " GROUP "
                    + TARGETS.replace(", ", " | ").replace(" or ", " | "));
            return;
        }
        if (!asked.isEmpty()) {
            out.println("Pending:");
            Output.table(out, List.of("GROUP", "TO", "TOPICS", "ASKED BY", "REQUESTED", "PLANNED", "COMMAND"), asked);
        }
        if (!outcomes.isEmpty()) {
            if (!asked.isEmpty()) {
                out.println();
            }
            out.println("Latest outcomes:");
            Output.table(out, List.of("GROUP", "STATE", "PARTITIONS", "AT", "COMMAND", "REASON"), outcomes);
        }
    }

    /** The TO cell: EARLIEST, LATEST, DATETIME with its time, SHIFT_BY with its number. */
    private static String target(JsonNode request) {
        String to = Output.text(request, "to");
        return switch (to) {
            case "DATETIME" -> to + " " + Output.text(request, "datetime");
            case "SHIFT_BY" -> to + " " + Output.text(request, "shiftBy");
            default -> to;
        };
    }

    /** The TOPICS cell: the topics named, or "all" for every topic the group has committed offsets on. */
    private static String topics(JsonNode topics) {
        List<String> names = new ArrayList<>();
        topics.forEach(t -> names.add(t.asText()));
        return names.isEmpty() ? "all" : String.join(",", names);
    }

    /** The PLANNED cell: "not yet", or how many partitions the executor's plan sets and when it recorded it. */
    private static String planned(JsonNode request) {
        if (!request.hasNonNull("plannedAt")) {
            return "not yet";
        }
        int partitions = 0;
        for (JsonNode topic : request.path("plan")) {
            partitions += topic.size();
        }
        return partitions + " partitions at " + request.get("plannedAt").asText();
    }

    /**
     * One line for {@code cox get}: how many resets are pending and the latest outcomes by state; nothing for a cluster
     * that never had one.
     */
    static void printSummary(PrintWriter out, JsonNode cluster) {
        JsonNode pending = pending(cluster);
        JsonNode latest = latest(cluster);
        if (pending.isEmpty() && latest.isEmpty()) {
            return;
        }
        Map<String, Integer> byState = new TreeMap<>();
        latest.forEach(s -> byState.merge(s.path("state").asText(), 1, Integer::sum));
        List<String> states = new ArrayList<>();
        byState.forEach((state, n) -> states.add(n + " " + state));
        out.println("Offset resets: " + pending.size() + " pending" + (states.isEmpty() ? "" : "; latest: " + String.join(", ", states))
                + " (cox offsets list " + cluster.path("clusterId").asText() + ")");
    }
}
