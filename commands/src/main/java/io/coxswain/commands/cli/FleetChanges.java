package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The changes a fleet run makes: {@code cox fleet upgrade} and {@code cox fleet restart}. */
final class FleetChanges {

    private FleetChanges() {
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
        public String doneState() {
            return "Ready, " + component + " restarted";
        }

        @Override
        public String options() {
            return "--component " + component + " --reason '" + reason.replace("'", "'\\''") + "'";
        }
    }
}
