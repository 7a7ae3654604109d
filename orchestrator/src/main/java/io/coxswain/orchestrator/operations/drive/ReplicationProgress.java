package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.TopicReplicationObserved;
import io.coxswain.avro.state.TopicReplicationStatus;
import io.coxswain.avro.state.TopicSpec;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How far each managed topic short of its replication factor got, from one look at the cluster: what
 * a {@code ReplicationObserved} records, so that {@code cox get} answers "is my ChangeReplicationFactor
 * done?" and the log shows when it was. Pure.
 */
final class ReplicationProgress {

    private ReplicationProgress() {
    }

    /**
     * @param live    the managed topics as described in this pass
     * @param moving  the partitions being reassigned now
     * @param blocked per topic, why no replica can be placed now
     * @return the topics with a partition of another size than the state's factor, or one being reassigned
     */
    static Map<String, TopicReplicationObserved> of(Map<String, TopicSpec> wanted, Map<String, TopicDescription> live, Set<TopicPartition> moving,
                                                    Map<String, String> blocked) {
        Map<String, Long> movingPerTopic = moving.stream().collect(Collectors.groupingBy(TopicPartition::topic, Collectors.counting()));
        Map<String, TopicReplicationObserved> progress = new TreeMap<>();
        live.forEach((topic, description) -> {
            int factor = wanted.get(topic).getReplicationFactor();
            int inFlight = movingPerTopic.getOrDefault(topic, 0L).intValue();
            int atFactor = (int) description.partitions().stream()
                    .filter(p -> p.replicas().size() == factor && !moving.contains(new TopicPartition(topic, p.partition()))).count();
            if (atFactor < description.partitions().size()) {
                progress.put(topic, new TopicReplicationObserved(factor, description.partitions().size(), atFactor, inFlight, blocked.get(topic)));
            }
        });
        return progress;
    }

    /** Whether the folded state already says what {@code observed} does (when each was seen aside). */
    static boolean sameAs(Map<String, TopicReplicationObserved> observed, Map<String, TopicReplicationStatus> folded) {
        Map<String, TopicReplicationObserved> said = new TreeMap<>();
        folded.forEach((topic, f) -> said.put(topic, new TopicReplicationObserved(f.getFactor(), f.getPartitions(), f.getAtFactor(), f.getMoving(),
                f.getBlocked())));
        return said.equals(observed);
    }

    /** "orders 3: 4 of 12 partitions, 2 moving": for the log. */
    static String describe(Map<String, TopicReplicationObserved> progress) {
        if (progress.isEmpty()) {
            return "every managed topic has its replication factor";
        }
        return progress.entrySet().stream().map(e -> e.getKey() + " to factor " + e.getValue().getFactor() + ": " + e.getValue().getAtFactor()
                + " of " + e.getValue().getPartitions() + " partitions, " + e.getValue().getMoving() + " moving"
                + (e.getValue().getBlocked() == null ? "" : ", held: " + e.getValue().getBlocked())).collect(Collectors.joining("; "));
    }
}
