package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.commands.shape.MirrorShape;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cox mirror set|delete|restart|list CLUSTER ...}: MirrorMaker 2 mirrors into a cluster, run on its connect component. */
@Command(name = "mirror", mixinStandardHelpOptions = true,
        description = "Replicate topics from another managed cluster into this one (MirrorMaker 2 on its connect component).",
        subcommands = {MirrorCommand.Set.class, MirrorCommand.Delete.class, MirrorCommand.Restart.class, MirrorCommand.ListMirrors.class})
final class MirrorCommand {

    @ParentCommand Cox cox;

    /** The target CLUSTER and the mirror's NAME every change names first. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster to copy into (its connect component runs the mirror).")
        String cluster;
        @Parameters(index = "1", paramLabel = "NAME", description = "The mirror: letters, digits, '.', '_' and '-', at most 53.") String name;
    }

    // one short line each: picocli wraps at 80 columns
    @Command(name = "set", mixinStandardHelpOptions = true, description = {
            "Mirror topics of --from into CLUSTER, or replace the mirror's settings.",
            "Runs NAME-source (MirrorSourceConnector) and, with --group,",
            "NAME-checkpoint (MirrorCheckpointConnector) on CLUSTER's connect.",
            "Topics arrive as <from>.<topic> (--policy IDENTITY: same name).",
            "A source requiring client certificates needs --source-user, a user",
            "there with READ, DESCRIBE and DESCRIBE_CONFIGS on the topics.",
            "Every option left out takes its default: the whole mirror is replaced."})
    static final class Set implements Callable<Integer> {
        @ParentCommand MirrorCommand parent;
        @Mixin Submit submit;
        @Mixin Target target;
        @Option(names = "--from", required = true, paramLabel = "SOURCE", description = "The managed cluster to copy from.") String from;
        @Option(names = "--topic", paramLabel = "REGEX", description = "Topics to copy, a Java regex (repeatable; default: all).")
        List<String> topics = List.of();
        @Option(names = "--exclude", paramLabel = "REGEX", description = "Topics not to copy (repeatable).") List<String> exclude = List.of();
        @Option(names = "--group", paramLabel = "REGEX", description = "Consumer groups whose offsets are translated (repeatable).")
        List<String> groups = List.of();
        @Option(names = "--sync-group-offsets", description = "Commit the translated offsets on CLUSTER (with --group).") boolean sync;
        // sent upper-cased but unchecked, as cox connector set --state: the gateway names the field, and owns the list
        @Option(names = "--policy", defaultValue = "PREFIXED", paramLabel = "POLICY", description = "PREFIXED or IDENTITY (default ${DEFAULT-VALUE}).")
        String policy;
        @Option(names = "--source-user", paramLabel = "USER", description = "The user of SOURCE the mirror connects as.") String sourceUser;
        @Option(names = "--state", defaultValue = "RUNNING", paramLabel = "STATE", description = "RUNNING, PAUSED or STOPPED (default ${DEFAULT-VALUE}).")
        String state;

        @Override
        public Integer call() {
            ObjectNode p = GatewayClient.JSON.createObjectNode().put("name", target.name).put("sourceCluster", from);
            if (!topics.isEmpty()) {
                topics.forEach(p.putArray("topics")::add);
            }
            exclude.forEach(p.putArray("excludeTopics")::add);
            groups.forEach(p.putArray("groups")::add);
            p.put("syncGroupOffsets", sync).put("replicationPolicy", policy.toUpperCase(Locale.ROOT));
            if (sourceUser != null) {
                p.put("sourceUser", sourceUser);
            }
            p.put("state", state.toUpperCase(Locale.ROOT));
            return submit.send(parent.cox, target.cluster, "SetMirror", p);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {
            "Stop mirroring: the mirror's connectors go from the Connect cluster.",
            "The topics it copied, and their records, stay."})
    static final class Delete implements Callable<Integer> {
        @ParentCommand MirrorCommand parent;
        @Mixin Submit submit;
        @Mixin Target target;

        @Override
        public Integer call() {
            return submit.send(parent.cox, target.cluster, "DeleteMirror", GatewayClient.JSON.createObjectNode().put("name", target.name));
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = {
            "Restart the mirror's connectors (NAME-source and, with groups,",
            "NAME-checkpoint) and their failed tasks, once each (every task:",
            "--all-tasks). What is copied does not change. A STOPPED mirror is",
            "not restarted (NO_CHANGE): set it RUNNING."})
    static final class Restart implements Callable<Integer> {
        @ParentCommand MirrorCommand parent;
        @Mixin Submit submit;
        @Mixin Target target;
        @Option(names = "--reason", description = "Why (kept in the log).") String reason;
        @ArgGroup(exclusive = true) Tasks tasks = new Tasks();

        /** Which tasks: the failed ones (the default, as RestartConnector's), or all of them, as cox connector restart says it. */
        static final class Tasks {
            @Option(names = "--only-failed", description = "Restart only the connectors and tasks that FAILED (the default).") boolean onlyFailed;
            @Option(names = "--all-tasks", description = "Restart every task, not only the failed ones.") boolean allTasks;
        }

