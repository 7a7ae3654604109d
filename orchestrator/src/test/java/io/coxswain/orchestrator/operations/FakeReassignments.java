package io.coxswain.orchestrator.operations;

import static io.coxswain.orchestrator.operations.FakeAdmin.done;
import static io.coxswain.orchestrator.operations.FakeAdmin.failed;
import static io.coxswain.orchestrator.operations.FakeAdmin.result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.AlterPartitionReassignmentsOptions;
import org.apache.kafka.clients.admin.AlterPartitionReassignmentsResult;
import org.apache.kafka.clients.admin.ListPartitionReassignmentsOptions;
import org.apache.kafka.clients.admin.ListPartitionReassignmentsResult;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The partition reassignments of a {@link FakeKafka} in flight ({@link FakeAdmin} routes listPartitionReassignments and
 * alterPartitionReassignments here): submitted ones move until a test finishes them, or after a number of polls.
 */
final class FakeReassignments {

    private final FakeKafka kafka;
    private final Map<TopicPartition, List<Integer>> reassigning = new LinkedHashMap<>();
    private int pollsUntilDone = Integer.MAX_VALUE;
    private int polls;

    FakeReassignments(FakeKafka kafka) {
        this.kafka = kafka;
    }

    void finishAfterPolls(int count) {
        pollsUntilDone = count;
    }

    Map<TopicPartition, List<Integer>> reassigning() {
        return reassigning;
    }

    /** Completes every reassignment in flight: the new replicas are the assignment and all in sync. */
    void finish() {
        reassigning.forEach((tp, target) -> {
            FakeKafka.Part p = kafka.partition(tp.topic(), tp.partition());
            p.replicas = List.copyOf(target);
            p.isr = List.copyOf(target);
            p.leader = p.leader != null && target.contains(p.leader) ? p.leader : target.get(0);
        });
        reassigning.clear();
    }

    public ListPartitionReassignmentsResult listPartitionReassignments(Optional<Set<TopicPartition>> partitions,
            ListPartitionReassignmentsOptions options) {
        if (!reassigning.isEmpty() && ++polls >= pollsUntilDone) {
            finish();
            polls = 0;
        }
        Map<TopicPartition, PartitionReassignment> result = new LinkedHashMap<>();
        reassigning.forEach((tp, target) -> {
            if (partitions.isEmpty() || partitions.get().contains(tp)) {
                List<Integer> current = kafka.partition(tp.topic(), tp.partition()).replicas;
                List<Integer> adding = target.stream().filter(r -> !current.contains(r)).toList();
                List<Integer> removing = current.stream().filter(r -> !target.contains(r)).toList();
                List<Integer> all = new ArrayList<>(target);
                removing.forEach(all::add);
                result.put(tp, new PartitionReassignment(all, adding, removing));
            }
        });
        return result(ListPartitionReassignmentsResult.class, done(result));
    }

    /** Counted per topic, once per call ({@link FakeKafka#calls}); fails a topic's partitions as {@link FakeKafka#failTopicCall} says. */
    public AlterPartitionReassignmentsResult alterPartitionReassignments(Map<TopicPartition, Optional<NewPartitionReassignment>> changes,
            AlterPartitionReassignmentsOptions options) {
        Map<TopicPartition, KafkaFuture<Void>> futures = new LinkedHashMap<>();
        Map<String, Optional<Throwable>> failures = new LinkedHashMap<>();
        changes.keySet().forEach(tp -> failures.computeIfAbsent(tp.topic(), t -> kafka.topicCall("alterPartitionReassignments", t)));
        changes.forEach((tp, target) -> {
            if (kafka.partitionOrNull(tp.topic(), tp.partition()) == null) {
                futures.put(tp, failed(new UnknownTopicOrPartitionException(tp + " does not exist")));
            } else if (failures.get(tp.topic()).isPresent()) {
                futures.put(tp, failed(failures.get(tp.topic()).get()));
            } else {
                target.ifPresentOrElse(t -> reassigning.put(tp, List.copyOf(t.targetReplicas())), () -> reassigning.remove(tp));
                futures.put(tp, done(null));
            }
        });
        return result(AlterPartitionReassignmentsResult.class, futures);
    }
}
