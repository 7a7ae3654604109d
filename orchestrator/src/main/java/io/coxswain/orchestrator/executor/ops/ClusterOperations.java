package io.coxswain.orchestrator.executor.ops;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;

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
 */
public interface ClusterOperations {

    /** Advances the cluster's operation, if any, by at most one step. Never blocks for long. */
    void drive(ReconcilePass pass, ClusterNames names);

    /**
     * How many brokers may keep running when the state asks for fewer than {@code running}: the
     * plain reconciler never removes a broker by itself; a scale-in operation lowers this as it
     * drains brokers.
     */
    int brokersAllowed(ReconcilePass pass, int running);

    /** No operations: objects follow the state, restarts and scale-in are left to an operator. */
    static ClusterOperations none() {
        return new ClusterOperations() {
            @Override
            public void drive(ReconcilePass pass, ClusterNames names) {
            }

            @Override
            public int brokersAllowed(ReconcilePass pass, int running) {
                return running;
            }
        };
    }
}
