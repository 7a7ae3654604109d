package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.orchestrator.executor.CauseTracker;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * Which operation the world calls for when none runs: a scale-in (its extra replicas dropped first), a volume expansion, a
 * roll (upgrade, reconfiguration, restart), a scale-out, a requested CA replacement, a requested rebalance, in that order,
 * all but the volume expansion only inside the cluster's maintenance windows. Chosen here, recorded by {@link OperationDrivers}.
 */
final class OperationChoice {

    private final KubernetesClient kube;
    private final OperationRecorder recorder;
    private final StepClock clock;
    private final DriveSettings settings;
    private final TopicSync topics;
    private final VolumeExpansion volumes;
    private final MaintenanceGate maintenance;

    OperationChoice(KubernetesClient kube, OperationRecorder recorder, StepClock clock, DriveSettings settings, TopicSync topics,
                    VolumeExpansion volumes, MaintenanceGate maintenance) {
        this.kube = kube;
        this.recorder = recorder;
        this.clock = clock;
        this.settings = settings;
        this.topics = topics;
        this.volumes = volumes;
        this.maintenance = maintenance;
    }

    /**
     * What a pass's look at the world started: the operation, if any, and whether every operation was weighed (false while
     * a pod is missing or not Ready: whether data must move to new brokers is not known until they all are).
     */
    record Start(Optional<RunningOperation> op, boolean weighed, String description) {
        static final Start NONE = new Start(Optional.empty(), true, null);
    }

    /**
     * The operation the world calls for, if any, not yet recorded; never again one that failed for the same cause.
     *
     * @param endedLast the attempt the drivers ended last on the cluster: the log may still show it RUNNING
     */
    Start choose(ReconcilePass pass, ClusterNames names, Admin admin, RunningOperation.Attempt endedLast) {
        ClusterState state = pass.state();
        OperationStatus last = state.getStatus().getOperation();
        boolean lastUnfinished = last != null && !"SUCCEEDED".equals(last.getState());
        if (lastUnfinished && (CauseTracker.isObservation(pass.cause()) || pass.cause().equals(last.getCauseCommandId())
                || pass.cause().equals(last.getControlledBy()))) {
            // a failed or abandoned operation waits for a person (RetryOperation, or a new command) instead of starting again and again
            return Start.NONE;
        }
        DriveContext probe = new DriveContext(state, names, null, kube, admin, recorder, clock, settings);
        ClusterPods pods = probe.pods();
        String type = calledFor(probe, pods, volumes, () -> ScaleOut.needed(probe), endedLast);
        if (RunningOperation.SCALE_IN.equals(type)) {
            // a factor lowered to make the scale-in fit is applied first, though topics otherwise wait for operations to end
            topics.dropExtraReplicas(state, pass.cause(), admin, settings.callTimeout());
        }
        if (type == null) {
            maintenance.nothingWaits(state, pods);
            return new Start(Optional.empty(), pods.firstUnavailable().isEmpty(), null);
        }
        // a rebalance or a CA replacement answers the command that asked for it, and an operation held back for a window the
        // command that called for it, whatever command brought this pass (the SetMaintenanceWindows that opened the way, say)
        String cause = causeOf(state, type, pass.cause());
        if (!maintenance.mayStart(state, type, cause)) {
            return Start.NONE; // recorded in status.deferred; topics and users are kept in line meanwhile
        }
        RunningOperation op = RunningOperation.start(pass.clusterId(), type, cause);
        boolean idTaken = last != null && last.getOperationId().equals(op.id()) || endedLast != null && endedLast.operationId().equals(op.id());
        if (idTaken) {
            // a new operation, never mistaken by the fold for the ended one of that id (nor for its retries)
            op = RunningOperation.startAgain(pass.clusterId(), type, cause, state.getVersion());
        }
        return new Start(Optional.of(op), true, describe(type, state, pods));
    }

    /**
     * The type of operation the world calls for, in the order they go, or null: the one choice for the drivers and for an
     * executor that runs none ({@link KafkalessOperations}), so both name the same operation.
     *
     * @param scaleOutNeeded whether data must move to new brokers (asked of Kafka), asked only when no other operation is called for
     */
    static String calledFor(DriveContext probe, ClusterPods pods, VolumeExpansion volumes, BooleanSupplier scaleOutNeeded,
                            RunningOperation.Attempt endedLast) {
        ClusterState state = probe.state();
        if (state.getSpec().getBrokers() < ScaleIn.running(probe) && brokerPodsBeyondSpec(probe.kube(), state, probe.names())) {
            return RunningOperation.SCALE_IN;
        } else if (volumes.needed(probe)) {
            // before a roll: it restarts no pod and is over in minutes, and the rolled pods find their volumes grown
            return RunningOperation.EXPAND_STORAGE;
        } else if (pods.anyOutdated()) {
            // a new sizing is a change of the pods' configuration too: the same roll, its steps naming what changed
            return pods.anyImageChanged() ? RunningOperation.ROLLING_UPGRADE
                    : pods.anyConfigChanged() || pods.firstResourcesChange().isPresent() ? RunningOperation.RECONFIGURE
                    : RunningOperation.ROLLING_RESTART;
        } else if (pods.firstUnavailable().isEmpty() && scaleOutNeeded.getAsBoolean()) {
            return RunningOperation.SCALE_OUT;
        } else if (requestPending(state, RunningOperation.REPLACE_CA, endedLast)) {
            // before a rebalance: a key that may be compromised is the more urgent
            return RunningOperation.REPLACE_CA;
        } else if (requestPending(state, RunningOperation.REBALANCE, endedLast)) {
            // last: an operation above may move the same data, and a rebalance after it finds less to move
            return RunningOperation.REBALANCE;
        }
        return null;
    }

