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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;

/**
 * Scale-in, in the reverse direction of a scale-out: drain the highest ordinals, verify they hold
 * no replica, let the reconciler lower the broker count ({@link #brokersAllowed}), then unregister
 * the removed brokers from the quorum and delete their volumes. A broker is never removed while it
 * holds a replica.
 */
final class ScaleIn {

    static final String DRAIN = "drain";
    static final String VERIFY = "verify drained";
    static final String REMOVE = "remove brokers";
    static final String UNREGISTER = "unregister";
    static final String DELETE_VOLUMES = "delete volumes";

    private final Rebalance rebalance = new Rebalance();
    /** Operations whose brokers were verified empty (the log says the same once folded). */
    private final Set<String> drained = ConcurrentHashMap.newKeySet();

    Outcome step(DriveContext c) {
        List<Integer> leaving = leaving(c.state().getSpec().getBrokers(), running(c));
        if (!isDrained(c)) {
            Optional<Outcome> moved = rebalance.step(c, DRAIN, s -> BalancePlanner.over(union(s, c)).draining(leaving),
                    c.settings().throttleBytes());
            if (moved.isPresent()) {
                return moved.get();
            }
            for (int broker : leaving) {
                Decision empty = BrokerHoldsNoReplicas.of(broker).check(c.admin(), c.settings().callTimeout());
                if (!empty.allowed()) {
                    return c.waitFor(VERIFY, broker, "broker " + broker + " empty", empty.reason());
                }
            }
            c.recorder().step(c.op(), VERIFY, StepState.FINISHED, null, "brokers " + leaving + " hold no replica", null, null);
            drained.add(c.op().id());
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
            if (brokerReplicas(c) > c.state().getSpec().getBrokers()) {
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
        for (int broker : leaving(c.state().getSpec().getBrokers(), running)) {
            if (!BrokerHoldsNoReplicas.of(broker).check(c.admin(), c.settings().callTimeout()).allowed()) {
                return running;
            }
        }
        return c.state().getSpec().getBrokers();
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
        drained.remove(operationId);
    }
}
