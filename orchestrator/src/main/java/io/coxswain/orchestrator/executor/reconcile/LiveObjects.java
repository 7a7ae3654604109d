package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pass knows of a cluster's objects before it acts: one list per kind Coxswain makes in the
 * cluster's namespace (by the cluster's labels), taken from the executor's watches when they run
 * ({@link WatchedObjects}), else from the API server. The pruning of leftovers needs these lists;
 * they also spare the read of each ConfigMap, Service and disruption budget that already matches.
 * An object the lists do not show (made since, or its labels edited away by hand) or show
 * different is read by name before anything is decided (see {@link ObjectApplier#apply}).
 * StatefulSets are always read fresh: the components observed at the end of the pass come from
 * them, and a hand edit made since the list must be repaired in this pass, before it could be
 * observed as the cluster's size.
 */
final class LiveObjects {

    private final Map<String, HasMetadata> byKey = new LinkedHashMap<>();

    private LiveObjects() {
    }

    static LiveObjects read(KubeObjects kube, ClusterNames names, ModelSettings settings) {
        LiveObjects live = new LiveObjects();
        for (Class<? extends HasMetadata> kind : KubeObjects.namespacedKinds(settings)) {
            for (HasMetadata object : kube.listWatched(kind, names.namespace(), names.clusterSelector())) {
                live.byKey.put(ClusterReconciler.key(object), object);
            }
        }
        return live;
    }

    /** The listed object with the desired one's kind and name; null when it must be read fresh. */
    @SuppressWarnings("unchecked")
    <T extends HasMetadata> T listed(T desired) {
        HasMetadata listed = byKey.get(ClusterReconciler.key(desired));
        boolean usable = listed != null && listed.getClass() == desired.getClass() && !(listed instanceof StatefulSet);
        return usable ? (T) listed : null;
    }

    /**
     * The listed StatefulSet's replicas, 0 when none is listed. The watch's view is good enough for
     * its one use (whose node certificates may leave): a count it shows too high keeps certificates a
     * little longer, and one too low was raised since by this executor, in a pass that wanted those pods.
     */
    int replicas(String statefulSet) {
        HasMetadata listed = byKey.get("StatefulSet/" + statefulSet);
        Integer replicas = listed instanceof StatefulSet s && s.getSpec() != null ? s.getSpec().getReplicas() : null;
        return replicas == null ? 0 : replicas;
    }

    /** Every listed object, for pruning what the state no longer asks for. */
    Collection<HasMetadata> listed() {
        return List.copyOf(byKey.values());
    }
}
