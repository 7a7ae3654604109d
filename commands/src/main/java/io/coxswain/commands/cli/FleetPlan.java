package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.commands.shape.ClusterLabels;
import io.coxswain.commands.shape.ClusterPatterns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which clusters a fleet run takes, in which waves, and which it leaves out and why. Pure: made
 * from the cluster summaries of {@code GET /v1/clusters}, so {@code --dry-run} shows exactly the plan
 * a run would follow.
 *
 * <p>Only Ready clusters are started: a fleet change must not pile onto a cluster that already needs
 * someone. Which clusters the change only waits for (a run stopped while they changed) and which it
 * has already done is the change's to say ({@link FleetChange#consider}).
 */
record FleetPlan(List<List<Target>> waves, List<Skipped> skipped) {

    /**
     * @param version the cluster's state version when planned: the command asks that nobody changed the
     *     cluster since, so a change made meanwhile is a recorded conflict, never one on top of something unseen
     * @param fromVersion the Kafka release the cluster's spec asks for
     * @param send false for a cluster already asked: only waited for
     */
    record Target(String clusterId, long version, String fromVersion, boolean send) {
    }

    record Skipped(String clusterId, String reason) {
    }

    /** What a change makes of one selected cluster: ask it (send the command), only wait for it, or leave it out (and why). */
    record Consider(boolean take, boolean send, String skipReason) {
        static Consider ask() {
            return new Consider(true, true, null);
        }

        static Consider await() {
            return new Consider(true, false, null);
        }

        static Consider skip(String reason) {
            return new Consider(false, false, reason);
        }
    }

    /** The id of the command a run sends a cluster: the log shows which run changed it, and a resumed run sends the same. */
    static String commandId(String run, String clusterId) {
        return "fleet-" + run + "-" + clusterId;
    }

    /**
     * The id of a later attempt at the same command ({@code fleet-<run>-<cluster>.2}): a command id is decided
     * once, so the same id sent again after a VERSION_CONFLICT would only be answered with that conflict again.
     */
    static String attemptId(String commandId, int attempt) {
        return attempt == 1 ? commandId : commandId + "." + attempt;
    }

    /** Whether {@code causeCommandId} is the run's command to the cluster, at any attempt. */
    static boolean isAttemptOf(String causeCommandId, String commandId) {
        return causeCommandId.equals(commandId) || causeCommandId.startsWith(commandId + ".");
    }

    /** The cluster as a target, from its summary and the change's verdict on it, which takes it. */
    static Target target(JsonNode summary, Consider verdict) {
        return new Target(summary.path("clusterId").asText(), summary.path("version").asLong(), summary.path("kafkaVersion").asText(),
                verdict.send());
    }

    /**
     * @param summaries the array {@code GET /v1/clusters} answers
     * @param selectors cluster ids, prefixes ending in {@code *}, or {@code *} ({@link ClusterPatterns}); null for every cluster
     * @param labels the requirements a cluster's labels must meet as well ({@link ClusterLabels}); empty for any labels
     * @param run the run's id, in each cluster's command id
     * @param canaries clusters in the first wave, alone, before any other is touched
     * @param waveSize clusters in each later wave
     */
    static FleetPlan of(JsonNode summaries, List<String> selectors, List<ClusterLabels.Requirement> labels, FleetChange change, String run,
                        int canaries, int waveSize) {
        List<String> patterns = selectors == null ? List.of("*") : selectors.stream().map(String::strip).toList();
        List<Target> targets = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<JsonNode> sorted = new ArrayList<>();
        summaries.forEach(sorted::add);
        sorted.sort(Comparator.comparing(c -> c.path("clusterId").asText()));
        for (JsonNode c : sorted) {
            String id = c.path("clusterId").asText();
            if (!ClusterPatterns.matchAny(patterns, id) || !ClusterLabels.matches(labels, labelsOf(c))) {
                continue;
            }
            Consider verdict = change.consider(c, commandId(run, id));
            if (verdict.take()) {
                targets.add(target(c, verdict));
            } else {
                skipped.add(new Skipped(id, verdict.skipReason()));
            }
        }
        List<List<Target>> waves = new ArrayList<>();
        int i = 0;
        while (i < targets.size()) {
            int size = waves.isEmpty() ? canaries : waveSize;
            waves.add(List.copyOf(targets.subList(i, Math.min(targets.size(), i + size))));
            i += size;
        }
        return new FleetPlan(List.copyOf(waves), List.copyOf(skipped));
    }

    private static Map<String, String> labelsOf(JsonNode summary) {
        Map<String, String> labels = new HashMap<>();
        summary.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    int clusters() {
        return waves.stream().mapToInt(List::size).sum();
    }
}
