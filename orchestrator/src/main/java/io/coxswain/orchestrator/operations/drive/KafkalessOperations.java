package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ExecutorRefusalStatus;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.commands.ExecutorRefusalKeys;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.executor.tls.ClusterAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations of an executor whose pods run no Kafka ({@code coxswain dev --pods=ready}: the sandbox only marks them
 * Ready). It runs none: there is no node to restart safely, no data to drain or move; nor does it do what the drivers do
 * beside them on the cluster's Kafka and Connect. What it does is say so, since otherwise a cluster whose upgrade (restart,
 * scale-in, growth, requested rebalance or CA replacement) waits stays Reconciling, and a topic asked for is never created,
 * with nothing anywhere saying why. Each is an executor refusal ({@code status.executorRefusals}, which cox get prints as
 * Blocked and cox wait stops at): {@link #REFUSAL_KEY} for the operation the drivers would start ({@link OperationChoice#calledFor},
 * the same choice) or one left RUNNING by an executor that drives them, and one key per kind of thing the state asks of Kafka
 * ({@link KafkalessWaits}: topics, users, live broker keys, connectors, mirrors, offset resets). Each goes when nothing of
 * its kind waits any more (the change undone, the cluster deleted). A scale-out waits for nothing: with no Kafka there is no
 * data to move.
 *
 * <p>The pass counts as acted on, as one whose operation is held for a maintenance window does: every object is as the
 * state asks, and this executor will do nothing more for the change; the refusals say what is left undone.
 */
public final class KafkalessOperations implements ClusterOperations {

    /** Its key in {@code status.executorRefusals}. */
    public static final String REFUSAL_KEY = ExecutorRefusalKeys.OPERATION;

    private static final Logger log = LoggerFactory.getLogger(KafkalessOperations.class);

    private final KubernetesClient kube;
    private final String why;
    private final VolumeExpansion volumes = new VolumeExpansion();
    /** Per cluster driven since start, what waits by key (empty: nothing); a cluster absent keeps what its state shows. */
    private final Map<String, Map<String, ExecutorRefusalObserved>> waiting = new ConcurrentHashMap<>();

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
        Map<String, String> waits = new TreeMap<>(KafkalessWaits.of(state));
        if (!state.getStatus().getComponents().isEmpty()) {
            operation(state, names).ifPresent(op -> waits.put(REFUSAL_KEY, op + " waits and will not run"));
        }
        Map<String, ExecutorRefusalObserved> refusals = new TreeMap<>();
        waits.forEach((key, what) -> refusals.put(key, refusal(pass, key, "cluster " + pass.clusterId() + ": " + what
                + (key.equals(REFUSAL_KEY) ? "" : ", and will not be") + ": " + why)));
        Map<String, ExecutorRefusalObserved> before = waiting.put(pass.clusterId(), refusals);
        refusals.forEach((key, refusal) -> {
            if (before == null || !refusal.equals(before.get(key))) {
                log.warn("{} (command {})", refusal.getReason(), refusal.getCommandId());
            }
        });
        return true;
    }

    /** The operation the drivers would run now, described: one left running, else the one the world calls for. */
    private Optional<String> operation(ClusterState state, ClusterNames names) {
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

    /** The command it was first refused under stays while the same thing waits. */
    private static ExecutorRefusalObserved refusal(ReconcilePass pass, String key, String reason) {
        ExecutorRefusalStatus shown = pass.state().getStatus().getExecutorRefusals().get(key);
        String first = shown != null && shown.getReason().equals(reason) ? shown.getCommandId() : pass.cause();
        return new ExecutorRefusalObserved(reason, first);
    }

    @Override
    public Map<String, ExecutorRefusalObserved> refusals(ClusterState state) {
        if (state.getSpec().getDeleteRequested()) {
            return Map.of(); // nothing waits for a cluster going away
        }
        Map<String, ExecutorRefusalObserved> mine = waiting.get(state.getClusterId());
        if (mine != null) {
            return mine;
        }
        // not driven here yet (a paused cluster): as its state shows it
        Map<String, ExecutorRefusalObserved> shown = new TreeMap<>();
        state.getStatus().getExecutorRefusals().forEach((key, s) -> {
            if (key.equals(REFUSAL_KEY) || KafkalessWaits.KEYS.contains(key)) {
                shown.put(key, new ExecutorRefusalObserved(s.getReason(), s.getCommandId()));
            }
        });
        return shown;
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
