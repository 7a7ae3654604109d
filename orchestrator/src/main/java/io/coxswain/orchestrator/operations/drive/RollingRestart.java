package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.avro.state.StepStatus;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.Decision;
import io.coxswain.orchestrator.operations.checks.ActiveController;
import io.coxswain.orchestrator.operations.checks.CanRollBroker;
import io.coxswain.orchestrator.operations.checks.ClusterHealthy;
import io.coxswain.orchestrator.operations.checks.ControllerQuorumCaughtUp;
import io.coxswain.orchestrator.operations.drive.ClusterPods.NodePod;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.ElectLeadersOptions;
import org.apache.kafka.common.ElectionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolling restart for an upgrade, a configuration or sizing change, one node at a time: controllers
 * first with the active one last, then brokers by ordinal. Each step:
 *
 * <pre>
 *   wait until every pod is Ready and the cluster healthy  →  finish the pending restart (preferred-leader election)
 *   → pick the next outdated pod → safety check → record STARTED and RESTART → delete the pod
 *   (none left: after an upgrade, bump metadata.version; then SUCCEEDED)
 * </pre>
 *
 * Which pods still need a restart is read from the world ({@link ClusterPods}), so a resumed
 * driver neither skips a pod nor restarts one twice.
 */
final class RollingRestart {

    private static final Logger log = LoggerFactory.getLogger(RollingRestart.class);
    static final String STEP_PREFIX = "restart ";
    static final String KAFKA_VERSION_CHANGED = "KafkaVersionChanged";
    static final String CONFIG_CHANGED = "ConfigChanged";
    /** The role's sizing (UpdateResources) changed: the pod was created with the old one. */
    static final String RESOURCES_CHANGED = "ResourcesChanged";
    /** A step of a CA replacement (ReplaceClusterCa): the pod loads a new trust bundle or new certificates. */
    static final String CA_REPLACED = "CaReplacement";
    /** A RestartCluster asked for it: the pod was created before the restart was. */
    static final String MANUAL = "Manual";

    /**
     * A restart recorded STARTED and not yet FINISHED (the log says the same, later).
     *
     * @param deleted the uid of the pod deleted for it; null when known from the log only, or before the delete
     */
    private record Restart(String pod, String deleted) {
    }

    /** Per operation, its open restart. */
    private final Map<String, Restart> pending = new ConcurrentHashMap<>();
    /**
     * "operation/pod" restarts this driver recorded FINISHED: a pass's state is read once, so within
     * one drive call the log still shows them STARTED; they must not be finished twice.
     */
    private final java.util.Set<String> finished = ConcurrentHashMap.newKeySet();

    Outcome step(DriveContext c) {
        return rollNext(c).orElseGet(() -> {
            if (RunningOperation.ROLLING_UPGRADE.equals(c.op().type())) {
                MetadataVersionBump.run(c);
            }
            return c.succeed(switch (c.op().type()) {
                case RunningOperation.ROLLING_UPGRADE -> "every node runs the new version";
                case RunningOperation.ROLLING_RESTART -> "every node asked for was restarted";
                default -> "every node runs the new configuration";
            });
        });
    }

    /**
     * One step of the roll: wait for the pod restarted last and the cluster's health, finish that
     * restart, or restart the next outdated pod. Empty once every pod runs what its StatefulSet asks
     * for and no restart is open: the roll is over, for whichever operation it is part of.
     */
    Optional<Outcome> rollNext(DriveContext c) {
        ClusterPods pods = c.pods();
        Optional<Restart> open = pendingRestart(c);
        Optional<String> restarting = open.map(Restart::pod);
        Optional<NodePod> down = pods.firstUnavailable();
        if (down.isPresent()) {
            // never take a second node down: wait for the one that is (the one restarted, normally)
            return Optional.of(c.waitFor(stepName(down.get()), down.get().nodeId(), "pod " + down.get().name() + " Ready",
                    "pod " + down.get().name() + (down.get().exists() ? " is not Ready" : " does not exist yet")));
        }
        // one look at the cluster serves the health check and the next broker's safety check: reading it twice (four Admin
        // round trips each) only made every step of a roll slower, and both decide on the same moment
        ClusterSnapshot cluster = ClusterSnapshot.read(c.admin(), c.settings().callTimeout());
        Decision healthy = ClusterHealthy.expecting(new HashSet<>(pods.brokerIds())).evaluate(cluster);
        if (!healthy.allowed()) {
            return Optional.of(c.waitFor(restarting.map(p -> STEP_PREFIX + p).orElse("check health"),
                    restarting.flatMap(pods::named).map(NodePod::nodeId).orElse(null), "a healthy cluster", healthy.reason()));
        }
        if (restarting.isPresent()) {
            Optional<NodePod> pod = pods.named(restarting.get());
            String deleted = open.get().deleted();
            if (pod.isPresent() && !pod.get().upToDate() && (deleted == null || deleted.equals(pod.get().uid()))) {
                // recorded but killed before the delete: the log already announced this restart, do it now. A pod re-created
                // since its delete is over that restart, though outdated again if the template changed meanwhile (the next
                // step of a CA replacement): it waits for a restart of its own, recorded as such
                return Optional.of(restart(c, pod.get(), false));
            }
            return Optional.of(finish(c, pods, restarting.get()));
        }
        Optional<NodePod> next = next(c, pods);
        if (next.isEmpty()) {
            return Optional.empty();
        }
        Decision safe = next.get().role() == KafkaRole.CONTROLLER
                ? ControllerQuorumCaughtUp.of(next.get().nodeId()).check(c.admin(), c.settings().callTimeout())
                : CanRollBroker.of(next.get().nodeId()).evaluate(cluster);
        if (!safe.allowed()) {
            return Optional.of(c.waitFor(stepName(next.get()), next.get().nodeId(), "a safe moment to restart " + next.get().name(), safe.reason()));
        }
        String why = next.get().resourcesChange() == null ? safe.summary() : next.get().resourcesChange() + "; " + safe.summary();
        c.recorder().step(c.op(), stepName(next.get()), StepState.STARTED, next.get().nodeId(), why, (int) pods.upToDate(),
                pods.pods().size());
        return Optional.of(restart(c, next.get(), true));
    }

