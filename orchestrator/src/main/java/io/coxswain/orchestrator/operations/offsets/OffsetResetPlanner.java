package io.coxswain.orchestrator.operations.offsets;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides a consumer group offset reset from what the executor found, doing nothing itself: the
 * plan (every partition's offset before and after) that is recorded before any offset moves, and
 * later whether that plan may still be committed. Kafka's own {@code kafka-consumer-groups
 * --reset-offsets} takes the same decisions; here each refusal says what to do.
 */
public final class OffsetResetPlanner {

    /**
     * A plan is recorded whole in one log record and kept in the cluster's state record until done, both under Kafka's
     * 1 MB default record size beside everything else: this bounds its encoded size (about 9,000 partitions of a few
     * topics; fewer for many topics of long names). The executor also keeps the plans outstanding on one cluster small
     * (see {@code OffsetResets}).
     */
    public static final int MAX_PLAN_BYTES = 192 * 1024;

    private OffsetResetPlanner() {
    }

    /** Either a plan or why there is none. */
    public record Planned(SortedMap<TopicPartition, OffsetMove> moves, String refusal) {

        /** A refusal: no moves, and why, for the person who asked. */
        public static Planned refused(String reason) {
            return new Planned(new TreeMap<>(BY_NAME), reason);
        }

        public boolean isRefused() {
            return refusal != null;
        }
    }

    /** Topic, then partition number: the order a plan is recorded and read in. */
    static final Comparator<TopicPartition> BY_NAME = Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public static <V> SortedMap<TopicPartition, V> sorted(Map<TopicPartition, V> byPartition) {
        SortedMap<TopicPartition, V> sorted = new TreeMap<>(BY_NAME);
        sorted.putAll(byPartition);
        return sorted;
    }

    /** A group with members is consuming: offsets committed under it would be overwritten by its next commit. */
    public static Optional<String> refuseActive(String group, Collection<String> members) {
        if (members.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("consumer group '" + group + "' has " + members.size() + " member(s) (" + String.join(", ",
                members.stream().sorted().limit(5).toList()) + (members.size() > 5 ? ", ..." : "") + "): stop its consumers, wait until"
                + " they have left the group (its session timeout at most), and ask again");
    }

    /**
     * @param partitions the partitions to reset, with what they hold
     * @param committed  the group's committed offsets (any partition)
     */
    public static Planned plan(String group, ResetTarget target, Map<TopicPartition, PartitionBounds> partitions,
                               Map<TopicPartition, Long> committed) {
        if (partitions.isEmpty()) {
            return Planned.refused("consumer group '" + group + "' has no committed offsets, so there is nothing to reset: name the"
                    + " topics to set its offsets on");
        }
        long bytes = encodedSize(partitions.keySet());
        if (bytes > MAX_PLAN_BYTES) {
            return Planned.refused("the reset covers " + partitions.size() + " partitions, a plan of about " + bytes / 1024 + " KiB in the log,"
                    + " more than the " + MAX_PLAN_BYTES / 1024 + " KiB one reset may take: name fewer topics per reset");
        }
        SortedMap<TopicPartition, OffsetMove> moves = new TreeMap<>(BY_NAME);
        for (Map.Entry<TopicPartition, PartitionBounds> e : sorted(partitions).entrySet()) {
            TopicPartition tp = e.getKey();
            PartitionBounds b = e.getValue();
            Long from = committed.get(tp);
            long to;
            switch (target.kind()) {
                case EARLIEST -> to = b.earliest();
                case LATEST -> to = b.latest();
                case DATETIME -> to = b.atTime() == null ? b.latest() : b.clamp(b.atTime());
                default -> {
                    if (from == null) {
                        return Planned.refused("partition " + tp + " has no committed offset of group '" + group + "' to shift from:"
                                + " reset it to EARLIEST, LATEST or a DATETIME instead, or leave its topic out");
                    }
                    to = b.clamp(shifted(from, target.shiftBy()));
                }
            }
            moves.put(tp, new OffsetMove(from, to));
        }
        return new Planned(moves, null);
    }

    /** An offset moved by {@code shift}, held at Long's bounds instead of wrapping round (a huge shift forward stays forward). */
    static long shifted(long from, long shift) {
        try {
            return Math.addExact(from, shift);
        } catch (ArithmeticException overflow) {
            return shift > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }

    /** Bytes a plan of these partitions takes in Avro, at most: each topic's name once, each partition's three numbers. */
    public static long encodedSize(Collection<TopicPartition> partitions) {
        long topics = partitions.stream().map(TopicPartition::topic).distinct().mapToLong(t -> t.length() + 8L).sum();
        return topics + 21L * partitions.size();
    }

    /** The partitions of the plan the group has at their target now: what an interrupted or partly refused commit got done. */
    public static SortedMap<TopicPartition, OffsetMove> atTarget(Map<TopicPartition, OffsetMove> plan, Map<TopicPartition, Long> committedNow) {
        SortedMap<TopicPartition, OffsetMove> there = new TreeMap<>(BY_NAME);
        plan.forEach((tp, move) -> {
            if (move.atTarget(committedNow.get(tp))) {
                there.put(tp, move);
            }
        });
        return there;
    }

    /**
     * The offsets to commit now: those of the plan not already at their target, provided every
     * partition is still where the plan found it or already where it sends it (a commit cut short
     * before it was recorded DONE). Anything else means someone moved the group since the plan: the
     * plan was worked out from offsets that are gone, so nothing is committed.
     */
    public static Planned toCommit(String group, Map<TopicPartition, OffsetMove> plan, Map<TopicPartition, Long> committedNow) {
        SortedMap<TopicPartition, OffsetMove> pending = new TreeMap<>(BY_NAME);
        for (Map.Entry<TopicPartition, OffsetMove> e : sorted(plan).entrySet()) {
            Long now = committedNow.get(e.getKey());
            OffsetMove move = e.getValue();
            if (move.atTarget(now)) {
                continue;
            }
            if (!move.stillAtFrom(now)) {
                return Planned.refused("consumer group '" + group + "' moved since the plan was recorded: partition " + e.getKey() + " is at "
                        + (now == null ? "no committed offset" : now) + ", planned from " + (move.from() == null ? "none" : move.from()) + " to "
                        + move.to() + " (a consumer ran since?): ask again to plan from where the group is now");
            }
            pending.put(e.getKey(), move);
        }
        return new Planned(pending, null);
    }
}
