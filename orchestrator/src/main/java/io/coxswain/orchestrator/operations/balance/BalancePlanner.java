package io.coxswain.orchestrator.operations.balance;

import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.Decision;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Computes a target assignment that spreads replicas and preferred leaders evenly over the given
 * brokers (and over racks, when every broker has one), copying as little data as possible. Pure
 * and deterministic: the same input gives the same plan, so a resumed operation recomputes the
 * plan it recorded.
 *
 * <p>Steps, each moving only what it must:
 * <ol>
 *   <li>replicas on brokers being drained (or no longer present) are dropped and re-placed on the
 *       least-loaded remaining broker that does not hold the partition (and, rack-aware, whose rack
 *       it does not use yet), keeping the slot so a drained leader's replacement leads;
 *   <li>rack-aware only: a partition whose replicas share racks while other racks are free gets
 *       the duplicate replaced with one on a free rack;
 *   <li>while some broker holds two or more replicas more than another, one replica moves from
 *       the most to the least loaded broker, preferring a follower over a leader. Each move lowers
 *       the spread, so no replica moves twice and no broker both gains and loses replicas;
 *   <li>preferred leaders are balanced by reordering replica lists only (no data moves).
 * </ol>
 */
public final class BalancePlanner {

    private final SortedMap<Integer, String> racks;
    private final Set<Integer> brokers;
    private final Set<Integer> draining;
    private final boolean level;

    private BalancePlanner(Set<Integer> brokers, Map<Integer, String> racks, Set<Integer> draining, boolean level) {
        this.brokers = new TreeSet<>(brokers);
        this.racks = new TreeMap<>(racks);
        this.draining = new TreeSet<>(draining);
        this.level = level;
    }

    /** Balance over these brokers (registered ones, new ones included). */
    public static BalancePlanner over(Collection<Integer> brokers) {
        return new BalancePlanner(new TreeSet<>(brokers), Map.of(), Set.of(), true);
    }

    public BalancePlanner racks(Map<Integer, String> racks) {
        return new BalancePlanner(brokers, racks, draining, level);
    }

    /** Brokers to empty before they are removed; they receive nothing and keep nothing. */
    public BalancePlanner draining(Collection<Integer> toRemove) {
        return new BalancePlanner(brokers, racks, new TreeSet<>(toRemove), level);
    }

    /**
     * Only the first step: the replicas off the drained (or absent) brokers, each re-placed as there; every other
     * partition keeps its replicas and their order. What a scale-in moves when replicas come back onto a broker it
     * already drained: exactly those, not a second levelling of the whole cluster.
     */
    public BalancePlanner replacingOnly() {
        return new BalancePlanner(brokers, racks, draining, false);
    }

    /** The brokers that will hold replicas. */
    public Set<Integer> targetBrokers() {
        Set<Integer> target = new TreeSet<>(brokers);
        target.removeAll(draining);
        return target;
    }

    /**
     * Can the remaining brokers hold every partition? Scale-in must be refused (and recorded) when
     * a topic's replication factor exceeds the brokers that would remain.
     */
    public Decision feasibility(Map<TopicPartition, List<Integer>> current) {
        int remaining = targetBrokers().size();
        Map<String, Integer> tooWide = new TreeMap<>();
        current.forEach((tp, replicas) -> {
            if (replicas.size() > remaining) {
                tooWide.merge(tp.topic(), replicas.size(), Math::max);
            }
        });
        if (tooWide.isEmpty()) {
            return Decision.go("BalanceFeasible", remaining + " broker(s) " + targetBrokers() + " can hold every partition");
        }
        List<String> findings = new ArrayList<>();
        tooWide.forEach((topic, rf) -> findings.add("topic " + topic + " has replication factor " + rf));
        return Decision.blocked("BalanceFeasible", "only " + remaining + " broker(s) " + targetBrokers()
                + " would remain, fewer than the replication factor of " + tooWide.size() + " topic(s)", findings);
    }

    public BalancePlan plan(Map<TopicPartition, List<Integer>> current) {
        Decision feasible = feasibility(current);
        if (!feasible.allowed()) {
            throw new IllegalArgumentException(feasible.reason());
        }
        Layout layout = new Layout(targetBrokers(), rackAware() ? racks : Map.of(), current);
        layout.replaceMissing();
        if (!level) {
            return new BalancePlan(ClusterSnapshot.sorted(current), layout.assignment());
        }
        if (rackAware()) {
            layout.spreadRacks();
        }
        layout.levelReplicas();
        layout.cancelDetours();
        layout.levelLeaders();
        return new BalancePlan(ClusterSnapshot.sorted(current), layout.assignment());
    }

    /** Rack awareness needs a rack for every target broker; a partial map would skew placement. */
    private boolean rackAware() {
        return !racks.isEmpty() && targetBrokers().stream().allMatch(racks::containsKey);
    }
}
