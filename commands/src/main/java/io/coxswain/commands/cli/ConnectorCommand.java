package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cox connector set|delete|restart|reset-offsets|list CLUSTER ...}: Kafka Connect connectors on the cluster's connect component. */
@Command(name = "connector", mixinStandardHelpOptions = true,
        description = "Run Kafka Connect connectors on a cluster's connect component (cox component set CLUSTER connect ...).",
        subcommands = {ConnectorCommand.Set.class, ConnectorCommand.Delete.class, ConnectorCommand.Restart.class,
                ConnectorCommand.ResetOffsets.class, ConnectorCommand.ListConnectors.class})
final class ConnectorCommand {

    @ParentCommand Cox cox;

    /** The CLUSTER and connector NAME every change names first. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
        @Parameters(index = "1", paramLabel = "NAME", description = "The connector: letters, digits, '.', '_' and '-', at most 64.") String name;
    }

    /** A request about one connector kept in the log with why it was asked: the common options, CLUSTER NAME and --reason. */
    static final class Request {
        @Mixin Submit submit;
        @Mixin Target target;
        @Option(names = "--reason", description = "Why (kept in the log).") String reason;

        /** The payload's first field, the connector's name. */
        ObjectNode payload() {
            return GatewayClient.JSON.createObjectNode().put("name", target.name);
        }

        int send(Cox cox, String type, ObjectNode payload) {
            return submit.send(cox, target.cluster, type, ClusterCommands.withReason(payload, reason));
        }
    }

    // one short line each: picocli wraps at 80 columns
    @Command(name = "set", mixinStandardHelpOptions = true, description = {
            "Run a connector, or replace its class, tasks, configuration and state.",
            "The set of --config given replaces the previous one, and --state",
            "left out is RUNNING: a paused connector set again without it resumes.",
            "A property naming a password, secret, credential, token, JAAS config",
            "or key takes only a config provider reference, never the secret:",
            "  --config 'connection.password=$${directory:/mnt/secrets/db-creds:password}'", // $$: picocli would read ${...} as its own variable
            "(the command log is kept forever; the Connect workers resolve it)."})
    static final class Set implements Callable<Integer> {
        @ParentCommand ConnectorCommand parent;
        @Mixin Submit submit;
        @Mixin Target target;
        @Option(names = "--class", required = true, paramLabel = "CLASS", description = "The connector's Java class (connector.class).")
        String connectorClass;
        @Option(names = "--tasks", defaultValue = "1", paramLabel = "N", description = "At most this many tasks, 1 to 1000 (tasks.max; default ${DEFAULT-VALUE}).")
        int tasks;
        @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Connector property (repeatable); not name, connector.class or tasks.max.")
        Map<String, String> config = Map.of();
        // sent upper-cased but unchecked, like cox create-user --authentication: the gateway names payload.state, and owns the list
        @Option(names = "--state", defaultValue = "RUNNING", paramLabel = "STATE", description = "RUNNING, PAUSED or STOPPED (default ${DEFAULT-VALUE}).")
        String state;

        @Override
        public Integer call() {
            ObjectNode p = GatewayClient.JSON.createObjectNode().put("name", target.name).put("connectorClass", connectorClass).put("tasksMax", tasks);
            ObjectNode c = p.putObject("config");
            config.forEach(c::put);
            p.put("state", state.toUpperCase(Locale.ROOT));
            return submit.send(parent.cox, target.cluster, "SetConnector", p);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {
            "Delete a connector from the Connect cluster (its topics and offsets stay).",
            "Only connectors set through Coxswain: one made by hand is left alone."})
    static final class Delete implements Callable<Integer> {
        @ParentCommand ConnectorCommand parent;
        @Mixin Submit submit;
        @Mixin Target target;

        @Override
        public Integer call() {
            return submit.send(parent.cox, target.cluster, "DeleteConnector", GatewayClient.JSON.createObjectNode().put("name", target.name));
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = {
            "Restart a connector and its failed tasks, once (every task: --all-tasks).",
            "A STOPPED connector is not restarted (NO_CHANGE): set it RUNNING."})
    static final class Restart implements Callable<Integer> {
        @ParentCommand ConnectorCommand parent;
        @Mixin Request request;
        @Option(names = "--all-tasks", description = "Restart every task, not only the failed ones.") boolean allTasks;

        @Override
        public Integer call() {
            return request.send(parent.cox, "RestartConnector", request.payload().put("onlyFailed", !allTasks));
        }
    }

    @Command(name = "reset-offsets", mixinStandardHelpOptions = true, description = {
            "Erase a STOPPED connector's offsets, once (Kafka Connect's KIP-875):",
            "a source connector then reads its source from the start again, a sink",
            "connector's consumer group starts where its consumer's",
            "auto.offset.reset says. Stop it first (cox connector set ... --state",
            "STOPPED): a connector asked to run or pause is refused",
            "CONNECTOR_NOT_STOPPED. It stays stopped, and a set that would start it",
            "is refused, until cox connector list shows the reset done."})
    static final class ResetOffsets implements Callable<Integer> {
        @ParentCommand ConnectorCommand parent;
        @Mixin Request request;

