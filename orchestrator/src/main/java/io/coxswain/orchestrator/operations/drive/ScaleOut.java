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
        List<Integer> wanted = brokers(c);
        Optional<Outcome> waiting = awaitBrokers(c, "add brokers", "new broker pods starting");
        if (waiting.isPresent()) {
            return waiting.get();
        }
        Optional<Outcome> moved = rebalance.step(c, STEP, s -> planner(c, s, wanted), c.settings().throttleBytes());
        return moved.orElseGet(() -> c.succeed("data balanced over brokers " + wanted));
    }

    /** Waits (in {@code step}) until every broker of the spec has its pod Ready and is registered and unfenced: data lands on none other. */
    static Optional<Outcome> awaitBrokers(DriveContext c, String step, String why) {
        Optional<ClusterPods.NodePod> down = c.pods().firstUnavailable();
        if (down.isPresent()) {
            return Optional.of(c.waitFor(step, down.get().nodeId(), "pod " + down.get().name() + " Ready", why));
        }
        ClusterSnapshot snapshot = ClusterSnapshot.read(c.admin(), c.settings().callTimeout());
        List<Integer> missing = brokers(c).stream().filter(b -> !snapshot.brokers().containsKey(b) || snapshot.brokers().get(b).fenced()).toList();
        if (!missing.isEmpty()) {
            return Optional.of(c.waitFor(step, null, "brokers " + missing + " registered and unfenced", "not yet registered or fenced"));
        }
        return Optional.empty();
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
