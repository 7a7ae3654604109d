package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cox wait CLUSTER}: blocks until the executor has acted on every change asked of the cluster
 * ({@code status.reconciledIntentVersion}) and the cluster is Ready, as {@code kubectl rollout status} does
 * for a Deployment; what a pipeline runs after {@code cox upgrade} before it goes on.
 */
@Command(name = "wait", mixinStandardHelpOptions = true, description = {
        "Wait until the executor has acted on every change asked of the cluster and it is Ready again (a roll done, a live",
        "key applied): what a pipeline runs after a change. Prints each new phase and operation state as it goes.",
        "Exit 0 when done, 1 when its operation FAILED or was ABANDONED meanwhile, the executor refuses what it would take (the",
        "Blocked lines of cox get, printed), or the cluster is paused or deleted, 7 when not",
        "done in time. It reads consistently, so a change whose decision came back (cox waits for it unless --no-wait) through",
        "any gateway behind the same load balancer is the one waited for; after --no-wait give --version."})
final class WaitCommand implements Callable<Integer> {

    static final int NOT_DONE_IN_TIME = 7;

    @ParentCommand Cox cox;
    @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
    @Option(names = "--version", paramLabel = "N", description = "Wait for the change accepted at this version (the version a command's"
            + " reply names); default: the latest change asked for when cox wait starts, by any gateway.")
    Long version;
    @Option(names = "--timeout", defaultValue = "10m", description = "How long to wait (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws InterruptedException {
        Duration limit = Times.duration("--timeout", timeout);
        Polling polling = new Polling(limit);
        PrintWriter out = cox.out();
        String last = "";
        JsonNode first = null;
        while (true) {
            JsonNode c = ReadCommands.cluster(cox, cluster, "");
            first = first == null ? c : first;
            long asked = version != null ? version : first.path("intentVersion").asLong();
            boolean seen = c.path("version").asLong() >= asked; // the gateway's read model may not show the change yet
            // --version may name an observation's version: what was asked by then is at most the latest intent since
            long target = Math.min(asked, c.path("intentVersion").asLong());
            String phase = c.at("/status/phase").asText();
            if (seen && ReadCommands.settled(c, target)) {
                out.printf("%s: Ready, %s%n", cluster, target > 0 ? "every change up to version " + target + " acted on"
                        : "its state from before Coxswain recorded what executors acted on (state v16)");
                int proposals = c.at("/spec/proposals").size();
                if (proposals > 0) {
                    // a proposal asks nothing of the cluster until approved: done does not cover it
                    out.printf("%s: %d change(s) await approval and are not among them: cox approvals list %s%n", cluster, proposals, cluster);
                }
                return 0;
            }
            stopIfItCannotGetThere(first, c, phase, seen && ReadCommands.reconciled(c) >= target);
            String now = seen ? progress(c, phase, ReadCommands.reconciled(c) >= target)
                    : phase + ", at version " + c.path("version").asLong() + ": version " + asked + " not reached yet";
            if (!now.equals(last)) {
                out.printf("%s: %s%n", cluster, now);
                out.flush();
                last = now;
            }
            if (polling.overdue()) {
                throw new CliException(NOT_DONE_IN_TIME, cluster + " is not done after " + timeout + " (" + now + "); `cox get " + cluster
                        + "` and `cox operation show " + cluster + "` say where it is; cox wait again to go on waiting");
            }
            polling.pause();
        }
    }

    /**
     * A cluster that will not become Ready by waiting: an operation that failed or was abandoned while this wait looked
     * (one that ended before, with the cluster then acted on and still failed, too), an executor refusal (Blocked in cox get)
     * in the way of the change ({@link RefusalsInTheWay}), a pause, a deletion. An operation that ended before the change is
     * history: a new one may well take the change, and another refusal from before it may be lifted by it.
     */
    private void stopIfItCannotGetThere(JsonNode first, JsonNode c, String phase, boolean actedOn) {
        JsonNode op = c.at("/status/operation");
        String opState = op.path("state").asText();
        JsonNode before = first.at("/status/operation");
        boolean endedSince = !op.path("operationId").asText().equals(before.path("operationId").asText())
                || "RUNNING".equals(before.path("state").asText());
        if ("FAILED".equals(opState) && (endedSince || actedOn)) {
            throw new CliException(CliException.REJECTED, cluster + "'s operation " + op.path("operationId").asText() + " is FAILED: "
                    + op.path("reason").asText("") + "; `cox operation show " + cluster + "` has its steps; `cox operation retry "
                    + cluster + " " + op.path("operationId").asText() + "` resumes it once the cause is fixed");
        }
        if ("ABANDONED".equals(opState) && endedSince) {
            throw new CliException(CliException.REJECTED, cluster + "'s operation " + op.path("operationId").asText()
                    + " was abandoned while this wait looked: " + op.path("reason").asText("") + "; see `cox operation show " + cluster + "`");
        }
        JsonNode refusals = RefusalsInTheWay.of(RefusalsInTheWay.Scope.EVERYTHING, first, c, actedOn);
        if (!refusals.isEmpty()) {
            throw new CliException(CliException.REJECTED, cluster + " will not get there by waiting: the executor refuses what it would take,"
                    + " and it stays so until what it names is done:\n" + String.join("\n", RefusalsInTheWay.lines(refusals))
                    + "\n(`cox get " + cluster + "` shows it; cox wait again once it is lifted)");
        }
        if ("Paused".equals(phase)) {
            throw new CliException(CliException.REJECTED, cluster + " is paused (" + c.at("/spec/pauseReason").asText("no reason given")
                    + "): nothing changes until `cox resume " + cluster + "`");
        }
        if ("Deleting".equals(phase) || "Deleted".equals(phase)) {
            throw new CliException(CliException.REJECTED, cluster + " is " + phase.toLowerCase() + "; it will not be Ready again");
        }
    }

    /** One line of where the cluster is: its phase, its operation and step, a deferral, or the executor not there yet. */
    private static String progress(JsonNode c, String phase, boolean actedOn) {
        StringBuilder s = new StringBuilder(phase);
        JsonNode op = c.at("/status/operation");
        if ("RUNNING".equals(op.path("state").asText())) {
            s.append(", ").append(op.path("operation").asText()).append(" running");
            if (op.hasNonNull("done") && op.hasNonNull("total")) {
                s.append(" (").append(OperationProgress.of(op)).append(')');
            }
        }
        if (MaintenanceWindowsCommand.waitsForWindow(c)) {
            s.append(", ").append(c.at("/status/deferred/operation").asText()).append(" waits for the maintenance window opening at ")
                    .append(c.at("/status/deferred/until").asText());
        }
        if (!actedOn) {
            s.append(", not yet acted on by the executor");
        }
        return s.toString();
    }
}
