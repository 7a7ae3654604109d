package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cox get}, {@code cox history}, {@code cox watch} and {@code cox whoami}: reads, answered from the gateway's read model. */
final class ReadCommands {

    private ReadCommands() {
    }

    static String path(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    static JsonNode ok(GatewayClient.Response r) {
        if (r.status() != 200) {
            throw CliException.of(r.status(), r.error());
        }
        return r.json();
    }

    /** The field names of a JSON object joined by commas (topics, users), or "-" for none. */
    static String names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "-" : String.join(",", names);
    }

    /** A cluster's labels as {@code k=v,k=v}, or "-" for none. */
    static String labels(JsonNode labels) {
        List<String> pairs = new ArrayList<>();
        labels.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
        return pairs.isEmpty() ? "-" : String.join(",", pairs);
    }

    /** A JSON array's items as {@code a,b}, or {@code ifEmpty} for none (or no array). */
    static String join(JsonNode array, String ifEmpty) {
        List<String> items = new ArrayList<>();
        array.forEach(v -> items.add(v.asText()));
        return items.isEmpty() ? ifEmpty : String.join(",", items);
    }

    /**
     * The cluster as {@code GET /v1/clusters/{id}} has it; {@code query} picks a past state, or is "" for the live one,
     * read consistently (see {@link #consistent}).
     */
    static JsonNode cluster(Cox cox, String id, String query) {
        return ok(cox.client().get(query.isEmpty() ? consistent("/v1/clusters/" + path(id)) : "/v1/clusters/" + path(id) + query));
    }

    /**
     * {@code path} asking for a consistent read: answered once the gateway has read every change committed when it was
     * asked, so a change accepted a moment ago, by this gateway or another behind the same load balancer, is in the answer.
     */
    static String consistent(String path) {
        return path + (path.contains("?") ? "&" : "?") + "consistent=true";
    }

    static void render(PrintWriter out, Output.Format format, JsonNode node, Runnable table) {
        switch (format) {
            case json -> Output.json(out, node);
            case yaml -> Output.yaml(out, node);
            default -> table.run();
        }
    }

    /** CLUSTER and {@code -o} of a command that shows a part of one cluster's state ({@code cox connector list}, {@code cox offsets list}). */
    static final class ClusterView {
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml.") Output.Format format;

        /** Reads the cluster consistently; prints {@code document} of it for {@code -o json|yaml}, or has {@code table} print it. */
        int show(Cox cox, Function<JsonNode, JsonNode> document, BiConsumer<PrintWriter, JsonNode> table) {
            PrintWriter out = cox.out();
            JsonNode c = cluster(cox, cluster, "");
            render(out, format, document.apply(c), () -> table.accept(out, c));
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "List clusters, or show one. The list's ACTED ON says whether the executor has acted on the latest change,"
            + " BLOCKED the keys it refuses (cox get CLUSTER prints each one's reason and fix).")
    static final class Get implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Parameters(index = "0", arity = "0..1", paramLabel = "CLUSTER") String cluster;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml.") Output.Format format;
        @Option(names = "--as-of", paramLabel = "TIME",
                description = "Show the cluster as it was then: 2026-11-20T10:00:00Z, a date, or an age like 15m, 2h, 3d (replays the log).")
        String asOf;
        @Option(names = "--at-version", paramLabel = "N", description = "Show the cluster as it was at this version (replays the log).")
        Long atVersion;
        @Option(names = "--phase", paramLabel = "PHASE", split = ",",
                description = "List only clusters in these phases, e.g. --phase Degraded,Failed.")
        List<String> phases;
        @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
                description = "List only clusters whose labels match, kubectl's way: team=payments,env!=dev,tier,!ephemeral.")
        String selector;

