package io.coxswain.orchestrator.operations.balance;

import io.coxswain.orchestrator.operations.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * A target assignment and how it differs from the current one. {@link #changes()} is what goes to
 * {@code alterPartitionReassignments}: only partitions whose replica list changes, including
 * those that only change order (a new preferred leader, no data copied).
 */
public record BalancePlan(SortedMap<TopicPartition, List<Integer>> current, SortedMap<TopicPartition, List<Integer>> target) {

    public BalancePlan {
        current = ClusterSnapshot.sorted(current);
        target = ClusterSnapshot.sorted(target);
    }

    public SortedMap<TopicPartition, List<Integer>> changes() {
        SortedMap<TopicPartition, List<Integer>> changes = new TreeMap<>(ClusterSnapshot.ORDER);
        target.forEach((tp, replicas) -> {
            if (!replicas.equals(current.get(tp))) {
                changes.put(tp, replicas);
            }
        });
        return changes;
    }

    /** Replicas that must be copied to a broker that does not have them: the data that moves. */
    public int replicaMoves() {
        int moves = 0;
        for (Map.Entry<TopicPartition, List<Integer>> e : target.entrySet()) {
            List<Integer> before = current.get(e.getKey());
            moves += (int) e.getValue().stream().filter(r -> !before.contains(r)).count();
        }
        return moves;
    }

    /** Partitions whose preferred leader (first replica) changes. */
    public int leaderChanges() {
        return (int) target.entrySet().stream().filter(e -> !e.getValue().get(0).equals(current.get(e.getKey()).get(0))).count();
    }

    public boolean isEmpty() {
        return changes().isEmpty();
    }

    /** Replicas per broker in the target. */
    public SortedMap<Integer, Integer> replicasPerBroker() {
        SortedMap<Integer, Integer> counts = new TreeMap<>();
        target.values().forEach(rs -> rs.forEach(r -> counts.merge(r, 1, Integer::sum)));
        return counts;
    }

    /** Preferred leaders per broker in the target. */
    public SortedMap<Integer, Integer> leadersPerBroker() {
        SortedMap<Integer, Integer> counts = new TreeMap<>();
        target.values().forEach(rs -> counts.merge(rs.get(0), 1, Integer::sum));
        return counts;
    }

    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add(changes().size() + " of " + target.size() + " partition(s) change");
        parts.add(replicaMoves() + " replica(s) copied");
        parts.add(leaderChanges() + " preferred leader(s) change");
        parts.add("replicas per broker " + replicasPerBroker());
        parts.add("leaders per broker " + leadersPerBroker());
        return String.join(", ", parts);
    }
}
