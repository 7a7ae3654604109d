package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cox maintenance-windows CLUSTER (WINDOW... | --any-time)}: named after {@code spec.maintenanceWindows}.
 * Clearing the windows lets a roll start on a production cluster in the middle of its busiest hour, so it takes a
 * flag of its own: the same command typed without its windows (a forgotten argument, a variable that expanded to
 * nothing in a script) is refused rather than read as "any time". Windows are sent as typed: the gateway's shape
 * check owns the form and names the bad one.
 */
@Command(name = "maintenance-windows", mixinStandardHelpOptions = true, description = {
        "Set when Coxswain may start an operation that restarts pods or moves data",
        "on a cluster: rolls (upgrade, reconfigure, restart), scale-out's and",
        "scale-in's data moves and rebalances. Volume expansion starts at any time.",
        "An operation held back waits for the next window (cox get CLUSTER shows it);",
        "one already running is not stopped when a window closes.",
        "Each WINDOW is 'DAYS HH:MM-HH:MM' in UTC, quoted as one argument; DAYS is",
        "daily, a day (Tue), a range (Mon-Fri; Fri-Mon wraps) or a list (Sat,Sun or",
        "Mon,Wed-Fri); an end before the start runs past midnight:",
        "'Fri 22:00-02:00' is Friday night. At most 20. The windows replace the",
        "cluster's; e.g. cox maintenance-windows payments 'Tue,Thu 02:00-05:00'",
        "--any-time removes them all (operations start whenever they are called",
        "for); it is a flag of its own so that forgetting the windows clears nothing."})
final class MaintenanceWindowsCommand implements Callable<Integer> {
    @ParentCommand Cox cox;
    @Mixin Submit submit;
    @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
    @Parameters(index = "1..*", paramLabel = "WINDOW", description = "'DAYS HH:MM-HH:MM' in UTC, e.g. 'Mon-Fri 01:00-04:00'.")
    List<String> windows = new ArrayList<>();
    @Option(names = "--any-time", description = "Remove every window: operations may start at any time.") boolean anyTime;

    @Override
    public Integer call() {
        if (anyTime == !windows.isEmpty()) {
            throw new CliException(CliException.BAD_INPUT, anyTime
                    ? "give either windows or --any-time, not both"
                    : "give the windows, e.g. 'Tue,Thu 02:00-05:00', or --any-time to let operations start at any time");
        }
        ObjectNode payload = ClusterCommands.object();
        ArrayNode list = payload.putArray("windows");
        windows.forEach(list::add);
        return submit.send(cox, cluster, "SetMaintenanceWindows", payload);
    }

    /**
     * Whether the cluster's {@code status.deferred} still waits for a window: it stays shown until the
     * operation starts, which with the windows lifted meanwhile is the executor's next pass.
     */
    static boolean waitsForWindow(JsonNode cluster) {
        return cluster.at("/status/deferred").isObject() && !cluster.at("/spec/maintenanceWindows").isEmpty();
    }

    /** What {@code cox get CLUSTER} says of the windows and of an operation waiting for one. */
    static void print(PrintWriter out, JsonNode cluster) {
        List<String> set = new ArrayList<>();
        cluster.at("/spec/maintenanceWindows").forEach(w -> set.add(w.asText()));
        out.println();
        out.println("maintenance windows (UTC): " + (set.isEmpty() ? "any time" : String.join("; ", set)));
        JsonNode deferred = cluster.at("/status/deferred");
        if (deferred.isObject()) {
            String cause = deferred.hasNonNull("causeCommandId") ? " (command " + deferred.get("causeCommandId").asText() + ")" : "";
            out.println(Output.text(deferred, "operation") + cause + (waitsForWindow(cluster)
                    ? " waits for the maintenance window opening at " + Output.text(deferred, "until")
                    : " was held back for a maintenance window; the windows are lifted, so it starts at the executor's next pass") + " (held back since "
                    + Output.text(deferred, "since") + ")");
        }
    }
}