    /**
     * A rebalance or a CA replacement ({@code type}) is asked for and not done: the log settles the
     * request when its operation ends, but this driver may end it before the fold shows that, so the
     * one it ended last does not count. An operation of this request that FAILED waits for a person
     * (RetryOperation, or a new request): unlike a roll, whose outdated pods are the change itself,
     * nothing about an unrelated later command says the data should move, or the CA change, now.
     */
    static boolean requestPending(ClusterState state, String type, RunningOperation.Attempt endedLast) {
        Optional<String> request = request(state, type);
        if (request.isEmpty()) {
            return false;
        }
        OperationStatus last = state.getStatus().getOperation();
        if (last != null && type.equals(last.getOperation()) && "FAILED".equals(last.getState()) && request.get().equals(last.getCauseCommandId())) {
            return false;
        }
        String id = RunningOperation.start(state.getClusterId(), type, request.get()).id();
        // the id itself, or a later attempt's (id + "/" + version): "Rebalance/rb-1" must not match "Rebalance/rb-10"
        return endedLast == null || !(endedLast.operationId().equals(id) || endedLast.operationId().startsWith(id + "/"));
    }

    /** The pending request an operation of {@code type} answers, if it is one a person asks for by a request of its own. */
    private static Optional<String> request(ClusterState state, String type) {
        return switch (type) {
            case RunningOperation.REBALANCE -> Optional.ofNullable(state.getSpec().getRebalance()).map(r -> r.getCommandId());
            case RunningOperation.REPLACE_CA -> Optional.ofNullable(state.getSpec().getCaReplacement()).map(r -> r.getCommandId());
            default -> Optional.empty();
        };
    }

    /** The request it answers, else the command it was held back for a window under, else the pass's. */
    private static String causeOf(ClusterState state, String type, String passCause) {
        return request(state, type).or(() -> deferredCause(state, type)).orElse(passCause);
    }

    /** The command that called for an operation of {@code type} the log shows held back for a maintenance window. */
    private static Optional<String> deferredCause(ClusterState state, String type) {
        return Optional.ofNullable(state.getStatus().getDeferred()).filter(d -> d.getOperation().equals(type))
                .map(d -> d.getCauseCommandId());
    }

    /** The folded broker count lags the world right after a scale-in: only pods that still exist call for one. */
    static boolean brokerPodsBeyondSpec(KubernetesClient kube, ClusterState state, ClusterNames names) {
        String pod = names.pod(io.coxswain.orchestrator.executor.model.KafkaRole.BROKER, state.getSpec().getBrokers());
        return kube.pods().inNamespace(names.namespace()).withName(pod).get() != null;
    }

    static String describe(String type, ClusterState state, ClusterPods pods) {
        return switch (type) {
            case RunningOperation.ROLLING_UPGRADE -> "rolling upgrade to Kafka " + state.getSpec().getKafkaVersion();
            case RunningOperation.RECONFIGURE -> pods.anyConfigChanged() ? "rolling configuration change"
                    : "rolling restart, " + pods.firstResourcesChange().orElse(ResourcesChange.PREFIX);
            case RunningOperation.ROLLING_RESTART -> "manual rolling restart of " + String.join(" and ", state.getSpec().getRestarts().entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList());
            case RunningOperation.SCALE_OUT -> "scale out to " + state.getSpec().getBrokers() + " brokers";
            case RunningOperation.EXPAND_STORAGE -> "grow every data volume to " + state.getSpec().getStorage().getSize();
            case RunningOperation.REBALANCE -> "rebalance asked for by " + state.getSpec().getRebalance().getIssuer()
                    + Optional.ofNullable(state.getSpec().getRebalance().getReason()).map(r -> ": " + r).orElse("");
            case RunningOperation.REPLACE_CA -> "replace the cluster CA with one of a new key, in three rolls, asked for by "
                    + state.getSpec().getCaReplacement().getIssuer() + Optional.ofNullable(state.getSpec().getCaReplacement().getReason())
                    .map(r -> ": " + r).orElse("");
            default -> "scale in to " + state.getSpec().getBrokers() + " brokers";
        };
    }
}
