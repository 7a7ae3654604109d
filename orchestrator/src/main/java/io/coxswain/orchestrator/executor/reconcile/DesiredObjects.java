package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.model.DesiredCluster;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each cluster's desired objects, built and stamped once per (spec, inputs). {@link DesiredCluster}
 * is pure, so reusing what it built for the same spec and inputs is the same as building it again;
 * a resync of a cluster whose state has not changed then rebuilds nothing. Building and stamping
 * (a JSON tree and a hash per object) was most of an idle pass's CPU.
 *
 * <p>The objects handed out are shared between passes and must not be changed: the reconciler
 * only reads them, and creates and patches from them.
 */
final class DesiredObjects {

    private record Built(ClusterSpec spec, DesiredCluster.Inputs inputs, DesiredCluster desired) {
    }

    private final ModelSettings settings;
    private final Map<String, Built> byCluster = new ConcurrentHashMap<>();

    DesiredObjects(ModelSettings settings) {
        this.settings = settings;
    }

    /** The cluster's desired objects, each {@link ObjectDiff#stamped stamped} with the hash of its owned content. */
    DesiredCluster of(ClusterState state, DesiredCluster.Inputs inputs) {
        Built built = byCluster.get(state.getClusterId());
        if (built == null || !built.spec().equals(state.getSpec()) || !built.inputs().equals(inputs)) {
            DesiredCluster desired = DesiredCluster.of(state, settings, inputs);
            desired.objects().forEach(ObjectDiff::stamped);
            // a copy: the state's spec belongs to the caller, and the key must not change under us
            built = new Built(ClusterSpec.newBuilder(state.getSpec()).build(), inputs, desired);
            byCluster.put(state.getClusterId(), built);
        }
        return built.desired();
    }

    void forget(String clusterId) {
        byCluster.remove(clusterId);
    }
}
