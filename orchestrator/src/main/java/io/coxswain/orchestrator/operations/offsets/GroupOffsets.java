package io.coxswain.orchestrator.operations.offsets;

import io.coxswain.orchestrator.operations.AdminCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** What a reset reads of a managed cluster, and its one write: thin Admin calls, each with the pass's deadline. */
public final class GroupOffsets {

    private final Admin admin;
    private final Duration timeout;

    public GroupOffsets(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** The group's members as {@code clientId@host}; none for a group that is empty or does not exist. */
    public List<String> members(String group) {
        try {
            ConsumerGroupDescription d = AdminCalls.await("describe consumer group '" + group + "'",
                    admin.describeConsumerGroups(List.of(group)).describedGroups().get(group), timeout);
            return d.members().stream().map(m -> m.clientId() + "@" + m.host()).toList();
        } catch (AdminCalls.AdminCallFailed e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of(); // a group of the new protocol that never existed: no one to stop
            }
            throw e;
        }
    }

    /** The group's committed offsets, on every partition it has one. */
    public Map<TopicPartition, Long> committed(String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets = AdminCalls.await("committed offsets of consumer group '" + group + "'",
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), timeout);
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null) {
                committed.put(tp, o.offset());
            }
        });
        return committed;
    }

    /** Every partition of these topics; the topics the cluster does not have are in {@code missing}. */
    public record Partitions(Set<TopicPartition> partitions, Set<String> missing) {
    }

    public Partitions partitionsOf(Collection<String> topics) {
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
        Set<TopicPartition> partitions = new HashSet<>();
        Set<String> missing = new TreeSet<>();
        described.forEach((topic, future) -> {
            try {
                AdminCalls.await("describe topic '" + topic + "'", future, timeout).partitions()
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            } catch (AdminCalls.AdminCallFailed e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                missing.add(topic);
            }
        });
        return new Partitions(partitions, missing);
    }

    /** Each partition's earliest and latest offsets, and with {@code atTime} its first offset at or after that time. */
    public Map<TopicPartition, PartitionBounds> bounds(Set<TopicPartition> partitions, Instant atTime) {
        Map<TopicPartition, ListOffsetsResultInfo> earliest = list(partitions, OffsetSpec.earliest(), "earliest");
        Map<TopicPartition, ListOffsetsResultInfo> latest = list(partitions, OffsetSpec.latest(), "latest");
        Map<TopicPartition, ListOffsetsResultInfo> timed = atTime == null ? Map.of()
                : list(partitions, OffsetSpec.forTimestamp(atTime.toEpochMilli()), "first at or after " + atTime);
        return partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> {
            ListOffsetsResultInfo at = timed.get(tp);
            return new PartitionBounds(earliest.get(tp).offset(), latest.get(tp).offset(), at == null || at.offset() < 0 ? null : at.offset());
        }));
    }

    /** Sets the group's committed offsets: one OffsetCommit to its coordinator, which writes them in one append. */
    public void commit(String group, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commits = offsets.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
        AdminCalls.await("commit offsets of consumer group '" + group + "'", admin.alterConsumerGroupOffsets(group, commits).all(), timeout);
    }

    private Map<TopicPartition, ListOffsetsResultInfo> list(Set<TopicPartition> partitions, OffsetSpec spec, String which) {
        Map<TopicPartition, OffsetSpec> asked = partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec));
        return AdminCalls.await(which + " offsets of " + partitions.size() + " partition(s)", admin.listOffsets(asked).all(), timeout);
    }
}
