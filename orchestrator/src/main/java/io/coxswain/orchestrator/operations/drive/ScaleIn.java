package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.Decision;
import io.coxswain.orchestrator.operations.balance.BalancePlanner;
import io.coxswain.orchestrator.operations.checks.BrokerHoldsNoReplicas;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;

/**
 * Scale-in, in the reverse direction of a scale-out: cordon the highest ordinals ({@link Cordon}) and drain them, drain again
 * what comes back onto them meanwhile ({@link Redrain}), verify they hold no replica, lift the cordon, let the reconciler lower
 * the broker count ({@link #brokersAllowed}), then unregister the removed brokers from the quorum and delete their volumes. A
 * broker is never removed while it holds a replica: one that gets replicas again before the StatefulSet lets it go is drained
 * and verified again.
 */
final class ScaleIn {

    static final String CORDON = "cordon";
    static final String DRAIN = "drain";
    static final String VERIFY = "verify drained";
    static final String REMOVE = "remove brokers";
    static final String UNREGISTER = "unregister";
    static final String DELETE_VOLUMES = "delete volumes";

    private final Rebalance rebalance = new Rebalance();
    private final Redrain redrain = new Redrain();
    /** Per operation, whether this driver cordoned its leaving brokers (false: Kafka refused); absent, not tried yet. */
    private final Map<String, Boolean> cordons = new ConcurrentHashMap<>();
    /** Operations whose first drain landed (or had nothing to move): what comes back later is {@link Redrain}'s. */
    private final Set<String> drainedOnce = ConcurrentHashMap.newKeySet();
    /** Operations whose brokers were verified empty (the log says the same once folded). */
    private final Set<String> drained = ConcurrentHashMap.newKeySet();
    /** Operations whose verified brokers got replicas again before they could go: drained again, whatever the log says. */
    private final Set<String> reopened = ConcurrentHashMap.newKeySet();

    Outcome step(DriveContext c) {
        List<Integer> leaving = leaving(c.state().getSpec().getBrokers(), running(c));
        if (!isDrained(c)) {
            return drain(c, leaving);
        }
        boolean stillRunsLeaving = brokerReplicas(c) > c.state().getSpec().getBrokers(); // brokersAllowed has not let them go yet
        if (stillRunsLeaving && !empty(c, leaving)) {
            // replicas came back onto a verified broker the StatefulSet still runs (brokersAllowed keeps it): drained again
            drained.remove(c.op().id());
            reopened.add(c.op().id());
            return Outcome.ADVANCED;
        }
        List<String> stillThere = new ArrayList<>();
        for (int i = c.state().getSpec().getBrokers(); i < c.state().getSpec().getBrokers() + 16; i++) {
            if (c.kube().pods().inNamespace(c.names().namespace()).withName(c.names().pod(KafkaRole.BROKER, i)).get() != null) {
                stillThere.add(c.names().pod(KafkaRole.BROKER, i));
            }
        }
        if (!stillThere.isEmpty()) {
            String what = "pods " + stillThere + " removed";
            String reason = "the StatefulSet shrinks once the drained brokers are allowed to go";
            if (stillRunsLeaving) {
                // only a reconcile step lowers the replicas (asking brokersAllowed), and this pass's step ran before this drive:
                // waiting here could only spend the pass's budget. The next pass (the VERIFY just recorded brings one) lowers them
                return c.waitForPass(REMOVE, what, reason);
            }
            return c.waitFor(REMOVE, null, what, reason); // the pods are shutting down: gone within a pass or a few
        }
        ClusterSnapshot snapshot = ClusterSnapshot.read(c.admin(), c.settings().callTimeout());
        List<Integer> registered = snapshot.brokers().keySet().stream().filter(b -> b >= c.state().getSpec().getBrokers()).toList();
        List<Integer> alive = registered.stream().filter(b -> !snapshot.brokers().get(b).fenced()).toList();
        if (!alive.isEmpty()) {
            // a broker still heartbeating would register again: unregister only once the controller has fenced it
            return c.waitFor(UNREGISTER, null, "brokers " + alive + " fenced", "their nodes are still shutting down");
        }
        for (int broker : registered) {
            try {
                AdminCalls.await("unregisterBroker(" + broker + ")", c.admin().unregisterBroker(broker).all(), c.settings().callTimeout());
            } catch (AdminCalls.AdminCallFailed e) {
                if (!(e.getCause() instanceof BrokerIdNotRegisteredException)) {
                    throw e;
                }
            }
        }
        if (!registered.isEmpty()) {
            c.recorder().step(c.op(), UNREGISTER, StepState.STARTED, null, "unregistering brokers " + registered, null, null);
            return Outcome.ADVANCED; // look again: done once none is registered
        }
        c.recorder().step(c.op(), UNREGISTER, StepState.FINISHED, null, "no removed broker is registered any more", null, null);
        List<String> deleted = deleteVolumes(c);
        c.recorder().step(c.op(), DELETE_VOLUMES, StepState.FINISHED, null, deleted.isEmpty() ? "no volume of a removed broker left"
                : "deleted the volumes of the removed brokers: " + deleted, null, null);
        drained.remove(c.op().id());
        return c.succeed("scaled in to " + c.state().getSpec().getBrokers() + " brokers");
    }