    private Outcome restart(DriveContext c, NodePod pod, boolean record) {
        pending.put(c.op().id(), new Restart(pod.name(), pod.uid()));
        if (record) {
            String reason = pod.imageChanged() ? KAFKA_VERSION_CHANGED
                    : RunningOperation.REPLACE_CA.equals(c.op().type()) ? CA_REPLACED : pod.configChanged() ? CONFIG_CHANGED
                    : pod.resourcesChange() != null ? RESOURCES_CHANGED : MANUAL;
            c.recorder().action(c.op(), ResourceAction.RESTART, "Pod", pod.namespace(), pod.name(), reason,
                    "node " + pod.nodeId() + (pod.imageChanged() ? ", image " + pod.image() + " → " + pod.wantedImage() : "")
                            + (pod.resourcesChange() != null ? ", " + pod.resourcesChange() : ""));
        }
        c.kube().pods().inNamespace(pod.namespace()).withName(pod.name()).delete();
        log.info("cluster {}: deleted pod {} (node {}) for operation {}", c.clusterId(), pod.name(), pod.nodeId(), c.op().id());
        return Outcome.ADVANCED;
    }

    /** The restarted node is back, the cluster healthy: give leadership back to preferred leaders and record the step done. */
    private Outcome finish(DriveContext c, ClusterPods pods, String pod) {
        try {
            AdminCalls.await("electLeaders(PREFERRED)", c.admin().electLeaders(ElectionType.PREFERRED, null, new ElectLeadersOptions()).all(),
                    c.settings().callTimeout());
        } catch (AdminCalls.AdminCallFailed e) {
            // ElectionNotNeeded for partitions already led by their preferred leader fails all(); the election still happened
            log.debug("cluster {}: preferred-leader election after {}: {}", c.clusterId(), pod, e.getMessage());
        }
        c.recorder().step(c.op(), STEP_PREFIX + pod, StepState.FINISHED, pods.named(pod).map(NodePod::nodeId).orElse(null), "Ready, registered, no under-replicated partition; preferred leaders elected",
                (int) pods.upToDate(), pods.pods().size());
        pending.remove(c.op().id());
        finished.add(c.op().id() + "/" + pod);
        c.clock().clear(c.op().id());
        return Outcome.ADVANCED;
    }

    /** Controllers first, the active one last (asked again each time: it may have moved); then brokers by ordinal. */
    private Optional<NodePod> next(DriveContext c, ClusterPods pods) {
        List<NodePod> controllers = pods.outdated(KafkaRole.CONTROLLER);
        if (!controllers.isEmpty()) {
            ActiveController active = ActiveController.find(c.admin(), c.settings().callTimeout());
            List<Integer> order = active.rollOrder(controllers.stream().map(NodePod::nodeId).toList());
            return controllers.stream().filter(p -> p.nodeId() == order.get(0)).findFirst();
        }
        return pods.outdated(KafkaRole.BROKER).stream().findFirst();
    }

    /** The pod whose restart is STARTED and not FINISHED: from memory, else from the log. */
    private Optional<Restart> pendingRestart(DriveContext c) {
        Restart known = pending.get(c.op().id());
        if (known != null) {
            return Optional.of(known);
        }
        OperationStatus op = c.state().getStatus().getOperation();
        if (op == null || !op.getOperationId().equals(c.op().id())) {
            return Optional.empty();
        }
        // FAILED leaves a started restart open: the pod was deleted, and a retry finishes that restart before the next
        String open = null;
        for (StepStatus s : op.getSteps()) {
            if (s.getStep().startsWith(STEP_PREFIX) && "STARTED".equals(s.getState())) {
                open = s.getStep().substring(STEP_PREFIX.length());
            } else if (s.getStep().startsWith(STEP_PREFIX) && "FINISHED".equals(s.getState())) {
                open = null;
            }
        }
        // which incarnation was deleted is not in the log: an outdated pod is taken as not deleted yet
        Optional<Restart> fromLog = Optional.ofNullable(open).filter(p -> !finished.contains(c.op().id() + "/" + p)).map(p -> new Restart(p, null));
        fromLog.ifPresent(r -> log.info("cluster {}: resuming operation {} at the restart of pod {}", c.clusterId(), c.op().id(), r.pod()));
        fromLog.ifPresent(r -> pending.put(c.op().id(), r));
        return fromLog;
    }

    void forget(String operationId) {
        pending.remove(operationId);
        finished.removeIf(k -> k.startsWith(operationId + "/"));
    }

    private static String stepName(NodePod pod) {
        return STEP_PREFIX + pod.name();
    }
}
