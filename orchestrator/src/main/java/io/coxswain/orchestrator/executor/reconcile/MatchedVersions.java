package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which version of each live object was last found to match which desired content. The API server
 * gives an object a new resourceVersion at every change, so a live object still at the version
 * that matched the same desired hash still matches: the comparison (two JSON trees per object) is
 * skipped. Any edit, by Coxswain or anyone else, changes the version, and the object is compared
 * again. Only what a comparison showed is remembered, never what a write was expected to give.
 */
final class MatchedVersions {

    private record Match(String desiredHash, String uid, String resourceVersion) {
    }

    private final Map<String, Map<String, Match>> byCluster = new ConcurrentHashMap<>();

    /** Whether {@code live} is the very version that last matched this desired content. */
    boolean stillMatches(String clusterId, HasMetadata stamped, HasMetadata live) {
        Match m = byCluster.getOrDefault(clusterId, Map.of()).get(ClusterReconciler.key(stamped));
        return m != null && live != null && m.equals(matchOf(stamped, live));
    }

    /** Remembers that {@code live} was compared with {@code stamped} and matched. */
    void matched(String clusterId, HasMetadata stamped, HasMetadata live) {
        Match m = matchOf(stamped, live);
        if (m.resourceVersion() != null) {
            byCluster.computeIfAbsent(clusterId, k -> new ConcurrentHashMap<>()).put(ClusterReconciler.key(stamped), m);
        }
    }

    void forget(String clusterId) {
        byCluster.remove(clusterId);
    }

    private static Match matchOf(HasMetadata stamped, HasMetadata live) {
        String hash = Objects.requireNonNullElse(stamped.getMetadata().getAnnotations(), Map.<String, String>of())
                .get(ClusterNames.DESIRED_HASH_ANNOTATION);
        return new Match(hash, live.getMetadata().getUid(), live.getMetadata().getResourceVersion());
    }
}