    /** Until the leaving brokers are verified empty: cordon, the first drain, the drains again, the verification. */
    private Outcome drain(DriveContext c, List<Integer> leaving) {
        String id = c.op().id();
        if (!cordons.containsKey(id)) {
            Optional<String> refused = Cordon.set(c, leaving, true);
            c.recorder().step(c.op(), CORDON, StepState.FINISHED, null, refused.map(r -> "brokers " + leaving + " not cordoned (" + r
                    + "); a topic Kafka places while they drain may land on them, and is drained again").orElse("brokers " + leaving
                    + " cordoned (" + Cordon.KEY + "=*): Kafka places no replica of a new topic or partition on them while they drain"),
                    null, null);
            cordons.put(id, refused.isEmpty());
        }
        Function<ClusterSnapshot, BalancePlanner> planner = s -> BalancePlanner.over(union(s, c)).draining(leaving);
        if (!drainedOnce.contains(id)) {
            boolean wasMoving = rebalance.executing(id);
            Optional<Outcome> moved = rebalance.step(c, DRAIN, planner, c.settings().throttleBytes());
            if (moved.isEmpty() || wasMoving && !rebalance.executing(id)) {
                drainedOnce.add(id);
            }
            if (moved.isPresent()) {
                return moved.get();
            }
        }
        Optional<Outcome> again = redrain.step(c, leaving, planner);
        if (again.isPresent()) {
            return again.get();
        }
        for (int broker : leaving) {
            Decision empty = BrokerHoldsNoReplicas.of(broker).check(c.admin(), c.settings().callTimeout());
            if (!empty.allowed()) {
                return c.waitFor(VERIFY, broker, "broker " + broker + " empty", empty.reason());
            }
        }
        String lifted = "";
        if (Boolean.TRUE.equals(cordons.get(id))) {
            // before they may go: a broker id's configuration outlives the broker, and one added later under it would start cordoned
            lifted = Cordon.set(c, leaving, false).map(r -> "; their cordon could not be lifted (" + r + "): remove " + Cordon.KEY
                    + " from brokers " + leaving + " before adding brokers with these ids again").orElse("; their cordon lifted");
        }
        cordons.remove(id); // drained again after this: cordoned again
        c.recorder().step(c.op(), VERIFY, StepState.FINISHED, null, "brokers " + leaving + " hold no replica" + lifted, null, null);
        drained.add(id);
        reopened.remove(id);
        return Outcome.ADVANCED;
    }

