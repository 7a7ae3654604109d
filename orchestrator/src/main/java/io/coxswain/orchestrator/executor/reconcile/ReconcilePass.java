package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.state.ClusterState;
import java.util.function.Supplier;

/**
 * One reconcile of one cluster: the state it works from and the command it acts for.
 *
 * @param cause  the command whose consequence this pass's actions are (the last intent known, else the state's last command)
 * @param latest the cluster's newest state as the executor knows it while the pass runs: a long pass (an operation waiting
 *               for a pod) looks again, so an operation abandoned meanwhile is not continued
 */
public record ReconcilePass(ClusterState state, String cause, Supplier<ClusterState> latest) {

    public ReconcilePass(ClusterState state, String cause) {
        this(state, cause, () -> state);
    }

    public String clusterId() {
        return state.getClusterId();
    }

    public long version() {
        return state.getVersion();
    }

    /** The same pass on the newest state known (never an older one than this pass's). */
    public ReconcilePass refreshed() {
        ClusterState now = latest.get();
        return now == null || now.getVersion() <= state.getVersion() ? this : new ReconcilePass(now, cause, latest);
    }
}
