package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.state.ClusterState;
import java.util.function.Supplier;

/**
 * One reconcile of one cluster: the state it works from and the command it acts for.
 *
 * @param cause  the command whose consequence this pass's actions are (the last intent known, else the state's last command)
 * @param latest the same cluster's pass on its newest state, with the intent last known by then, or null: a long pass (an
 *               operation waiting for a pod) looks again, so an operation abandoned meanwhile is not continued and what a
 *               command folded meanwhile brings about is recorded as that command's doing, not as the first one's
 */
public record ReconcilePass(ClusterState state, String cause, Supplier<ReconcilePass> latest) {

    /** A pass that never sees a newer state. */
    public ReconcilePass(ClusterState state, String cause) {
        this(state, cause, () -> null);
    }

    public String clusterId() {
        return state.getClusterId();
    }

    public long version() {
        return state.getVersion();
    }

    /** The pass on the newest state known (never an older one than this pass's), with its cause. */
    public ReconcilePass refreshed() {
        ReconcilePass now = latest.get();
        return now == null || now.version() <= version() ? this : now;
    }
}