    private static boolean empty(DriveContext c, List<Integer> leaving) {
        return leaving.stream().allMatch(b -> BrokerHoldsNoReplicas.of(b).check(c.admin(), c.settings().callTimeout()).allowed());
    }

    /**
     * Deletes the data claims of brokers beyond the spec: they were drained and verified empty, and
     * a claim left behind would hand its stale {@code meta.properties} to a broker of the same
     * ordinal added by a later scale-out. The StatefulSet retains claims on scale (so a pod that
     * is only restarted keeps its data); this is the one place they are let go, recorded first.
     */
    private static List<String> deleteVolumes(DriveContext c) {
        String prefix = c.names().dataClaim(KafkaRole.BROKER, 0);
        prefix = prefix.substring(0, prefix.length() - 1);
        List<String> deleted = new ArrayList<>();
        for (PersistentVolumeClaim claim : c.kube().persistentVolumeClaims().inNamespace(c.names().namespace()).list().getItems()) {
            String name = claim.getMetadata().getName();
            if (!name.startsWith(prefix) || claim.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String ordinal = name.substring(prefix.length());
            if (!ordinal.matches("\\d{1,6}") || Integer.parseInt(ordinal) < c.state().getSpec().getBrokers()) {
                continue; // a remaining broker's volume, or not a broker data claim
            }
            if (c.kube().pods().inNamespace(c.names().namespace()).withName(c.names().pod(KafkaRole.BROKER, Integer.parseInt(ordinal))).get() != null) {
                continue; // never pull a volume from under a pod
            }
            c.recorder().action(c.op(), ResourceAction.DELETE, "PersistentVolumeClaim", c.names().namespace(), name,
                    "ScaleIn: broker " + ordinal + " was drained, verified empty and removed", null);
            c.kube().persistentVolumeClaims().inNamespace(c.names().namespace()).withName(name).delete();
            deleted.add(name);
        }
        return deleted;
    }

    /** The broker count the reconciler may run: the spec's once the leaving brokers were verified empty (and still are). */
    int brokersAllowed(DriveContext c, int running) {
        if (!isDrained(c)) {
            return running;
        }
        return empty(c, leaving(c.state().getSpec().getBrokers(), running)) ? c.state().getSpec().getBrokers() : running;
    }

    /** The replicas of the brokers' StatefulSet as it stands, 0 without one. */
    private static int brokerReplicas(DriveContext c) {
        StatefulSet sts = c.kube().apps().statefulSets().inNamespace(c.names().namespace()).withName(c.names().statefulSet(KafkaRole.BROKER)).get();
        return sts == null || sts.getSpec().getReplicas() == null ? 0 : sts.getSpec().getReplicas();
    }

    private boolean isDrained(DriveContext c) {
        if (drained.contains(c.op().id())) {
            return true;
        }
        if (reopened.contains(c.op().id())) {
            return false;
        }
        boolean logged = c.loggedFinished(VERIFY);
        if (logged) {
            drained.add(c.op().id());
        }
        return logged;
    }

    static int running(DriveContext c) {
        ComponentStatus brokers = c.state().getStatus().getComponents().get(KafkaRole.BROKER.statusKey());
        return brokers == null ? c.state().getSpec().getBrokers() : brokers.getDesired();
    }

    static List<Integer> leaving(int wanted, int running) {
        List<Integer> out = new ArrayList<>();
        for (int i = wanted; i < running; i++) {
            out.add(KafkaRole.BROKER.nodeId(i));
        }
        return out;
    }

    private static Set<Integer> union(ClusterSnapshot s, DriveContext c) {
        Set<Integer> all = new TreeSet<>(s.brokers().keySet());
        all.addAll(ScaleOut.brokers(c));
        return all;
    }

    void forget(String operationId) {
        rebalance.forget(operationId);
        redrain.forget(operationId);
        cordons.remove(operationId);
        drainedOnce.remove(operationId);
        drained.remove(operationId);
        reopened.remove(operationId);
    }
}
