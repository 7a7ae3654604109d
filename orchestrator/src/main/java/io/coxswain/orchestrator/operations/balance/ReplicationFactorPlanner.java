package io.coxswain.orchestrator.operations.balance;

import io.coxswain.orchestrator.operations.ClusterSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The replica lists a topic gets when its replication factor changes, copying as little as it can.
 * Pure and deterministic: the same input gives the same lists, so a pass that finds the change not
 * made yet plans the same one again.
 *
 * <ul>
 *   <li>Raising keeps the current replicas, in their order (the preferred leader stays), and adds
 *       the brokers with the fewest replicas of the whole cluster, a rack the partition does not use
 *       yet first when the brokers have racks, the lower broker id on a tie. Each replica added counts
 *       at once, so a topic's new replicas spread instead of all landing on the emptiest broker.
 *   <li>Lowering drops the replicas out of the ISR first, then from the end of the list, never the
 *       partition's current leader (nor, with no leader known, its preferred one): clients keep their
 *       leader, no data moves, and every replica still in sync is kept while it can be, so the
 *       partition is not left with fewer in-sync replicas than it had (an acks=all producer stops
 *       below min.insync.replicas).
 * </ul>
 */
public final class ReplicationFactorPlanner {

    private final Set<Integer> brokers;
    private final Map<Integer, String> racks;
    private final Map<Integer, Integer> load = new TreeMap<>();

    /**
     * @param brokers     the brokers replicas may be added to (registered, not fenced)
     * @param racks       the racks of those that have one
     * @param assignments every partition's replicas on the cluster, all topics: the load new replicas even out
     */
    public ReplicationFactorPlanner(Set<Integer> brokers, Map<Integer, String> racks, Map<TopicPartition, List<Integer>> assignments) {
        this.brokers = new TreeSet<>(brokers);
        this.racks = Map.copyOf(racks);
        this.brokers.forEach(b -> load.put(b, 0));
        assignments.values().forEach(rs -> rs.forEach(r -> load.computeIfPresent(r, (b, n) -> n + 1)));
    }

    /**
     * The new replica lists of the partitions of {@code replicas} that have not {@code replicationFactor}
     * replicas, in partition order; empty when there are too few brokers to raise them all.
     *
     * @param leaders   the current leader of each partition that has one
     * @param outOfSync the replicas of each partition that are not in its ISR (none listed: all in sync)
     */
    public Optional<SortedMap<TopicPartition, List<Integer>>> plan(Map<TopicPartition, List<Integer>> replicas,
                                                                  Map<TopicPartition, Integer> leaders,
                                                                  Map<TopicPartition, List<Integer>> outOfSync, int replicationFactor) {
        SortedMap<TopicPartition, List<Integer>> targets = new TreeMap<>(ClusterSnapshot.ORDER);
        for (Map.Entry<TopicPartition, List<Integer>> e : ClusterSnapshot.sorted(replicas).entrySet()) {
            if (e.getValue().size() != replicationFactor) {
                Integer leader = leaders.get(e.getKey());
                OptionalInt kept = leader == null ? OptionalInt.empty() : OptionalInt.of(leader);
                Optional<List<Integer>> target = resize(e.getValue(), kept, outOfSync.getOrDefault(e.getKey(), List.of()), replicationFactor);
                if (target.isEmpty()) {
                    return Optional.empty();
                }
                targets.put(e.getKey(), target.get());
            }
        }
        return Optional.of(targets);
    }

    /** One partition's new list; empty when fewer brokers than asked for can hold it. */
    Optional<List<Integer>> resize(List<Integer> current, OptionalInt leader, List<Integer> outOfSync, int replicationFactor) {
        List<Integer> target = new ArrayList<>(current);
        if (target.size() > replicationFactor) {
            int keep = leader.isPresent() && current.contains(leader.getAsInt()) ? leader.getAsInt() : current.get(0);
            List<Integer> dropOrder = new ArrayList<>(current);
            Collections.reverse(dropOrder);
            dropOrder.sort(Comparator.comparing(r -> !outOfSync.contains(r))); // stable: out of sync first, each group from the end
            for (Integer r : dropOrder) {
                if (target.size() > replicationFactor && r != keep) {
                    target.remove(r);
                    load.computeIfPresent(r, (b, n) -> n - 1);
                }
            }
            return Optional.of(List.copyOf(target));
        }
        while (target.size() < replicationFactor) {
            Set<String> usedRacks = new TreeSet<>();
            target.forEach(r -> Optional.ofNullable(racks.get(r)).ifPresent(usedRacks::add));
            Optional<Integer> next = brokers.stream().filter(b -> !target.contains(b))
                    .min(Comparator.<Integer>comparingInt(b -> racks.containsKey(b) && usedRacks.contains(racks.get(b)) ? 1 : 0)
                            .thenComparingInt(load::get).thenComparing(Comparator.naturalOrder()));
            if (next.isEmpty()) {
                return Optional.empty();
            }
            target.add(next.get());
            load.merge(next.get(), 1, Integer::sum);
        }
        return Optional.of(List.copyOf(target));
    }
}
