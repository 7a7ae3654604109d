package io.coxswain.gateway.metrics;

import io.coxswain.avro.state.ClusterState;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per-group series of consumer group offset resets, for the alerts a platform team keeps on them: a reset someone
 * asked for and was refused (the person who sent it, often a pipeline, may not be watching its outcome), and one that
 * waits with no executor acting on it. Both come from the read model: the pending request in spec.offsetResets and the
 * latest outcome per group in status.offsetResets. A deleted cluster's resets end REFUSED by its deletion: nothing there
 * for anyone to act on, so no series.
 */
final class OffsetResetSeries {

    private OffsetResetSeries() {
    }

    static void register(Metrics registry, Supplier<Collection<ClusterState>> clusters) {
        registry.gauges("coxswain_offset_reset_requested_timestamp_seconds", "When each pending consumer group offset reset was"
                + " asked for, with whether the executor has logged its plan yet.", () -> pending(clusters.get()), "cluster", "group", "planned");
        registry.gauges("coxswain_offset_reset_settled_timestamp_seconds", "When the latest offset reset of each consumer group was"
                + " settled, with its outcome (DONE, REFUSED or CANCELLED).", () -> settled(clusters.get()), "cluster", "group", "state");
    }

    private static Map<List<String>, Double> pending(Collection<ClusterState> states) {
        Map<List<String>, Double> out = new HashMap<>();
        for (ClusterState s : ClusterSeries.notGoing(states)) {
            s.getSpec().getOffsetResets().forEach((group, request) -> out.put(
                    List.of(s.getClusterId(), group, String.valueOf(request.getPlannedAt() != null)), ClusterSeries.seconds(request.getRequestedAt())));
        }
        return out;
    }

    private static Map<List<String>, Double> settled(Collection<ClusterState> states) {
        Map<List<String>, Double> out = new HashMap<>();
        for (ClusterState s : ClusterSeries.notGoing(states)) {
            s.getStatus().getOffsetResets().forEach((group, outcome) -> out.put(
                    List.of(s.getClusterId(), group, outcome.getState()), ClusterSeries.seconds(outcome.getAt())));
        }
        return out;
    }
}
