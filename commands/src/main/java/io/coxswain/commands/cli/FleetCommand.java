package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.commands.shape.ClusterLabels;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cox fleet}: one change across many clusters, in waves. */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Change many clusters in waves, a canary first.",
        subcommands = FleetCommand.Upgrade.class)
final class FleetCommand {

    @ParentCommand Cox cox;

    /**
     * Upgrades the selected Ready clusters: the canaries alone, then wave after wave, each wave started
     * only when every cluster of the one before is Ready on the target. Each cluster gets an ordinary
     * {@code UpgradeKafka} with the command id {@code fleet-<run>-<cluster>}, so the log shows which
     * run changed it, and running the same {@code --run-id} again after a stop is safe: a command
     * already sent returns its first outcome, a cluster done is skipped, one still rolling is waited for.
     */
    @Command(name = "upgrade", mixinStandardHelpOptions = true,
            description = "Upgrade the selected Ready clusters to a Kafka release: the canaries first, then waves; stop at the first failure.")
    static final class Upgrade implements Callable<Integer> {
        /** How often a waiting run reads the wave's clusters. */
        static final Duration POLL = Duration.ofSeconds(2);

        @ParentCommand FleetCommand fleet;
        @Option(names = "--kafka-version", required = true, description = "Target Kafka release.") String kafkaVersion;
        @Option(names = "--clusters", split = ",", paramLabel = "PATTERN",
                description = "Cluster ids, prefixes ending in * (quote them), or * for every cluster you may read; comma-separated.")
        List<String> selectors;
        @Option(names = "--selector", paramLabel = "SELECTOR", description = "Clusters whose labels match, kubectl's way:"
                + " team=payments,env!=dev,tier,!ephemeral. With --clusters, a cluster must match both; one of them is required.")
        String labelSelector;
        @Option(names = "--canaries", defaultValue = "1", description = "Clusters of the first wave, upgraded alone (default: ${DEFAULT-VALUE}).")
        int canaries;
        @Option(names = "--wave-size", defaultValue = "3", description = "Clusters upgraded at once in each later wave (default: ${DEFAULT-VALUE}).")
        int waveSize;
        @Option(names = "--run-id", description = "Names the run in each command id (default: random, printed); give it again to resume a stopped run.")
        String runId;
        @Option(names = "--timeout", defaultValue = "30m", description = "How long one cluster may take to be Ready on the target (default: ${DEFAULT-VALUE}).")
        String timeout;
        @Option(names = "--dry-run", description = "Write nothing: print the waves and each cluster's decision as the fold would take it now.")
        boolean dryRun;

        @Override
        public Integer call() throws InterruptedException {
            if (canaries < 1 || waveSize < 1) {
                throw new CliException(CliException.BAD_INPUT, "--canaries and --wave-size must be at least 1");
            }
            if (selectors == null && labelSelector == null) {
                throw new CliException(CliException.BAD_INPUT, "choose the clusters with --clusters, --selector or both");
            }
            List<ClusterLabels.Requirement> labels = LabelCommand.selector("--selector", labelSelector);
            Duration perCluster = Times.duration("--timeout", timeout);
            String run = runId != null ? runId : UUID.randomUUID().toString().substring(0, 8);
            Cox cox = fleet.cox;
            PrintWriter out = cox.out();
            FleetPlan plan = FleetPlan.of(ReadCommands.ok(cox.client().get("/v1/clusters")), selectors, labels, kafkaVersion, canaries, waveSize);
            if (plan.clusters() == 0 && plan.skipped().isEmpty()) { // a mistyped selector must not read as a fleet already done
                throw new CliException(CliException.NOT_FOUND, "no cluster you may read matches " + selection("")
                        + "; `cox get` lists them (a prefix ends in *, quoted; `cox get -l SELECTOR` those a selector matches)");
            }
            out.printf("fleet upgrade %s to %s: %d cluster(s) in %d wave(s)%s%n", run, kafkaVersion, plan.clusters(), plan.waves().size(),
                    dryRun ? " (dry run: nothing written)" : "");
            plan.skipped().forEach(s -> out.printf("  skipped %s: %s%n", s.clusterId(), s.reason()));
            int rejected = 0;
            for (int w = 0; w < plan.waves().size(); w++) {
                List<FleetPlan.Target> wave = plan.waves().get(w);
                out.printf("wave %d/%d%s: %s%n", w + 1, plan.waves().size(), w == 0 ? " (canary)" : "",
                        String.join(", ", wave.stream().map(FleetPlan.Target::clusterId).toList()));
                out.flush();
                Map<String, String> sent = new LinkedHashMap<>();
                List<String> failures = new ArrayList<>();
                for (FleetPlan.Target t : wave) {
                    String commandId = "fleet-" + run + "-" + t.clusterId();
                    if (!t.send()) {
                        out.printf("  %s: already asked for %s; waiting for it%n", t.clusterId(), kafkaVersion);
                        sent.put(t.clusterId(), null);
                        continue;
                    }
                    String problem = send(cox, t, commandId, out);
                    if (problem == null) {
                        sent.put(t.clusterId(), commandId);
                    } else {
                        failures.add(problem);
                    }
                }
                if (dryRun) {
                    rejected += failures.size();
                    continue;
                }
                for (Map.Entry<String, String> s : sent.entrySet()) {
                    String problem = awaitUpgraded(cox, s.getKey(), s.getValue(), perCluster, out);
                    if (problem != null) {
                        failures.add(problem);
                    }
                }
                if (!failures.isEmpty()) {
                    int remaining = plan.waves().subList(w + 1, plan.waves().size()).stream().mapToInt(List::size).sum();
                    throw new CliException(CliException.REJECTED, "fleet upgrade " + run + " stopped in wave " + (w + 1) + ": "
                            + String.join("; ", failures) + ". " + remaining + " cluster(s) of later waves were not touched. Once fixed, resume with: "
                            + "cox fleet upgrade --kafka-version " + kafkaVersion + " " + selection("'") + " --run-id " + run);
                }
            }
            if (dryRun && rejected > 0) {
                throw new CliException(CliException.REJECTED, rejected + " cluster(s) would be rejected (above); nothing was written");
            }
            out.printf("fleet upgrade %s: %s%n", run, dryRun ? "the plan above would be followed" : plan.clusters() + " cluster(s) Ready on " + kafkaVersion);
            return 0;
        }

