package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ExecutorRefusalStatus;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.executor.tls.ClusterAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations of an executor whose pods run no Kafka ({@code coxswain dev --pods=ready}: the sandbox only marks them
 * Ready). It runs none: there is no node to restart safely, no data to drain or move. What it does is say so, since
 * otherwise a cluster whose upgrade (restart, scale-in, growth, requested rebalance or CA replacement) waits stays
 * Reconciling with nothing anywhere saying why: the operation the drivers would start ({@link OperationChoice#calledFor},
 * the same choice), or one left RUNNING by an executor that drives them, is the executor refusal {@link #REFUSAL_KEY}
 * ({@code status.executorRefusals}, which cox get prints as Blocked and cox wait stops at). It goes when nothing waits
 * any more (the change undone, the cluster deleted). A scale-out waits for nothing: with no Kafka there is no data to move.
 *
 * <p>The pass counts as acted on, as one whose operation is held for a maintenance window does: every object is as the
 * state asks, and this executor will do nothing more for the change; the refusal says what is left undone.
 */
public final class KafkalessOperations implements ClusterOperations {

    /** Its key in {@code status.executorRefusals}. */
    public static final String REFUSAL_KEY = "operation";

    private static final Logger log = LoggerFactory.getLogger(KafkalessOperations.class);

    private final KubernetesClient kube;
    private final String why;
    private final VolumeExpansion volumes = new VolumeExpansion();
    /** Per cluster driven since start, what waits (empty: nothing); a cluster absent keeps what its state shows. */
    private final Map<String, Optional<ExecutorRefusalObserved>> waiting = new ConcurrentHashMap<>();

    /**
     * @param why why nothing runs here and what to do instead, as the launcher knows it (the option that made it so, and the
     *            one that runs operations)
     */
    public KafkalessOperations(KubernetesClient kube, String why) {
        this.kube = kube;
        this.why = why;
    }

    @Override
    public boolean drive(ReconcilePass pass, ClusterNames names, Optional<ClusterAccess> access) {
        ClusterState state = pass.state();
        Optional<String> operation = state.getStatus().getComponents().isEmpty() ? Optional.empty() : waits(state, names);
        Optional<ExecutorRefusalObserved> refusal = operation.map(op -> refusal(pass, "cluster " + pass.clusterId() + ": " + op
                + " waits and will not run: " + why));
        Optional<ExecutorRefusalObserved> before = waiting.put(pass.clusterId(), refusal);
        if (refusal.isPresent() && !refusal.equals(before)) {
            log.warn("{} (command {})", refusal.get().getReason(), refusal.get().getCommandId());
        }
        return true;
    }

    /** The operation the drivers would run now, described: one left running, else the one the world calls for. */
    private Optional<String> waits(ClusterState state, ClusterNames names) {
        OperationStatus running = state.getStatus().getOperation();
        if (running != null && "RUNNING".equals(running.getState())) {
            return Optional.of(running.getOperation() + " " + running.getOperationId() + " (RUNNING, started by an executor that drives"
                    + " operations)");
        }
        DriveContext probe = new DriveContext(state, names, null, kube, null, null, null, DriveSettings.defaults());
        ClusterPods pods = probe.pods();
        String type = OperationChoice.calledFor(probe, pods, volumes, () -> false, null);
        return Optional.ofNullable(type).map(t -> t + " (" + OperationChoice.describe(t, state, pods) + ")");
    }

    /** The command it was first refused under stays while the same operation waits. */
    private static ExecutorRefusalObserved refusal(ReconcilePass pass, String reason) {
        ExecutorRefusalStatus shown = pass.state().getStatus().getExecutorRefusals().get(REFUSAL_KEY);
        String first = shown != null && shown.getReason().equals(reason) ? shown.getCommandId() : pass.cause();
        return new ExecutorRefusalObserved(reason, first);
    }

    @Override
    public Map<String, ExecutorRefusalObserved> refusals(ClusterState state) {
        if (state.getSpec().getDeleteRequested()) {
            return Map.of(); // nothing waits for a cluster going away
        }
        Optional<ExecutorRefusalObserved> mine = waiting.get(state.getClusterId());
        if (mine == null) { // not driven here yet (a paused cluster): as its state shows it
            ExecutorRefusalStatus shown = state.getStatus().getExecutorRefusals().get(REFUSAL_KEY);
            mine = Optional.ofNullable(shown).map(s -> new ExecutorRefusalObserved(s.getReason(), s.getCommandId()));
        }
        return mine.map(r -> Map.of(REFUSAL_KEY, r)).orElse(Map.of());
    }

    /** Never fewer brokers than run: removing one means draining it first, which needs Kafka. */
    @Override
    public int brokersAllowed(ReconcilePass pass, int running, Optional<ClusterAccess> access) {
        return running;
    }

    @Override
    public void forget(String clusterId) {
        waiting.remove(clusterId);
    }
}
