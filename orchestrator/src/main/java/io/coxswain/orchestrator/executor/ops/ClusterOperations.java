package io.coxswain.orchestrator.executor.ops;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import java.util.Optional;

/**
 * Where long operations plug into the reconcile loop (issue 5: rolling restart and upgrade,
 * scale-out with rebalancing, drain and shrink). Each pass, after the objects match the state,
 * {@link #drive} gets a turn to advance the cluster's operation by one small step.
 *
 * <p>An implementation is a resumable state machine: it reads where it is from
 * {@code pass.state().getStatus().getOperation()} (the log, not memory), re-checks the world,
 * records {@code OperationStepObserved} STARTED before acting and FINISHED/FAILED after, and
 * returns; the next pass (the state change its own observation causes, a pod event, or the
 * periodic resync) takes the next step. Because the StatefulSets use {@code OnDelete}, a pod
 * restarts only when an operation deletes it.
 *
 * <p>Both calls get the cluster CA's certificate as the executor's TLS step last ensured it (see
 * {@code ClusterTls#caCertificate}): the only trust Coxswain's own clients of the cluster use, so
 * an operation never reads the CA Secret itself, nor keeps a copy that could lag a new CA.
 */
public interface ClusterOperations {

    /**
     * Advances the cluster's operation, if any, by at most one step. Never blocks for long.
     *
     * @param caCertificate the CA the TLS step ensured earlier in this pass
     */
    void drive(ReconcilePass pass, ClusterNames names, Optional<String> caCertificate);

    /**
     * How many brokers may keep running when the state asks for fewer than {@code running}: the
     * plain reconciler never removes a broker by itself; a scale-in operation lowers this as it
     * drains brokers.
     *
     * @param caCertificate the CA of the TLS step's last check: asked before this pass's check (which
     *     needs the broker count), so empty on an executor's first pass over the cluster
     */
    int brokersAllowed(ReconcilePass pass, int running, Optional<String> caCertificate);

    /** No operations: objects follow the state, restarts and scale-in are left to an operator. */
    static ClusterOperations none() {
        return new ClusterOperations() {
            @Override
            public void drive(ReconcilePass pass, ClusterNames names, Optional<String> caCertificate) {
            }

            @Override
            public int brokersAllowed(ReconcilePass pass, int running, Optional<String> caCertificate) {
                return running;
            }
        };
    }
}
