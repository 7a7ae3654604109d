package io.coxswain.orchestrator.executor.ops;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.executor.tls.ClusterAccess;
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
 * <p>Both calls get the cluster's access as the executor's TLS step last ensured it (see
 * {@code ClusterTls#access}): the CA certificate, the only trust Coxswain's own clients of the cluster
 * use, and Coxswain's client certificate, the identity they present; so an operation never reads the
 * TLS Secrets itself, nor keeps a copy that could lag a new CA.
 */
public interface ClusterOperations {

    /**
     * Advances the cluster's operation, if any, by at most one step. Never blocks for long.
     *
     * @param access what the TLS step ensured earlier in this pass
     * @return true when the pass's state was acted on as far as the managed cluster goes: an operation it calls for
     *     started (or held for a maintenance window) or continued, or else topics, users and live keys aligned;
     *     false when the cluster could not be reached or does not run yet
     */
    boolean drive(ReconcilePass pass, ClusterNames names, Optional<ClusterAccess> access);

    /**
     * How many brokers may keep running when the state asks for fewer than {@code running}: the
     * plain reconciler never removes a broker by itself; a scale-in operation lowers this as it
     * drains brokers.
     *
     * @param access what the TLS step's last check ensured: asked before this pass's check (which
     *     needs the broker count), so empty on an executor's first pass over the cluster
     */
    int brokersAllowed(ReconcilePass pass, int running, Optional<ClusterAccess> access);

    /**
     * Issues the certificate Secrets the platform components' users lack, and writes the mirror Secret, before the pods
     * that mount them are built: a platform component's pods then start with their identity, instead of starting
     * without it and rolling once it arrives. No user Secret beside a cluster that takes no client certificates.
     *
     * @param access what the TLS step ensured earlier in this pass
     * @return the content hash of the cluster's mirror Secret ({@code MirrorSecret#contentHash}) as this call wrote it, or
     *     found it as wanted; empty when it wrote none
     */
    default Optional<String> issueIdentities(ReconcilePass pass, ClusterNames names, ClusterAccess access) {
        return Optional.empty();
    }

    /**
     * Given once by the executor: the latest state of every cluster on the state topic, whichever executor owns it
     * (empty for one not read yet or deleted), for what one cluster's operations need of another's (a mirror's source).
     */
    default void seeClusters(java.util.function.Function<String, Optional<io.coxswain.avro.state.ClusterState>> states) {
    }

    /**
     * What the operations refuse, or Kafka refused them, for the cluster as they stand after the last drive, keyed as in
     * {@code status.executorRefusals} (a live broker key: {@code brokerConfig/cluster-default}, {@code brokerConfig/broker-<id>}).
     * What this executor has not tried yet is taken from the state, so a new owner does not clear a refusal it has not met.
     */
    default java.util.Map<String, io.coxswain.avro.command.ExecutorRefusalObserved> refusals(io.coxswain.avro.state.ClusterState state) {
        return java.util.Map.of();
    }

    /**
     * Forgets what is kept in memory about the cluster: it was deleted, or handed over to another executor. What matters
     * is in the log by then; an executor that gets the cluster again starts from it, as any new owner does.
     */
    default void forget(String clusterId) {
    }

    /** No operations: objects follow the state, restarts and scale-in are left to an operator. */
    static ClusterOperations none() {
        return new ClusterOperations() {
            @Override
            public boolean drive(ReconcilePass pass, ClusterNames names, Optional<ClusterAccess> access) {
                return true;
            }

            @Override
            public int brokersAllowed(ReconcilePass pass, int running, Optional<ClusterAccess> access) {
                return running;
            }
        };
    }
}
