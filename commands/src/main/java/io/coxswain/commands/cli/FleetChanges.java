package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The changes a fleet run makes: {@code cox fleet upgrade}, {@code cox fleet restart} and {@code cox fleet config}. */
final class FleetChanges {

    private FleetChanges() {
    }

    /** {@code s} in single quotes for a shell, as the resume hint is pasted into one. */
    private static String quoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** A fleet change must not pile onto a cluster that already needs someone. */
    private static FleetPlan.Consider notReady(String change, String clusterId, String phase) {
        return FleetPlan.Consider.skip("phase " + phase + ", not Ready: a fleet " + change + " starts only on Ready clusters; see `cox get "
                + clusterId + "`, and " + change + " it on its own once it is fixed");
    }

    /**
     * UpgradeKafka to one release. A cluster whose spec already asks for it but is not Ready yet (a run
     * stopped while it rolled) is waited for, not asked again; one Ready on it is done.
     */
    record Upgrade(String kafkaVersion) implements FleetChange {

        @Override
        public String name() {
            return "upgrade";
        }

        @Override
        public String goal() {
            return "to " + kafkaVersion;
        }

        @Override
        public FleetPlan.Consider consider(JsonNode summary, String commandId) {
            String id = summary.path("clusterId").asText();
            String phase = summary.path("phase").asText();
            boolean ready = "Ready".equals(phase);
            if (summary.path("kafkaVersion").asText().equals(kafkaVersion)) {
                return ready ? FleetPlan.Consider.skip("already on " + kafkaVersion) : FleetPlan.Consider.await();
            }
            return ready ? FleetPlan.Consider.ask() : notReady(name(), id, phase);
        }

        @Override
        public String commandType() {
            return "UpgradeKafka";
        }

        @Override
        public boolean expectsVersion() {
            return true; // the release it upgrades from, and whether that is a downgrade, are what the run read
        }

        @Override
        public ObjectNode payload() {
            return GatewayClient.JSON.createObjectNode().put("kafkaVersion", kafkaVersion);
        }

        @Override
        public String accepted(FleetPlan.Target target, boolean dryRun) {
            return (dryRun ? "would upgrade " : "upgrading ") + target.fromVersion() + " -> " + kafkaVersion;
        }

        @Override
        public String alreadyAsked() {
            return "already asked for " + kafkaVersion;
        }

        @Override
        public String awaited(String commandId) {
            return null; // asked by this run or by hand: whichever operation rolls it to the release
        }

        @Override
        public boolean done(JsonNode cluster, String commandId, String operationState) {
            JsonNode status = cluster.path("status");
            return onTarget(status) && "Ready".equals(status.path("phase").asText()) && (commandId == null || "SUCCEEDED".equals(operationState));
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

        @Override
        public RefusalsInTheWay.Scope refusals() {
            return RefusalsInTheWay.Scope.OPERATION; // an executor that runs none leaves it Ready on the old release forever
        }

        @Override
        public String doneState() {
            return "Ready on " + kafkaVersion;
        }

        @Override
        public String options() {
            return "--kafka-version " + kafkaVersion;
        }
    }

    /**
     * RestartCluster of a component, pod by pod through the same safety checks as an upgrade: a JVM or
     * base image patched under the same tag, a certificate store reloaded. Each cluster is restarted
     * once per run: one whose operation this run caused is waited for (still rolling) or done (SUCCEEDED).
     *
     * @param reason kept in the log with each cluster's command
     */
    record Restart(String component, String reason) implements FleetChange {

        @Override
        public String name() {
            return "restart";
        }

        @Override
        public String goal() {
            return "of " + component;
        }

        @Override
        public FleetPlan.Consider consider(JsonNode summary, String commandId) {
            String id = summary.path("clusterId").asText();
            String phase = summary.path("phase").asText();
            JsonNode op = summary.path("operation");
            if (FleetPlan.isAttemptOf(op.path("causeCommandId").asText(), commandId)) {
                return "SUCCEEDED".equals(op.path("state").asText()) && "Ready".equals(phase)
                        ? FleetPlan.Consider.skip("already restarted by this run") : FleetPlan.Consider.await();
            }
            return "Ready".equals(phase) ? FleetPlan.Consider.ask() : notReady(name(), id, phase);
        }

        @Override
        public String commandType() {
            return "RestartCluster";
        }

