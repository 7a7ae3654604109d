package io.coxswain.commands.cli;

import static io.coxswain.commands.cli.ReadCommands.ok;
import static io.coxswain.commands.cli.ReadCommands.path;
import static io.coxswain.commands.cli.ReadCommands.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cox diff}, {@code cox audit} and {@code cox verify}: the audit endpoints, which replay the command log. */
final class AuditCommands {

    private static final int CELL = 60;

    private AuditCommands() {
    }

    /** A JSON value in one table cell: text as is, anything else compact, long values cut. */
    static String cell(JsonNode v) {
        String s = v == null || v.isMissingNode() || v.isNull() ? "-" : v.isValueNode() ? v.asText() : v.toString();
        return s.length() > CELL ? s.substring(0, CELL - 3) + "..." : s;
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "What changed in a cluster between two versions, and which commands changed it (0 = before it existed).")
    static final class Diff implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "FROM") long from;
        @Parameters(index = "2", paramLabel = "TO") long to;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml.") Output.Format format;

        @Override
        public Integer call() {
            JsonNode d = ok(cox.client().get("/v1/clusters/" + path(cluster) + "/diff?from=" + from + "&to=" + to));
            PrintWriter out = cox.out();
            render(out, format, d, () -> {
                out.println("cluster " + cluster + ", version " + from + " -> " + to + ": " + d.path("changes").size() + " fields changed by "
                        + d.path("commands").size() + " commands");
                List<List<String>> changes = new ArrayList<>();
                d.path("changes").forEach(c -> {
                    List<String> by = new ArrayList<>();
                    c.path("causedBy").forEach(id -> by.add(id.asText()));
                    changes.add(List.of(c.path("path").asText(), cell(c.get("before")), cell(c.get("after")), by.isEmpty() ? "-" : String.join(",", by)));
                });
                out.println();
                Output.table(out, List.of("FIELD", "BEFORE", "AFTER", "CAUSED BY"), changes);
                List<List<String>> commands = new ArrayList<>();
                d.path("commands").forEach(c -> {
                    List<String> changed = new ArrayList<>();
                    c.path("changed").forEach(p -> changed.add(p.asText()));
                    commands.add(List.of("v" + c.path("version").asText(), Output.text(c, "commandId"), Output.text(c, "type"),
                            Output.text(c, "issuer"), Output.text(c, "issuedAt"), changed.isEmpty() ? "-" : String.join(",", changed)));
                });
                out.println();
                Output.table(out, List.of("VERSION", "COMMAND", "TYPE", "ISSUER", "ISSUED", "CHANGED"), commands);
            });
            return 0;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "Who asked for what, when, what was decided and what the executors did: the command log, filtered.")
    static final class Audit implements Callable<Integer> {

        enum Format { table, json, jsonl, yaml }

        @ParentCommand Cox cox;
        @Option(names = "--from", paramLabel = "TIME", description = "Logged at or after (ISO-8601, a date, or an age like 2h).") String from;
        @Option(names = "--to", paramLabel = "TIME", description = "Logged at or before.") String to;
        @Option(names = "--issuer", paramLabel = "PRINCIPAL", description = "Issued by this authenticated principal.") String issuer;
        @Option(names = "--type", paramLabel = "TYPE", description = "A command type (UpgradeKafka), an observation type (ResourceActionObserved) or Undecodable.") String type;
        @Option(names = "--cluster", paramLabel = "ID", description = "Only this cluster.") String cluster;
        @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Only clusters whose labels, when the command was"
                + " decided or as it left them, meet this selector (team=payments,env!=dev): a cluster relabelled since is found for its past.")
        String selector;
        @Option(names = "--limit", paramLabel = "N", description = "At most N entries (default 1000).") Integer limit;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json, jsonl (one entry per line, for export) or yaml.") Format format;

        String query() {
            StringBuilder q = new StringBuilder("/v1/audit?format=").append(format == Format.jsonl ? "jsonl" : "json");
            param(q, "from", Times.parse("--from", from));
            param(q, "to", Times.parse("--to", to));
            param(q, "issuer", issuer);
            param(q, "type", type);
            param(q, "cluster", cluster);
            if (selector != null) {
                LabelCommand.selector("--selector", selector); // a malformed one ends cox with exit 2 before any request
            }
            param(q, "label", selector);
            param(q, "limit", limit == null ? null : limit.toString());
            return q.toString();
        }

        private static void param(StringBuilder q, String name, String value) {
            if (value != null) {
                q.append('&').append(name).append('=').append(path(value));
            }
        }

        @Override
        public Integer call() {
            PrintWriter out = cox.out();
            GatewayClient.Response r = cox.client().get(query());
            if (r.status() != 200) {
                throw CliException.of(r.status(), r.error());
            }
            switch (format) {
                case jsonl -> out.print(r.body());
                case json -> Output.json(out, r.json());
                case yaml -> Output.yaml(out, r.json());
                default -> table(out, r.json());
            }
            return 0;
        }

        private static void table(PrintWriter out, JsonNode result) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode e : result.path("entries")) {
                rows.add(List.of(Output.text(e, "loggedAt"), Output.text(e, "cluster"), Output.text(e, "type"), Output.text(e, "issuer"),
                        Output.text(e, "commandId"), decision(e), Integer.toString(e.path("actions").size())));
            }
            Output.table(out, List.of("LOGGED", "CLUSTER", "TYPE", "ISSUER", "COMMAND", "DECISION", "ACTIONS"), rows);
            if (result.path("truncated").asBoolean()) {
                out.println("(" + rows.size() + " of " + result.path("matched").asLong() + " matching entries shown; narrow the query or raise --limit)");
            }
        }

        static String decision(JsonNode e) {
            if (e.hasNonNull("deadLetterReason")) {
                return "undecodable: " + e.get("deadLetterReason").asText();
            }
            JsonNode d = e.path("decision");
            JsonNode o = d.path("outcome");
            String repeat = d.path("duplicate").asBoolean() ? " (repeat)" : "";
            return switch (o.path("type").asText()) {
                case "CommandAccepted" -> "accepted v" + o.path("version").asText() + repeat
                        + (o.path("awaitingApprovals").asInt() > 0 ? " as a proposal awaiting " + o.path("awaitingApprovals").asInt() + " approval(s)" : "");
                case "CommandRejected" -> "rejected " + o.path("code").asText() + ": " + o.path("reason").asText() + repeat;
                default -> "-";
            };
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Replay the whole command log and compare, byte for byte, with the live state; exit 6 listing every difference.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand Cox cox;
        @Option(names = "--cluster", paramLabel = "ID", description = "Verify only this cluster.") String cluster;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml.") Output.Format format;

        @Override
        public Integer call() {
            JsonNode v = ok(cox.client().get("/v1/audit/verify" + (cluster == null ? "" : "?cluster=" + path(cluster))));
            PrintWriter out = cox.out();
            boolean identical = v.path("identical").asBoolean();
            render(out, format, v, () -> {
                String scope = v.path("clusters").asLong() + " clusters, " + v.path("commands").asLong() + " commands replayed";
                if (identical) {
                    out.println("identical: the live state is exactly the replay of the command log (" + scope + ")");
                } else {
                    out.println("DIFFERENT: " + v.path("differences").size() + " differences between the live state and the replay (" + scope + ")");
                    List<List<String>> rows = new ArrayList<>();
                    Set<String> explanations = new LinkedHashSet<>();
                    for (JsonNode d : v.path("differences")) {
                        rows.add(List.of(Output.text(d, "cluster"), Output.text(d, "replayedVersion"), Output.text(d, "liveVersion"),
                                Output.text(d, "path"), cell(d.get("replayed")), cell(d.get("live"))));
                        explanations.add(Output.text(d, "cluster") + ": " + Output.text(d, "explanation"));
                    }
                    out.println();
                    Output.table(out, List.of("CLUSTER", "REPLAYED V", "LIVE V", "FIELD", "REPLAYED", "LIVE"), rows);
                    out.println();
                    explanations.forEach(out::println);
                }
                v.path("notes").forEach(n -> out.println("note: " + n.asText()));
            });
            return identical ? 0 : CliException.NOT_IDENTICAL;
        }
    }
}
