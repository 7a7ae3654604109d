package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.MadeObjectsRecord;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether Coxswain made an object of a cluster before, so that a missing one is recorded as REPAIR (someone deleted it)
 * only when it was, and as CREATE otherwise: after an upgrade to a Coxswain that manages a new kind of object (the
 * NetworkPolicies), or any object a newer model adds, the first pass over an existing cluster creates it, and an auditor
 * must not read that someone deleted what nobody deleted.
 *
 * <p>The evidence is the cluster's {@link MadeObjectsRecord} ConfigMap, which every finished pass leaves listing the objects
 * it made or found. Why there: it lives beside the objects in Kubernetes, so it survives an executor restart and is read
 * by whichever executor owns the cluster after a rebalance, at no cost in a converged pass (the pass's lists, from the
 * watches, show it). The other evidence at hand falls short: what an executor saw live is lost at a restart and unknown to
 * the next owner; the state reports the cluster's workloads, not which objects the model that made them had (that was
 * the old rule, and what made every new object a repair); a per-object annotation or last seen resourceVersion goes with
 * the deleted object, and a watch misses deletions made while no executor ran; the command log holds every CREATE, but
 * answering from it means replaying the whole log. A record deleted by hand (or none yet: clusters last reconciled by a
 * Coxswain before the record) is evidence of nothing: what is missing then is created, and the record written again.
 */
final class MadeObjects {

    private record Built(Set<String> keys, Map<String, String> labels, ConfigMap record) {
    }

    private final KubeObjects kube;
    private final Map<String, Built> byCluster = new ConcurrentHashMap<>();

    MadeObjects(KubeObjects kube) {
        this.kube = kube;
    }

    /** The evidence for one pass, from the record as the pass's lists show it. */
    Evidence evidence(ClusterNames names, LiveObjects live) {
        ConfigMap record = MadeObjectsRecord.build(names, Set.of(), Map.of());
        return new Evidence(record, MadeObjectsRecord.keys(live.listed(record)));
    }

    /**
     * The record this pass leaves, {@link ObjectDiff#stamped stamped}: {@code keys} are every object the state asks for,
     * all made or found by now. Built again only when they or the cluster's labels change, as {@link DesiredObjects} does.
     */
    ConfigMap desired(ClusterNames names, Set<String> keys, Map<String, String> clusterLabels) {
        Built built = byCluster.get(names.clusterId());
        if (built == null || !built.keys().equals(keys) || !built.labels().equals(clusterLabels)) {
            built = new Built(Set.copyOf(keys), new TreeMap<>(clusterLabels),
                    ObjectDiff.stamped(MadeObjectsRecord.build(names, keys, clusterLabels)));
            byCluster.put(names.clusterId(), built);
        }
        return built.record();
    }

    void forget(String clusterId) {
        byCluster.remove(clusterId);
    }

    /** Whether an object of the cluster was made before; read fresh by name when the listed record does not say so. */
    final class Evidence {

        private final ConfigMap record;
        private final Set<String> listed;
        private Set<String> fresh;

        private Evidence(ConfigMap record, Set<String> listed) {
            this.record = record;
            this.listed = listed;
        }

        /**
         * Asked only of a missing object, which is rare, so the record is read from the API server (once a pass) before
         * answering no: the watch may not show yet what the previous pass wrote.
         */
        boolean made(HasMetadata object) {
            String key = ClusterReconciler.key(object);
            if (listed.contains(key)) {
                return true;
            }
            if (fresh == null) {
                fresh = MadeObjectsRecord.keys(kube.get(record));
            }
            return fresh.contains(key);
        }
    }
}