        /** The options that chose the clusters, their values between {@code quote}s (to be typed again in a shell). */
        private String selection(String quote) {
            return ((selectors == null ? "" : "--clusters " + quote + String.join(",", selectors) + quote + " ")
                    + (labelSelector == null ? "" : "--selector " + quote + labelSelector + quote)).strip();
        }

        /** Sends (or, in a dry run, asks about) the cluster's UpgradeKafka; returns null when accepted, else why not. */
        private String send(Cox cox, FleetPlan.Target t, String commandId, PrintWriter out) {
            ObjectNode body = Submit.body(commandId, t.clusterId(), t.version(), "UpgradeKafka",
                    GatewayClient.JSON.createObjectNode().put("kafkaVersion", kafkaVersion));
            GatewayClient.Response r = cox.client().post(dryRun ? "/v1/commands?dryRun=true" : "/v1/commands?wait=true", body);
            JsonNode j = r.json();
            if (r.status() == 200) {
                out.printf("  %s: %s %s -> %s%s%n", t.clusterId(), dryRun ? "would upgrade" : "upgrading", t.fromVersion(), kafkaVersion,
                        dryRun ? "" : " (command " + commandId + ", version " + j.path("version").asLong() + ")");
                return null;
            }
            String why = j != null && "rejected".equals(j.path("status").asText())
                    ? "rejected (" + j.path("code").asText() + "): " + j.path("reason").asText()
                    : "not sent (HTTP " + r.status() + "): " + r.error();
            out.printf("  %s: %s%n", t.clusterId(), why);
            return t.clusterId() + " " + why;
        }

        /**
         * Waits until the cluster is Ready with every Kafka node on the target; returns null then, else
         * why not: its upgrade operation failed or was abandoned, waits for a maintenance window, or the time ran out.
         */
        private String awaitUpgraded(Cox cox, String clusterId, String commandId, Duration limit, PrintWriter out) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            String last = "";
            while (true) {
                JsonNode c = ReadCommands.cluster(cox, clusterId, "");
                JsonNode status = c.path("status");
                JsonNode op = status.path("operation");
                String phase = status.path("phase").asText();
                boolean ours = commandId == null || commandId.equals(op.path("causeCommandId").asText());
                String opState = ours ? op.path("state").asText() : "";
                if (onTarget(status) && "Ready".equals(phase) && (commandId == null || "SUCCEEDED".equals(opState))) {
                    out.printf("  %s: Ready on %s%n", clusterId, kafkaVersion);
                    out.flush();
                    return null;
                }
                if ("FAILED".equals(opState) || "ABANDONED".equals(opState)) {
                    return clusterId + "'s upgrade is " + opState + " (" + op.path("operationId").asText() + "; see `cox operation show " + clusterId + "`)";
                }
                JsonNode deferred = status.path("deferred");
                if (commandId != null && commandId.equals(deferred.path("causeCommandId").asText()) && MaintenanceWindowsCommand.waitsForWindow(c)) {
                    // a run that waited for a window days away would hold every later wave hostage: stop, and resume after it
                    return clusterId + "'s upgrade waits for its maintenance window, opening at " + deferred.path("until").asText()
                            + " (windows " + c.path("spec").path("maintenanceWindows") + "); run this fleet upgrade again with the same"
                            + " --run-id once it has opened, or change the cluster's windows (SetMaintenanceWindows) to let it go now";
                }
                String now = phase + (ours && !opState.isEmpty() ? ", " + op.path("operation").asText() + " " + opState : "");
                if (!now.equals(last)) {
                    out.printf("  %s: %s%n", clusterId, now);
                    out.flush();
                    last = now;
                }
                if (System.nanoTime() > deadline) {
                    return clusterId + " is not Ready on " + kafkaVersion + " after " + timeout + " (" + now + ")";
                }
                Thread.sleep(POLL.toMillis()); // polling the gateway, as a person would re-run cox get
            }
        }

        /** Every controller and broker observed on the target release, and only on it. */
        private boolean onTarget(JsonNode status) {
            for (String role : List.of("controllers", "brokers")) {
                JsonNode versions = status.path("components").path(role).path("versions");
                if (versions.size() != 1 || !kafkaVersion.equals(versions.get(0).asText())) {
                    return false;
                }
            }
            return true;
        }
    }
}
