package io.coxswain.orchestrator.operations.drive;

import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.ClusterSnapshot.PartitionState;
import io.coxswain.orchestrator.operations.balance.BalancePlanner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A scale-in's answer to replicas that come back onto a broker it has drained: a topic or partitions created meanwhile (by an
 * application, auto-created or not, or by hand) or a reassignment made by someone else. Exactly those replicas are moved off
 * again ({@link BalancePlanner#replacingOnly}), in a step that names them, at most {@link #LIMIT} times per operation; after
 * that the operation fails and says what keeps placing them there. Counted in memory: an executor that restarts counts afresh.
 */
final class Redrain {

    static final String STEP = "drain again";
    static final int LIMIT = 3;
    /** Partitions named per topic and broker in a step; the count says the rest. */
    private static final int NAMED = 10;

    private final Rebalance rebalance = new Rebalance();
    /** Per operation: the plans submitted so far. */
    private final Map<String, Integer> plans = new ConcurrentHashMap<>();

    /**
     * @param drain the scale-in's planner: every broker, the leaving ones draining
     * @return empty once the leaving brokers hold no replica and no plan of this step moves (its throttles then removed);
     *         else what the step came to
     */
    Optional<Outcome> step(DriveContext c, List<Integer> leaving, Function<ClusterSnapshot, BalancePlanner> drain) {
        String id = c.op().id();
        Function<ClusterSnapshot, BalancePlanner> replacing = s -> drain.apply(s).replacingOnly();
        if (rebalance.executing(id)) {
            return rebalance.step(c, STEP, replacing, c.settings().throttleBytes());
        }
        List<PartitionState> found = ClusterSnapshot.read(c.admin(), c.settings().callTimeout()).partitions().values().stream()
                .filter(p -> p.replicas().stream().anyMatch(leaving::contains)).toList();
        if (found.isEmpty()) {
            // nothing there: a reassignment of someone else's is waited for, and the throttles of the last move are removed
            return rebalance.step(c, STEP, replacing, c.settings().throttleBytes());
        }
        int submitted = plans.getOrDefault(id, 0);
        String what = found(found, leaving);
        if (submitted >= LIMIT) {
            return Optional.of(c.fail(STEP, null, what + ", though " + LIMIT + " re-drains moved such replicas off already. Something keeps"
                    + " placing replicas on the leaving brokers: an application creating topics or partitions with an explicit replica"
                    + " assignment naming them, or reassignments made outside Coxswain. Stop it (or have it assign brokers below "
                    + Collections.min(leaving) + " only), then retry the scale-in"));
        }
        Optional<Outcome> moved = rebalance.step(c, STEP, replacing, c.settings().throttleBytes(),
                what + "; moving them (re-drain " + (submitted + 1) + " of at most " + LIMIT + ")");
        if (rebalance.executing(id)) {
            plans.put(id, submitted + 1);
        }
        return moved;
    }

    /**
     * "3 partitions of topic orders (orders-0, orders-1, orders-2) were placed on leaving broker 4 after the drain": per leaving
     * broker and topic, in order, up to {@value #NAMED} partitions named each.
     */
    static String found(List<PartitionState> partitions, List<Integer> leaving) {
        List<String> groups = new ArrayList<>();
        for (int broker : leaving.stream().sorted().toList()) {
            Map<String, List<String>> byTopic = new TreeMap<>();
            partitions.stream().filter(p -> p.replicas().contains(broker)).sorted((a, b) -> ClusterSnapshot.ORDER.compare(a.partition(), b.partition()))
                    .forEach(p -> byTopic.computeIfAbsent(p.partition().topic(), t -> new ArrayList<>()).add(p.partition().toString()));
            byTopic.forEach((topic, names) -> groups.add(names.size() + (names.size() == 1 ? " partition" : " partitions") + " of topic " + topic
                    + " (" + String.join(", ", names.subList(0, Math.min(NAMED, names.size())))
                    + (names.size() > NAMED ? " and " + (names.size() - NAMED) + " more" : "") + ") "
                    + (names.size() == 1 ? "was" : "were") + " placed on leaving broker " + broker + " after the drain"));
        }
        return String.join("; ", groups);
    }

    void forget(String operationId) {
        rebalance.forget(operationId);
        plans.remove(operationId);
    }
}
