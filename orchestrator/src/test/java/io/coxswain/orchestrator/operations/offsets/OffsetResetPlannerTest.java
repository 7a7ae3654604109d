package io.coxswain.orchestrator.operations.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.operations.offsets.OffsetResetPlanner.Planned;
import io.coxswain.orchestrator.operations.offsets.ResetTarget.Kind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The decisions of a consumer group offset reset, as {@code kafka-consumer-groups --reset-offsets}
 * takes them: where each target sends a partition, kept within what the partition holds; a shift
 * needs an offset to shift from; a plan is committed only over offsets still where it found them.
 */
class OffsetResetPlannerTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    /** Partition 0 holds 10-99 and has a record at or after the reset's time from offset 40; partition 1 holds 0-49 and none that recent. */
    private static final Map<TopicPartition, PartitionBounds> BOUNDS = Map.of(P0, new PartitionBounds(10, 100, 40L), P1, new PartitionBounds(0, 50, null));
    private static final Map<TopicPartition, Long> COMMITTED = Map.of(P0, 80L);

    private static Map<TopicPartition, OffsetMove> plan(ResetTarget target, Map<TopicPartition, Long> committed) {
        Planned p = OffsetResetPlanner.plan("billing", target, BOUNDS, committed);
        assertThat(p.refusal()).isNull();
        return p.moves();
    }

    @Test
    void eachTargetSendsEveryPartitionWhereKafkasToolWouldAndRecordsWhereItWas() {
        assertThat(plan(new ResetTarget(Kind.EARLIEST, null, null), COMMITTED))
                .containsExactly(Map.entry(P0, new OffsetMove(80L, 10)), Map.entry(P1, new OffsetMove(null, 0)));
        assertThat(plan(new ResetTarget(Kind.LATEST, null, null), COMMITTED))
                .containsExactly(Map.entry(P0, new OffsetMove(80L, 100)), Map.entry(P1, new OffsetMove(null, 50)));
        assertThat(plan(new ResetTarget(Kind.DATETIME, Instant.parse("2026-12-01T10:00:00Z"), null), COMMITTED))
                .as("no record that recent: the partition's end").containsExactly(Map.entry(P0, new OffsetMove(80L, 40)), Map.entry(P1, new OffsetMove(null, 50)));
    }

    @Test
    void aShiftIsKeptWithinThePartitionAndNeedsACommittedOffset() {
        Map<TopicPartition, Long> both = Map.of(P0, 80L, P1, 5L);
        assertThat(plan(new ResetTarget(Kind.SHIFT_BY, null, -30L), both)).containsEntry(P0, new OffsetMove(80L, 50)).containsEntry(P1, new OffsetMove(5L, 0));
        assertThat(plan(new ResetTarget(Kind.SHIFT_BY, null, 500L), both)).containsEntry(P0, new OffsetMove(80L, 100)).containsEntry(P1, new OffsetMove(5L, 50));

        Planned noOffset = OffsetResetPlanner.plan("billing", new ResetTarget(Kind.SHIFT_BY, null, -1L), BOUNDS, COMMITTED);
        assertThat(noOffset.isRefused()).isTrue();
        assertThat(noOffset.moves()).isEmpty();
        assertThat(noOffset.refusal()).contains("orders-1", "no committed offset of group 'billing'", "EARLIEST, LATEST or a DATETIME");
    }

    @Test
    void nothingToResetAndTooMuchToRecordAreRefused() {
        assertThat(OffsetResetPlanner.plan("billing", new ResetTarget(Kind.LATEST, null, null), Map.of(), Map.of()).refusal())
                .contains("'billing' has no committed offsets", "name the topics");
        Map<TopicPartition, PartitionBounds> many = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            many.put(new TopicPartition("orders", i), new PartitionBounds(0, 1, null));
        }
        assertThat(OffsetResetPlanner.plan("billing", new ResetTarget(Kind.LATEST, null, null), many, Map.of()).refusal())
                .contains("10000 partitions", "more than the " + OffsetResetPlanner.MAX_PLAN_BYTES / 1024 + " KiB", "name fewer topics");
        many.keySet().removeIf(tp -> tp.partition() >= 8_000);
        assertThat(OffsetResetPlanner.plan("billing", new ResetTarget(Kind.LATEST, null, null), many, Map.of()).isRefused())
                .as("a topic of 8,000 partitions fits").isFalse();
    }

    @Test
    void aPlanIsCommittedOnlyOverOffsetsStillWhereItFoundThemOrAlreadyWhereItSendsThem() {
        Map<TopicPartition, OffsetMove> plan = Map.of(P0, new OffsetMove(80L, 10), P1, new OffsetMove(null, 0));
        assertThat(OffsetResetPlanner.toCommit("billing", plan, Map.of(P0, 80L)).moves()).containsOnlyKeys(P0, P1);
        assertThat(OffsetResetPlanner.toCommit("billing", plan, Map.of(P0, 10L)).moves()).as("a commit cut short: the rest").containsOnlyKeys(P1);
        assertThat(OffsetResetPlanner.toCommit("billing", plan, Map.of(P0, 10L, P1, 0L)).moves()).as("all there already").isEmpty();

        Planned moved = OffsetResetPlanner.toCommit("billing", plan, Map.of(P0, 80L, P1, 3L));
        assertThat(moved.isRefused()).isTrue();
        assertThat(moved.moves()).isEmpty();
        assertThat(moved.refusal()).contains("'billing' moved since the plan", "orders-1 is at 3, planned from none to 0", "ask again");
    }

    @Test
    void aHugeShiftStaysOnItsSideOfTheLog() {
        Map<TopicPartition, Long> both = Map.of(P0, 80L, P1, 5L);
        assertThat(plan(new ResetTarget(Kind.SHIFT_BY, null, Long.MAX_VALUE), both)).containsEntry(P0, new OffsetMove(80L, 100));
        assertThat(plan(new ResetTarget(Kind.SHIFT_BY, null, Long.MIN_VALUE), both)).containsEntry(P0, new OffsetMove(80L, 10));
    }

    @Test
    void aGroupWithMembersIsRefusedNamingThem() {
        assertThat(OffsetResetPlanner.refuseActive("billing", List.of())).isEmpty();
        assertThat(OffsetResetPlanner.refuseActive("billing", List.of("billing-2@/10.0.0.7", "billing-1@/10.0.0.5"))).get().asString()
                .contains("'billing' has 2 member(s) (billing-1@/10.0.0.5, billing-2@/10.0.0.7)", "stop its consumers");
    }
}