        @Override
        public boolean expectsVersion() {
            // nothing of the restart depends on the state read but Ready, which the run read just before, and a
            // restart is refused anyway while an operation runs
            return false;
        }

        @Override
        public ObjectNode payload() {
            return GatewayClient.JSON.createObjectNode().put("component", component).put("reason", reason);
        }

        @Override
        public String accepted(FleetPlan.Target target, boolean dryRun) {
            return (dryRun ? "would restart " : "restarting ") + component;
        }

        @Override
        public String alreadyAsked() {
            return "already restarting for this run";
        }

        @Override
        public String awaited(String commandId) {
            return commandId;
        }

        @Override
        public boolean done(JsonNode cluster, String commandId, String operationState) {
            return "Ready".equals(cluster.path("status").path("phase").asText()) && "SUCCEEDED".equals(operationState);
        }

        @Override
        public RefusalsInTheWay.Scope refusals() {
            return RefusalsInTheWay.Scope.OPERATION; // the restart is an operation, as an upgrade is
        }

        @Override
        public String doneState() {
            return "Ready, " + component + " restarted";
        }

        @Override
        public String options() {
            return "--component " + component + " --reason " + quoted(reason);
        }
    }

    /**
     * UpdateBrokerConfig: the same keys set (and removed) on every cluster. Keys Kafka takes live are applied without a
     * restart, the others by a roll, as for one cluster. A cluster is done when it is Ready, its executor has acted on
     * every change asked of it ({@code status.reconciledIntentVersion}, which an applied live key leaves no other trace
     * of) and no roll waits for a maintenance window; one that already has the settings (NO_CHANGE) is waited for the
     * same way.
     *
     * @param set    keys and values, in key order
     * @param remove keys set back to Kafka's defaults
     */
    record Config(Map<String, String> set, List<String> remove) implements FleetChange {

        Config {
            set = new TreeMap<>(set);
            remove = List.copyOf(remove);
        }

        @Override
        public String name() {
            return "config";
        }

        @Override
        public String goal() {
            return String.join(", ", changes());
        }

        private List<String> changes() {
            List<String> all = new java.util.ArrayList<>();
            set.forEach((k, v) -> all.add(k + "=" + v));
            remove.forEach(k -> all.add(k + " removed"));
            return all;
        }

        @Override
        public FleetPlan.Consider consider(JsonNode summary, String commandId) {
            String id = summary.path("clusterId").asText();
            String phase = summary.path("phase").asText();
            if (FleetPlan.isAttemptOf(summary.path("operation").path("causeCommandId").asText(), commandId)) {
                return FleetPlan.Consider.await(); // this run's roll, still going or done: awaitDone tells which
            }
            return "Ready".equals(phase) ? FleetPlan.Consider.ask() : notReady(name(), id, phase);
        }

        @Override
        public String commandType() {
            return "UpdateBrokerConfig";
        }

        @Override
        public boolean expectsVersion() {
            return false; // the same keys whatever the cluster had; the fold says NO_CHANGE when it has them already
        }

        @Override
        public ObjectNode payload() {
            ObjectNode p = GatewayClient.JSON.createObjectNode();
            ObjectNode keys = p.putObject("set");
            set.forEach(keys::put);
            remove.forEach(p.putArray("remove")::add);
            return p;
        }

        @Override
        public String accepted(FleetPlan.Target target, boolean dryRun) {
            return (dryRun ? "would change " : "changing ") + goal();
        }

        @Override
        public String alreadyAsked() {
            return "already changed by this run";
        }

        @Override
        public String awaited(String commandId) {
            return commandId;
        }

        @Override
        public boolean alreadySo(String code) {
            return "NO_CHANGE".equals(code);
        }

        @Override
        public boolean done(JsonNode cluster, String commandId, String operationState) {
            return ReadCommands.settled(cluster, cluster.path("intentVersion").asLong());
        }

        @Override
        public RefusalsInTheWay.Scope refusals() {
            return RefusalsInTheWay.Scope.EVERYTHING; // done is settled: nothing refused
        }

        @Override
        public String doneState() {
            return "Ready, configuration applied";
        }

        @Override
        public String options() {
            StringBuilder o = new StringBuilder();
            set.forEach((k, v) -> o.append(o.isEmpty() ? "" : " ").append("--set ").append(quoted(k + "=" + v)));
            remove.forEach(k -> o.append(o.isEmpty() ? "" : " ").append("--remove ").append(k));
            return o.toString();
        }
    }
}
