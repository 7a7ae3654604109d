package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;

import io.coxswain.avro.command.SetClusterLabels;
import io.coxswain.avro.state.ClusterState;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * DECIDE and FOLD for a cluster's labels ({@code spec.labels}): metadata a fleet is selected by (who owns
 * the cluster, which environment), which the executor also puts on the cluster's Kubernetes objects without
 * restarting anything (ObjectLabels). Nothing on Kafka changes, so a change waits for no operation; the log
 * keeps who labelled a cluster what, and when.
 */
final class LabelControl {

    private LabelControl() {
    }

    static boolean handles(Object p) {
        return p instanceof SetClusterLabels;
    }

    /** DECIDE; the keys and values already have the form (shape). */
    static Optional<Rejection> check(ClusterState state, Object p) {
        Map<String, String> labels = state.getSpec().getLabels();
        if (labels.equals(((SetClusterLabels) p).getLabels())) {
            return Optional.of(new Rejection(NO_CHANGE, "cluster '" + state.getClusterId() + "' already has "
                    + (labels.isEmpty() ? "no labels" : "the labels " + describe(labels))));
        }
        return Optional.empty();
    }

    /** FOLD: the labels, replaced as a whole (sorted, so the same labels in another order are the same state). */
    static void apply(ClusterState next, Object p) {
        next.getSpec().setLabels(new TreeMap<>(((SetClusterLabels) p).getLabels()));
    }

    /** "env=prod, team=payments". */
    static String describe(Map<String, String> labels) {
        return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
