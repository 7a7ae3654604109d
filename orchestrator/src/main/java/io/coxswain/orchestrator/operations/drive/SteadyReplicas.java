package io.coxswain.orchestrator.operations.drive;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which topics off their replication factor have looked the same two passes in a row, with no reassignment of theirs listed
 * in either: only those are changed ({@link ReplicationFactorSync}). While a reassignment moves a partition (Coxswain's own,
 * or one made by hand with kafka-reassign-partitions), its replicas are the old and the new ones together, which reads as
 * another factor. Kafka lists the move while it runs, but describeTopics is answered from a broker's metadata, which can lag
 * the controller that answers listPartitionReassignments: a move the controller calls done, or one begun after the listing,
 * can still be described mid-way. Such a view passes; a factor that really differs stays, and is changed one pass later.
 */
final class SteadyReplicas {

    /** Per cluster, the replica lists of the topics the last pass found off their factor with nothing moving them, and only those. */
    private final Map<String, Map<String, Map<TopicPartition, List<Integer>>>> lastLook = new ConcurrentHashMap<>();

    /**
     * @param seen this pass's look at the topics off their factor that no reassignment moves, each partition's replicas; kept,
     *             in place of the last pass's, for the next pass to compare with
     * @return the topics of {@code seen} the last pass saw with the very same replicas
     */
    Set<String> steady(String cluster, Map<String, Map<TopicPartition, List<Integer>>> seen) {
        Map<String, Map<TopicPartition, List<Integer>>> before = seen.isEmpty() ? lastLook.remove(cluster)
                : lastLook.put(cluster, new ConcurrentHashMap<>(seen));
        Set<String> steady = new TreeSet<>();
        seen.forEach((topic, replicas) -> {
            if (before != null && replicas.equals(before.get(topic))) {
                steady.add(topic);
            }
        });
        return steady;
    }

    /** A reassignment of {@code topic} was submitted: a broker may still describe it as before, so its next look is a first one. */
    void submitted(String cluster, String topic) {
        Map<String, Map<TopicPartition, List<Integer>>> looked = lastLook.get(cluster);
        if (looked != null) {
            looked.remove(topic);
        }
    }

    void forget(String cluster) {
        lastLook.remove(cluster);
    }
}