        @Override
        public Integer call() {
            ObjectNode p = GatewayClient.JSON.createObjectNode().put("name", target.name).put("onlyFailed", !tasks.allTasks);
            return submit.send(parent.cox, target.cluster, "RestartMirror", ClusterCommands.withReason(p, reason));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {
            "The mirrors into a cluster, and how the Connect cluster runs each",
            "one's connectors; or why the executor runs it not."})
    static final class ListMirrors implements Callable<Integer> {
        @ParentCommand MirrorCommand parent;
        @Mixin ReadCommands.ClusterView view;

        @Override
        public Integer call() {
            return view.show(parent.cox, MirrorCommand::document, (out, c) -> print(out, view.cluster, c));
        }
    }

    /** What {@code -o json|yaml} shows: each mirror as asked, with its connectors as observed and why it does not run (null: it may). */
    static ObjectNode document(JsonNode cluster) {
        ObjectNode d = GatewayClient.JSON.createObjectNode();
        ObjectNode mirrors = d.putObject("mirrors");
        cluster.at("/spec/mirrors").fields().forEachRemaining(e -> {
            ObjectNode one = mirrors.putObject(e.getKey());
            one.setAll((ObjectNode) e.getValue());
            ObjectNode observed = one.putObject("connectors");
            for (String connector : MirrorShape.connectorNames(e.getKey())) {
                JsonNode seen = cluster.at("/status/connectors/" + connector);
                if (!seen.isMissingNode()) {
                    observed.set(connector, seen);
                }
            }
            JsonNode why = cluster.at("/status/mirrorsNotRunnable/" + e.getKey());
            one.set("notRunnable", why.isMissingNode() ? GatewayClient.JSON.nullNode() : why);
        });
        return d;
    }

    private static void print(PrintWriter out, String id, JsonNode c) {
        List<List<String>> rows = new ArrayList<>();
        c.at("/spec/mirrors").fields().forEachRemaining(e -> {
            JsonNode m = e.getValue();
            List<String> running = new ArrayList<>();
            for (String connector : MirrorShape.connectorNames(e.getKey())) {
                JsonNode seen = c.at("/status/connectors/" + connector);
                if (seen.isObject()) {
                    running.add(connector + " " + Output.text(seen, "state") + (seen.path("failedTasks").asInt() > 0
                            ? " " + seen.path("failedTasks").asInt() + " FAILED" : ""));
                }
            }
            String why = c.at("/status/mirrorsNotRunnable/" + e.getKey()).asText(null);
            rows.add(List.of(e.getKey(), Output.text(m, "sourceCluster"), String.join(",", texts(m.path("topics"))),
                    m.path("groups").isEmpty() ? "-" : String.join(",", texts(m.path("groups"))), Output.text(m, "replicationPolicy"),
                    Output.text(m, "state"), restart(m.path("restart")),
                    why != null ? "not runnable: " + why : running.isEmpty() ? "not yet observed" : String.join("; ", running)));
        });
        if (rows.isEmpty()) {
            out.println("cluster " + id + " mirrors nothing; add one with: cox mirror set " + id + " NAME --from SOURCE");
        } else {
            Output.table(out, List.of("MIRROR", "FROM", "TOPICS", "GROUPS", "POLICY", "ASKED", "RESTART", "CONNECTORS"), rows);
        }
    }

    /**
     * The RESTART cell: "-" never asked, "pending" until the executor has restarted every connector of the mirror for the latest
     * RestartMirror (the fold then marks it {@code carriedOutAt}), else "done".
     */
    private static String restart(JsonNode request) {
        return !request.isObject() ? "-" : request.hasNonNull("carriedOutAt") ? "done" : "pending";
    }

    /** One line for {@code cox get}: the mirrors into the cluster, each with its source, and those the executor runs not; nothing without mirrors. */
    static void printSummary(PrintWriter out, JsonNode cluster) {
        List<String> mirrors = new ArrayList<>();
        cluster.at("/spec/mirrors").fields().forEachRemaining(e -> mirrors.add(e.getKey() + " from " + Output.text(e.getValue(), "sourceCluster")
                + (cluster.at("/status/mirrorsNotRunnable/" + e.getKey()).isTextual() ? " (not runnable)" : "")));
        if (!mirrors.isEmpty()) {
            out.println("Mirrors: " + String.join(", ", mirrors) + " (cox mirror list " + cluster.path("clusterId").asText() + ")");
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