        @Override
        public Integer call() {
            int code = request.send(parent.cox, "ResetConnectorOffsets", request.payload());
            Submit submit = request.submit;
            if (!submit.dryRun && !submit.noWait && submit.format == Output.Format.table) {
                String cluster = request.target.cluster;
                parent.cox.out().println("start it again once cox connector list " + cluster + " shows OFFSETS RESET done: cox connector set "
                        + cluster + " " + request.target.name + " --class CLASS (its tasks and whole --config again) --state RUNNING");
            }
            return code;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {
            "The connectors a cluster asks for, and how the Connect cluster runs each;",
            "then those on it Coxswain does not manage, and whether Connect answered."})
    static final class ListConnectors implements Callable<Integer> {
        @ParentCommand ConnectorCommand parent;
        @Mixin ReadCommands.ClusterView view;

        @Override
        public Integer call() {
            return view.show(parent.cox, ConnectorCommand::document, (out, c) -> print(out, view.cluster, c));
        }
    }

    /**
     * What {@code -o json|yaml} shows: each connector as asked ({@code connectors}) with what Connect reports of it
     * ({@code observed}, null until it is), then {@code unmanaged} and {@code unreachable} as the state has them.
     */
    static ObjectNode document(JsonNode cluster) {
        ObjectNode d = GatewayClient.JSON.createObjectNode();
        ObjectNode connectors = d.putObject("connectors");
        cluster.path("connectors").fields().forEachRemaining(e -> {
            ObjectNode one = connectors.putObject(e.getKey());
            one.setAll((ObjectNode) e.getValue());
            JsonNode seen = cluster.at("/status/connectors/" + e.getKey());
            one.set("observed", seen.isMissingNode() ? GatewayClient.JSON.nullNode() : seen);
        });
        d.set("unmanaged", cluster.at("/status/unmanagedConnectors").isMissingNode() ? GatewayClient.JSON.createArrayNode()
                : cluster.at("/status/unmanagedConnectors"));
        JsonNode unreachable = cluster.at("/status/connectUnreachable");
        d.set("unreachable", unreachable.isMissingNode() ? GatewayClient.JSON.nullNode() : unreachable);
        return d;
    }

    private static void print(PrintWriter out, String id, JsonNode c) {
        List<List<String>> rows = new ArrayList<>();
        c.path("connectors").fields().forEachRemaining(e -> {
            JsonNode asked = e.getValue();
            JsonNode seen = c.at("/status/connectors/" + e.getKey());
            boolean observed = seen.isObject();
            rows.add(List.of(e.getKey(), Output.text(asked, "connectorClass"), Output.text(asked, "state"),
                    observed ? Output.text(seen, "state") : "not yet observed", observed ? Output.text(seen, "tasks") + "/" + Output.text(asked, "tasksMax") : "-",
                    observed ? Output.text(seen, "failedTasks") : "-", carriedOut(asked.path("restart"), seen, "restarted"),
                    carriedOut(asked.path("offsetReset"), seen, "offsetsReset"), observed ? Output.text(seen, "error") : "-"));
        });
        if (rows.isEmpty()) {
            out.println("cluster " + id + " runs no connectors; add one with: cox connector set " + id + " NAME --class CLASS");
        } else {
            Output.table(out, List.of("CONNECTOR", "CLASS", "ASKED", "STATE", "TASKS", "FAILED", "RESTART", "OFFSETS RESET", "ERROR"), rows);
        }
        List<String> unmanaged = new ArrayList<>();
        c.at("/status/unmanagedConnectors").forEach(n -> unmanaged.add(n.asText()));
        if (!unmanaged.isEmpty()) {
            out.println("Not managed by Coxswain (left alone): " + String.join(", ", unmanaged));
        }
        JsonNode unreachable = c.at("/status/connectUnreachable");
        if (unreachable.isTextual()) {
            out.println("Connect unreachable: " + unreachable.asText() + " (states as last observed)");
        }
    }

    /**
     * One line for {@code cox get}: how many connectors, how many of them not running as asked (failed tasks, FAILED,
     * REFUSED or not yet observed) and whether Connect answers; nothing for a cluster that runs none.
     */
    static void printSummary(PrintWriter out, JsonNode cluster) {
        JsonNode asked = cluster.path("connectors");
        String unreachable = cluster.at("/status/connectUnreachable").asText(null);
        if (asked.isEmpty() && unreachable == null) {
            return;
        }
        int troubled = 0;
        for (java.util.Iterator<String> names = asked.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode seen = cluster.at("/status/connectors").path(name);
            if (seen.isMissingNode() || seen.path("failedTasks").asInt() > 0 || seen.hasNonNull("error")
                    || !asked.path(name).path("state").asText().equals(seen.path("state").asText())) {
                troubled++;
            }
        }
        out.println("Connectors: " + asked.size() + (troubled == 0 ? ", all as asked" : ", " + troubled + " not as asked")
                + (unreachable == null ? "" : "; Connect not answering: " + unreachable) + " (cox connector list " + cluster.path("clusterId").asText() + ")");
    }

    /**
     * The RESTART and OFFSETS RESET cells: "-" never asked, "pending" until Connect has carried out the latest
     * RestartConnector or ResetConnectorOffsets (the observed field {@code done} names its command), else "done".
     */
    private static String carriedOut(JsonNode request, JsonNode seen, String done) {
        if (!request.isObject()) {
            return "-";
        }
        if (!request.path("commandId").asText().equals(seen.path(done).asText(null))) {
            return "pending";
        }
        // an offsets reset Connect would not make (a plugin that cannot alter its offsets) is settled too, and says why
        return seen.hasNonNull(done + "Refused") ? "refused: " + seen.get(done + "Refused").asText() : "done";
    }
}