        /** The query that picks a past state, or "" for the live one. */
        private String past() {
            if (asOf != null && atVersion != null) {
                throw new CliException(CliException.BAD_INPUT, "give either --as-of or --at-version, not both");
            }
            if (phases != null && cluster != null) {
                throw new CliException(CliException.BAD_INPUT, "--phase filters the list of clusters: cox get --phase Degraded (without CLUSTER)");
            }
            if (selector != null && cluster != null) {
                throw new CliException(CliException.BAD_INPUT, "--selector filters the list of clusters: cox get -l team=payments (without CLUSTER)");
            }
            if ((asOf != null || atVersion != null) && cluster == null) {
                throw new CliException(CliException.BAD_INPUT, "--as-of and --at-version need a CLUSTER: cox get CLUSTER --as-of TIME");
            }
            if (asOf != null) {
                return "?asOf=" + path(Times.parse("--as-of", asOf));
            }
            return atVersion != null ? "?atVersion=" + atVersion : "";
        }

        @Override
        public Integer call() {
            PrintWriter out = cox.out();
            String past = past();
            if (cluster == null) {
                List<String> query = new ArrayList<>();
                if (phases != null) {
                    query.add("phase=" + path(String.join(",", phases)));
                }
                if (selector != null) {
                    LabelCommand.selector("--selector", selector);
                    query.add("label=" + path(selector));
                }
                JsonNode list = ok(cox.client().get(consistent("/v1/clusters" + (query.isEmpty() ? "" : "?" + String.join("&", query)))));
                render(out, format, list, () -> {
                    List<List<String>> rows = new ArrayList<>();
                    // BLOCKED: the keys the executor refuses (the summary's blocked, as the console marks the Phase cell); a column of
                    // its own keeps PHASE one word to filter on, and cox get CLUSTER prints each key's reason and fix
                    list.forEach(c -> rows.add(List.of(Output.text(c, "clusterId"), Output.text(c, "version"), Output.text(c, "phase"),
                            Output.text(c, "kafkaVersion"), Output.text(c, "brokers"), acted(c), join(c.path("blocked"), "-"),
                            Output.text(c, "updatedAt"), labels(c.path("labels")))));
                    Output.table(out, List.of("CLUSTER", "VERSION", "PHASE", "KAFKA", "BROKERS", "ACTED ON", "BLOCKED", "UPDATED", "LABELS"), rows);
                });
                return 0;
            }
            JsonNode c = cluster(cox, cluster, past);
            render(out, format, c, () -> {
                Output.table(out, List.of("CLUSTER", "VERSION", "PHASE", "KAFKA", "BROKERS", "CONTROLLERS", "CLIENT AUTH", "TOPICS", "USERS"),
                        List.of(List.of(Output.text(c, "clusterId"), Output.text(c, "version"), Output.text(c, "status/phase"),
                                Output.text(c, "spec/kafkaVersion"), Output.text(c, "spec/brokers"), Output.text(c, "spec/controllers"),
                                Output.text(c, "spec/clientAuthentication"), names(c.path("topics")), names(c.path("users")))));
                if (!c.at("/spec/labels").isEmpty()) {
                    out.println("Labels: " + labels(c.at("/spec/labels")));
                }
                if (c.hasNonNull("note")) { // a newer state schema wrote it: what the gateway cannot read, and so not shown here
                    out.println("Note: " + c.get("note").asText());
                }
                printIntent(out, c);
                printBlocked(out, c.at("/status/executorRefusals"));
                TopicCommand.printReplication(out, c.at("/status/replication"));
                if (!c.at("/spec/deleteRequested").asBoolean()) { // nothing left to fix on a cluster going away
                    TopicCommand.printRefusals(out, Output.text(c, "clusterId"), c.at("/status/topicRefusals"));
                }
                CaReplacementCommand.printCa(out, c.at("/status/ca"));
                ClusterCommands.Rebalance.printPending(out, c.at("/spec/rebalance"));
                CaReplacementCommand.printPending(out, c.at("/spec/caReplacement"));
                MaintenanceWindowsCommand.print(out, c);
                UserCommands.printUsers(out, c);
                ConnectorCommand.printSummary(out, c);
                MirrorCommand.printSummary(out, c);
                OffsetsCommand.printSummary(out, c);
                ApprovalsCommand.printSummary(out, c);
            });
            return 0;
        }
    }

    /**
     * Under {@code cox get CLUSTER}: what the executor refuses, or Kafka refused it, for the cluster ({@code status.executorRefusals}),
     * one line each, its reason naming what to do; the cluster's changes are not acted on meanwhile. Nothing when none.
     */
    static void printBlocked(PrintWriter out, JsonNode refusals) {
        RefusalsInTheWay.lines(refusals).forEach(out::println);
    }

    /**
     * Whether the executor has acted on the latest change asked for: what "my change is not visible yet" comes down to.
     * Said only of a state that has an intent version (states folded before it existed do not).
     */
    static void printIntent(PrintWriter out, JsonNode c) {
        long intent = c.path("intentVersion").asLong();
        long reconciled = reconciled(c);
        if (intent <= 0) {
            return;
        }
        out.println(actedOn(c) ? "Acted on: every change asked for (the latest at version " + intent + ")"
                : "Not yet acted on: the change at version " + intent + (reconciled > 0 ? " (the executor last finished a pass at version "
                + reconciled + ")" : " (no executor has finished a pass over this cluster yet)"));
    }

    /** The intentVersion the cluster's executor last finished a pass over: status.reconciledIntentVersion, or a summary's. */
    static long reconciled(JsonNode cluster) {
        JsonNode summary = cluster.path("reconciledIntentVersion");
        return summary.isNumber() ? summary.asLong() : cluster.at("/status/reconciledIntentVersion").asLong();
    }

    /** A list row's ACTED ON cell: yes, or up to which version of how many asked; "-" for a state folded before there were intent versions. */
    private static String acted(JsonNode summary) {
        long intent = summary.path("intentVersion").asLong();
        return intent <= 0 ? "-" : actedOn(summary) ? "yes" : "v" + reconciled(summary) + " of v" + intent;
    }

    /** Whether the executor has acted on the latest change asked of the cluster (a full state, as GET /v1/clusters/{id} has it). */
    static boolean actedOn(JsonNode cluster) {
        return reconciled(cluster) >= cluster.path("intentVersion").asLong();
    }

    /**
     * Ready with every change up to {@code intentVersion} acted on, no operation held for a maintenance window and nothing
     * the executor refuses: what was asked is what runs. Acting on a change that needs a roll outside the windows is
     * deferring it, and an executor whose pods run no Kafka acts on a topic by saying it will not create it; the phase
     * stays Ready meanwhile in both, so the deferral and the refusals must be asked too.
     */
    static boolean settled(JsonNode cluster, long intentVersion) {
        return "Ready".equals(cluster.at("/status/phase").asText()) && reconciled(cluster) >= intentVersion
                && !cluster.at("/status/deferred").isObject() && cluster.at("/status/executorRefusals").isEmpty();
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "The cluster's commands in log order, with what became of each.")
    static final class History implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = "--changes", description = "Only what someone asked: leave out the executor's observations (most records).")
        boolean changes;
        @Option(names = "--last", paramLabel = "N", description = "Only the latest N entries (at most 1000), instead of the whole log.")
        Integer last;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml.") Output.Format format;

        @Override
        public Integer call() {
            List<JsonNode> all = new ArrayList<>();
            if (last != null && (last < 1 || last > 1000)) {
                throw new CliException(CliException.BAD_INPUT, "--last must be between 1 and 1000, got " + last);
            }
            String history = "/v1/clusters/" + path(cluster) + "/history?" + (changes ? "observations=false&" : "");
            String next = consistent(last != null ? history + "last=" + last : history + "limit=1000");
            while (next != null) {
                GatewayClient.Response r = cox.client().get(next);
                ok(r).forEach(all::add);
                JsonNode end = all.isEmpty() ? null : all.get(all.size() - 1);
                // the latest N is one answer; the whole log comes in pages of 1,000
                next = last == null && r.json().size() == 1000 && end != null ? history + "limit=1000&fromOffset=" + (end.get("offset").asLong() + 1) : null;
            }
            JsonNode array = GatewayClient.JSON.valueToTree(all);
            PrintWriter out = cox.out();
            render(out, format, array, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode e : all) {
                    rows.add(List.of(Output.text(e, "offset"), Output.text(e, "issuedAt"), Output.text(e, "type"), Output.text(e, "issuer"),
                            e.path("proposed").asBoolean() ? "proposed" : Output.text(e, "status") + (e.path("duplicate").asBoolean() ? " (repeat)" : ""),
                            result(e)));
                }
                Output.table(out, List.of("OFFSET", "ISSUED", "TYPE", "ISSUER", "STATUS", "RESULT"), rows);
            });
            return 0;
        }
    }

    /**
     * A history entry's outcome: its version or why it was rejected, then for a proposal what became of it (awaiting 1
     * approval, APPLIED v42 by bob) and for an approval, veto or withdrawal the same of the proposal it acted on; for a
     * command a newer commands schema wrote, the gateway's note of what it cannot read of it.
     */
    static String result(JsonNode e) {
        // a reason without a code: no decision this gateway can read (decision-unreadable, undecodable), and why
        String decided = e.hasNonNull("version") ? "v" + e.get("version").asText()
                : e.hasNonNull("reason") ? (e.hasNonNull("code") ? e.get("code").asText() + ": " : "") + e.get("reason").asText() : "-";
        // written with a newer commands schema: what the gateway cannot read of it
        String result = e.hasNonNull("note") ? decided + " (" + e.get("note").asText() + ")" : decided;
        JsonNode p = e.path("proposal");
        if (p.isObject()) {
            boolean own = p.path("commandId").asText().equals(e.path("commandId").asText());
            return result + ", " + (own ? "" : Output.text(p, "type") + " " + Output.text(p, "commandId") + " ") + Output.text(p, "summary");
        }
        // proposed, and the state keeps only the latest outcomes: the log has how it ended
        return e.path("proposed").asBoolean() ? result + ", ended past the latest outcomes the state keeps (cox audit)" : result;
    }

    @Command(name = "watch", mixinStandardHelpOptions = true, description = "Print each new version of a cluster as it happens (Ctrl-C to stop).")
    static final class Watch implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table (a line per version) or json (a document per line).") Output.Format format;
        @Option(names = "--count", description = "Stop after this many versions.") Integer count;

        /** Thrown to end the stream after --count events. */
        private static final class Enough extends RuntimeException {
            Enough() {
                super(null, null, false, false);
            }
        }

        @Override
        public Integer call() {
            PrintWriter out = cox.out();
            AtomicInteger seen = new AtomicInteger();
            try {
                return cox.client().stream("/v1/clusters/" + path(cluster) + "/watch", data -> {
                    JsonNode s;
                    try {
                        s = GatewayClient.JSON.readTree(data);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (format == Output.Format.table) {
                        out.println("version " + Output.text(s, "version") + "  phase " + Output.text(s, "status/phase") + "  kafka "
                                + Output.text(s, "spec/kafkaVersion") + "  brokers " + Output.text(s, "spec/brokers")
                                + "  last command " + Output.text(s, "lastCommandId"));
                    } else {
                        out.println(s.toString());
                    }
                    out.flush();
                    if (count != null && seen.incrementAndGet() >= count) {
                        throw new Enough();
                    }
                });
            } catch (Enough e) {
                return 0;
            }
        }
    }

    @Command(name = "whoami", mixinStandardHelpOptions = true,
            description = "Who the gateway takes you for, and which commands your roles allow on which clusters.")
    static final class WhoAmI implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml.") Output.Format format;

        @Override
        public Integer call() {
            JsonNode me = ok(cox.client().get("/v1/whoami"));
            PrintWriter out = cox.out();
            render(out, format, me, () -> {
                out.println("principal: " + Output.text(me, "principal"));
                if (!me.path("rolesEnforced").asBoolean()) {
                    out.println("this gateway has no roles file: you may issue every command on every cluster");
                    return;
                }
                List<List<String>> rows = new ArrayList<>();
                me.path("roles").forEach(r -> rows.add(List.of(Output.text(r, "name"), join(r.path("commands"), "none"), join(r.path("clusters"), "-")
                        + (r.hasNonNull("selector") ? " labelled " + r.path("selector").asText() : ""))));
                boolean byRole = "by-role".equals(Output.text(me, "reads"));
                if (rows.isEmpty()) {
                    out.println(byRole ? "no roles: you may read no cluster and issue no commands" : "no roles: you may read, but issue no commands");
                } else {
                    Output.table(out, List.of("ROLE", "COMMANDS", "CLUSTERS"), rows);
                    if (byRole) {
                        out.println("reads follow roles: you see only the clusters in the CLUSTERS column");
                    }
                }
            });
            return 0;
        }

    }
}
