package io.coxswain.orchestrator.operations.drive;

import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.balance.BalancePlanner;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Scale-out: the reconciler has already added the pods; once every new broker is registered and
 * unfenced, data is balanced over all of them under a replication throttle.
 */
final class ScaleOut {

    static final String STEP = "rebalance";
    private final Rebalance rebalance = new Rebalance();

    Outcome step(DriveContext c) {
        ClusterPods pods = c.pods();
        Optional<ClusterPods.NodePod> down = pods.firstUnavailable();
        if (down.isPresent()) {
            return c.waitFor("add brokers", down.get().nodeId(), "pod " + down.get().name() + " Ready", "new broker pods starting");
        }
        List<Integer> wanted = brokers(c);
        ClusterSnapshot snapshot = ClusterSnapshot.read(c.admin(), c.settings().callTimeout());
        List<Integer> missing = wanted.stream().filter(b -> !snapshot.brokers().containsKey(b) || snapshot.brokers().get(b).fenced()).toList();
        if (!missing.isEmpty()) {
            return c.waitFor("add brokers", null, "brokers " + missing + " registered and unfenced", "not yet registered or fenced");
        }
        Optional<Outcome> moved = rebalance.step(c, STEP, s -> planner(c, s, wanted));
        return moved.orElseGet(() -> c.succeed("data balanced over brokers " + wanted));
    }

    static List<Integer> brokers(DriveContext c) {
        return IntStream.range(0, c.state().getSpec().getBrokers()).boxed().toList();
    }

    static BalancePlanner planner(DriveContext c, ClusterSnapshot s, List<Integer> brokers) {
        BalancePlanner p = BalancePlanner.over(brokers);
        return c.state().getSpec().getRackAware() ? p.racks(s.racks()) : p;
    }

    /** Whether the brokers of the spec hold the data unevenly enough that the planner would move some. */
    static boolean needed(DriveContext c) {
        ClusterSnapshot s = ClusterSnapshot.read(c.admin(), c.settings().callTimeout());
        List<Integer> wanted = brokers(c);
        if (!wanted.stream().allMatch(s.brokers()::containsKey) || s.assignments().isEmpty()) {
            return false;
        }
        boolean someEmpty = wanted.stream().anyMatch(b -> s.partitionsOn(b).isEmpty());
        return someEmpty && planner(c, s, wanted).plan(s.assignments()).replicaMoves() > 0;
    }

    void forget(String operationId) {
        rebalance.forget(operationId);
    }
}
