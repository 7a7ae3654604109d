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
 * Which clusters a fleet upgrade takes, in which waves, and which it leaves out and why. Pure: made
 * from the cluster summaries of {@code GET /v1/clusters}, so {@code --dry-run} shows exactly the plan
 * a run would follow.
 *
 * <p>Only Ready clusters are started: a fleet change must not pile onto a cluster that already needs
 * someone. A cluster whose spec already asks for the target but is not Ready yet (a run stopped
 * while it rolled) is waited for, not asked again; one that is Ready on the target is done.
 */
record FleetPlan(String targetVersion, List<List<Target>> waves, List<Skipped> skipped) {

    /**
     * @param version the cluster's state version when planned: the command expects it, so a change made
     *     to the cluster since is a recorded conflict, never an upgrade on top of something unseen
     * @param send false for a cluster already asked for the target: only waited for
     */
    record Target(String clusterId, long version, String fromVersion, boolean send) {
    }

    record Skipped(String clusterId, String reason) {
    }

    /**
     * @param summaries the array {@code GET /v1/clusters} answers
     * @param selectors cluster ids, prefixes ending in {@code *}, or {@code *} ({@link ClusterPatterns}); null for every cluster
     * @param labels the requirements a cluster's labels must meet as well ({@link ClusterLabels}); empty for any labels
     * @param canaries clusters in the first wave, alone, before any other is touched
     * @param waveSize clusters in each later wave
     */
    static FleetPlan of(JsonNode summaries, List<String> selectors, List<ClusterLabels.Requirement> labels, String targetVersion,
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
            String phase = c.path("phase").asText();
            String version = c.path("kafkaVersion").asText();
            boolean ready = "Ready".equals(phase);
            if (version.equals(targetVersion)) {
                if (ready) {
                    skipped.add(new Skipped(id, "already on " + targetVersion));
                } else {
                    targets.add(new Target(id, c.path("version").asLong(), version, false));
                }
            } else if (!ready) {
                skipped.add(new Skipped(id, "phase " + phase + ", not Ready: a fleet upgrade starts only on Ready clusters;"
                        + " see `cox get " + id + "`, and upgrade it on its own once it is fixed"));
            } else {
                targets.add(new Target(id, c.path("version").asLong(), version, true));
            }
        }
        List<List<Target>> waves = new ArrayList<>();
        int i = 0;
        while (i < targets.size()) {
            int size = waves.isEmpty() ? canaries : waveSize;
            waves.add(List.copyOf(targets.subList(i, Math.min(targets.size(), i + size))));
            i += size;
        }
        return new FleetPlan(targetVersion, List.copyOf(waves), List.copyOf(skipped));
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
