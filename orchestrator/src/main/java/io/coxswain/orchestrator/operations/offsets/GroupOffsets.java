package io.coxswain.orchestrator.operations.offsets;

import io.coxswain.orchestrator.operations.AdminCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.IsolationLevel;
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

    /**
     * Why the group is not one whose offsets a consumer group reset may set, if it is not: a Kafka Streams or a share
     * group keeps its offsets its own way, a classic group of another protocol (a Connect cluster's workers) is no
     * consumer group at all. None for a consumer group, classic or of the new protocol, or a group that does not exist.
     */
    public Optional<String> refuseKind(String group) {
        Collection<GroupListing> groups = AdminCalls.await("list groups", admin.listGroups().all(), timeout);
        Optional<GroupListing> found = groups.stream().filter(g -> g.groupId().equals(group)).findFirst();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        GroupType type = found.get().type().orElse(GroupType.CLASSIC);
        String protocol = found.get().protocol();
        return switch (type) {
            case CONSUMER -> Optional.empty();
            case CLASSIC -> protocol == null || protocol.isEmpty() || protocol.equals("consumer") ? Optional.empty()
                    : Optional.of("group '" + group + "' is not a consumer group (its members speak the '" + protocol + "' protocol: a"
                    + " Connect cluster's workers, say): its offsets are not a reset's to set");
            case STREAMS -> Optional.of("group '" + group + "' is a Kafka Streams group, whose offsets go with its state stores:"
                    + " reset it with kafka-streams-application-reset, not as a consumer group");
            case SHARE -> Optional.of("group '" + group + "' is a share group: its start offsets are set with kafka-share-groups"
                    + " --reset-offsets, not as a consumer group's");
            default -> Optional.of("group '" + group + "' is of a kind this Kafka does not name (" + type + "): not reset");
        };
    }

    /** The group's members as {@code clientId@host}; none for a group that is empty or does not exist. */
    public List<String> members(String group) {
        try {
            ConsumerGroupDescription d = AdminCalls.await("describe consumer group '" + group + "'",
                    admin.describeConsumerGroups(List.of(group)).describedGroups().get(group), timeout);
            return d.members().stream().map(m -> m.clientId() + "@" + m.host()).toList();
        } catch (AdminCalls.AdminCallFailed e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of(); // a group of the new protocol that never existed (refuseKind ruled out the other kinds)
            }
            throw e;
        }
    }

    /**
     * The group's committed offsets, on every partition it has one. Stable ones only: an offset committed in a
     * transaction not yet ended is waited for (the call fails and the pass tries again), never planned around.
     */
    public Map<TopicPartition, Long> committed(String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets = AdminCalls.await("committed offsets of consumer group '" + group + "'",
                admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(true))
                        .partitionsToOffsetAndMetadata(), timeout);
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

    /**
     * Each partition's earliest and latest offsets, and with {@code atTime} its first offset at or after that time. The
     * latest is the last stable offset: a read_committed consumer set beyond an open transaction would skip its records.
     */
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

    /**
     * Sets the group's committed offsets in one OffsetCommit to its coordinator.
     *
     * @return the partitions whose offset was not committed, with why; empty when all were. A failure of the whole
     *         request (the group busy, no coordinator, no answer) throws instead
     */
    public SortedMap<TopicPartition, String> commit(String group, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commits = offsets.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
        AlterConsumerGroupOffsetsResult result = admin.alterConsumerGroupOffsets(group, commits);
        SortedMap<TopicPartition, String> failed = OffsetResetPlanner.sorted(Map.of());
        AdminCalls.AdminCallFailed last = null;
        for (TopicPartition tp : commits.keySet()) {
            try {
                AdminCalls.await("commit the offset of consumer group '" + group + "' on " + tp, result.partitionResult(tp), timeout);
            } catch (AdminCalls.AdminCallFailed e) {
                failed.put(tp, e.getCause() == null ? e.getMessage() : e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
                last = e;
            }
        }
        if (last != null && failed.size() == commits.size()) {
            throw last; // nothing committed: the request as a whole failed, or every partition did
        }
        return failed;
    }

    private Map<TopicPartition, ListOffsetsResultInfo> list(Set<TopicPartition> partitions, OffsetSpec spec, String which) {
        Map<TopicPartition, OffsetSpec> asked = partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec));
        return AdminCalls.await(which + " offsets of " + partitions.size() + " partition(s)",
                admin.listOffsets(asked, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), timeout);
    }
}
