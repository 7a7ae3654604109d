package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OffsetResetState;
import io.coxswain.avro.command.OffsetResetTarget;
import io.coxswain.avro.command.PartitionOffsetReset;
import io.coxswain.avro.command.ResetConsumerGroupOffsets;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.OffsetResetRequest;
import io.coxswain.avro.state.OffsetResetStatus;
import io.coxswain.avro.state.PlannedOffset;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DECIDE and FOLD of consumer group offset resets through the real topology: a reset waits pending
 * until the executor's outcome, one per group at a time; its plan is taken once, and only from the
 * executor carrying out that very command; topics the cluster does not have and malformed resets
 * are refused with what to do.
 */
class OffsetResetRulesTopologyTest {

    private static final Instant CUTOFF = Instant.parse("2026-12-01T10:00:00Z");
    private static final Map<String, List<PartitionOffsetReset>> PLAN = Map.of("orders",
            List.of(new PartitionOffsetReset(0, 120L, 100L), new PartitionOffsetReset(1, null, 7L)));

    private final TopologyHarness h = new TopologyHarness();

    @BeforeEach
    void createClusterWithATopic() {
        acceptedVersion(h.send(h.on("payments").createCluster("4.1.0", 1, 1, "10Gi")));
        acceptedVersion(h.send(h.on("payments").createTopic("orders", 2, 1, Map.of())));
    }

    @AfterEach
    void close() {
        h.close();
    }

    private Command reset(String commandId, String group, List<String> topics) {
        return h.on("payments").commandId(commandId).issuer("alice")
                .resetConsumerGroupOffsets(group, topics, OffsetResetTarget.DATETIME, CUTOFF, null, "bad deploy at 10:05");
    }

    private Command step(String commandId, OffsetResetState state, Map<String, List<PartitionOffsetReset>> partitions, String reason) {
        return h.on("payments").observation("executor-1", new OffsetResetObserved(commandId, "billing", state, partitions, reason));
    }

    @Test
    void aResetIsPendingThenPlannedOnceThenDoneAndItsOutcomeStays() {
        acceptedVersion(h.send(reset("reset-1", "billing", List.of("orders"))));
        OffsetResetRequest pending = h.state("payments").getSpec().getOffsetResets().get("billing");
        assertThat(pending.getCommandId()).isEqualTo("reset-1");
        assertThat(pending.getIssuer()).isEqualTo("alice");
        assertThat(pending.getTo()).isEqualTo("DATETIME");
        assertThat(pending.getDatetime()).isEqualTo(CUTOFF);
        assertThat(pending.getReason()).isEqualTo("bad deploy at 10:05");
        assertThat(pending.getPlannedAt()).as("not planned yet").isNull();

        CommandRejected second = rejected(h.send(reset("reset-2", "billing", List.of())));
        assertThat(second.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(second.getReason()).contains("'billing'", "reset-1", "waiting for the executor", "status.offsetResets.billing");
        acceptedVersion(h.send(reset("other-group", "audit", List.of())));

        acceptedVersion(h.send(step("reset-1", OffsetResetState.PLANNED, PLAN, null)));
        pending = h.state("payments").getSpec().getOffsetResets().get("billing");
        assertThat(pending.getPlannedAt()).isNotNull();
        assertThat(pending.getPlan()).isEqualTo(Map.of("orders", List.of(new PlannedOffset(0, 120L, 100L), new PlannedOffset(1, null, 7L))));
        acceptedVersion(h.send(step("reset-1", OffsetResetState.PLANNED, Map.of("orders", List.of(new PartitionOffsetReset(0, 130L, 100L))), null)));
        assertThat(h.state("payments").getSpec().getOffsetResets().get("billing").getPlan().get("orders"))
                .as("a second plan, over moved offsets, is never taken").hasSize(2);
        assertThat(rejected(h.send(reset("reset-3", "billing", List.of()))).getReason()).contains("being carried out (planned at");

        acceptedVersion(h.send(step("reset-1", OffsetResetState.DONE, PLAN, null)));
        assertThat(h.state("payments").getSpec().getOffsetResets()).containsOnlyKeys("audit");
        OffsetResetStatus done = h.state("payments").getStatus().getOffsetResets().get("billing");
        assertThat(done.getCommandId()).isEqualTo("reset-1");
        assertThat(done.getState()).isEqualTo("DONE");
        assertThat(done.getPartitions()).isEqualTo(2);

        acceptedVersion(h.send(step("reset-1", OffsetResetState.REFUSED, Map.of(), "late report of another executor")));
        assertThat(h.state("payments").getStatus().getOffsetResets().get("billing").getState())
                .as("a report about a reset already ended changes nothing").isEqualTo("DONE");

        acceptedVersion(h.send(reset("reset-4", "billing", List.of("orders"))));
        acceptedVersion(h.send(step("reset-4", OffsetResetState.REFUSED, Map.of(), "consumer group 'billing' has 2 members; stop them")));
        assertThat(h.state("payments").getSpec().getOffsetResets()).doesNotContainKey("billing");
        assertThat(h.state("payments").getStatus().getOffsetResets().get("billing"))
                .satisfies(s -> assertThat(s.getState()).isEqualTo("REFUSED"))
                .satisfies(s -> assertThat(s.getPartitions()).isZero())
                .satisfies(s -> assertThat(s.getReason()).contains("2 members"));
    }

    @Test
    void aTopicTheClusterDoesNotHaveIsRefusedUntilSeenThere() {
        CommandRejected unknown = rejected(h.send(reset("r1", "billing", List.of("orders", "legacy"))));
        assertThat(unknown.getCode()).isEqualTo(RejectionCode.TOPIC_NOT_FOUND);
        assertThat(unknown.getReason()).contains("'legacy'", "payments", "status.unmanagedTopics");
        assertThat(h.state("payments").getSpec().getOffsetResets()).isEmpty();

        acceptedVersion(h.send(h.on("payments").observation("executor-1", new TopicsObserved(List.of("legacy")))));
        acceptedVersion(h.send(reset("r2", "billing", List.of("orders", "legacy"))));
        assertThat(h.state("payments").getSpec().getOffsetResets().get("billing").getTopics()).containsExactly("orders", "legacy");
    }

    @Test
    void aDeletedClusterLeavesNoResetWithoutAnOutcomeAndAClusterKeepsABoundedNumberPending() {
        for (int i = 0; i < 20; i++) {
            acceptedVersion(h.send(reset("r" + i, "group-" + i, List.of())));
        }
        CommandRejected full = rejected(h.send(reset("r20", "group-20", List.of())));
        assertThat(full.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(full.getReason()).contains("20 consumer group resets pending", "status.offsetResets");

        acceptedVersion(h.send(h.on("payments").observation("executor-1", new OffsetResetObserved("r0", "group-0", OffsetResetState.PLANNED,
                PLAN, null))));
        acceptedVersion(h.send(h.on("payments").deleteCluster(false)));
        assertThat(h.state("payments").getSpec().getOffsetResets()).isEmpty();
        assertThat(h.state("payments").getStatus().getOffsetResets()).hasSize(20).allSatisfy((group, outcome) -> {
            assertThat(outcome.getState()).isEqualTo("REFUSED");
            assertThat(outcome.getReason()).startsWith("the cluster was deleted before the reset was carried out");
        });
        assertThat(h.state("payments").getStatus().getOffsetResets().get("group-0").getReason()).contains("it was planned");
    }

    @Test
    void aMalformedResetSentStraightToTheTopicIsRefusedNamingTheField() {
        Command raw = h.on("payments").resume();
        raw.setPayload(new ResetConsumerGroupOffsets("billing", List.of(), OffsetResetTarget.SHIFT_BY, null, null, null));
        CommandRejected bad = rejected(h.send(raw));
        assertThat(bad.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(bad.getReason()).contains("payload.shiftBy", "required with to SHIFT_BY");
        assertThat(h.state("payments").getSpec().getOffsetResets()).isEmpty();
    }

    private Command cancel(String commandId, String group, String reason) {
        return h.on("payments").commandId(commandId).issuer("bob").cancelConsumerGroupOffsetReset(group, reason);
    }

    @Test
    void aResetNotYetPlannedIsCancelledAndALatePlanOfItIsNotTaken() {
        acceptedVersion(h.send(reset("reset-1", "billing", List.of("orders"))));
        acceptedVersion(h.send(cancel("cancel-1", "billing", "consumers cannot be stopped today")));
        assertThat(h.state("payments").getSpec().getOffsetResets()).doesNotContainKey("billing");
        OffsetResetStatus cancelled = h.state("payments").getStatus().getOffsetResets().get("billing");
        assertThat(cancelled.getCommandId()).as("the outcome of the reset").isEqualTo("reset-1");
        assertThat(cancelled.getState()).isEqualTo("CANCELLED");
        assertThat(cancelled.getPartitions()).isZero();
        assertThat(cancelled.getReason()).isEqualTo("cancelled by command cancel-1 of bob (consumers cannot be stopped today) before the"
                + " executor planned it: no offset was moved");

        // an executor that looked before the cancel folded records its plan after it: not taken, nothing to commit
        acceptedVersion(h.send(step("reset-1", OffsetResetState.PLANNED, PLAN, null)));
        assertThat(h.state("payments").getSpec().getOffsetResets()).doesNotContainKey("billing");
        acceptedVersion(h.send(step("reset-1", OffsetResetState.REFUSED, Map.of(), "consumer group 'billing' has 2 members")));
        assertThat(h.state("payments").getStatus().getOffsetResets().get("billing")).isEqualTo(cancelled);

        CommandRejected again = rejected(h.send(cancel("cancel-2", "billing", null)));
        assertThat(again.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(again.getReason()).contains("no reset of consumer group 'billing' is pending on cluster 'payments'", "nothing to cancel",
                "command reset-1, ended CANCELLED");
        CommandRejected never = rejected(h.send(cancel("cancel-3", "audit", null)));
        assertThat(never.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(never.getReason()).contains("'audit'").doesNotContain("latest");

        acceptedVersion(h.send(reset("reset-2", "billing", List.of("orders"))));
        assertThat(h.state("payments").getSpec().getOffsetResets().get("billing").getCommandId()).as("asked again after a cancel").isEqualTo("reset-2");
    }

    @Test
    void offsetsReportedCommittedForACancelledResetReplaceItsOutcome() {
        acceptedVersion(h.send(reset("reset-1", "billing", List.of("orders"))));
        acceptedVersion(h.send(cancel("cancel-1", "billing", null)));
        acceptedVersion(h.send(step("reset-1", OffsetResetState.DONE, PLAN, "committed DATETIME 2026-12-01T10:00:00Z on 2 partition(s)")));
        OffsetResetStatus truth = h.state("payments").getStatus().getOffsetResets().get("billing");
        assertThat(truth.getState()).isEqualTo("DONE");
        assertThat(truth.getPartitions()).isEqualTo(2);
        assertThat(truth.getReason()).contains("committed DATETIME", "although the reset had been cancelled");
    }

    @Test
    void aPlannedResetIsNotCancelledAndTheRefusalSaysToWaitAndResetAgain() {
        acceptedVersion(h.send(reset("reset-1", "billing", List.of("orders"))));
        acceptedVersion(h.send(step("reset-1", OffsetResetState.PLANNED, PLAN, null)));
        CommandRejected late = rejected(h.send(cancel("cancel-1", "billing", "changed my mind")));
        assertThat(late.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(late.getReason()).contains("'billing'", "command reset-1 was planned at", "can no longer be cancelled",
                "status.offsetResets.billing", "cox offsets list payments", "commits or refuses that plan", "no reset target restores those offsets exactly");
        assertThat(h.state("payments").getSpec().getOffsetResets().get("billing").getPlannedAt()).isNotNull();
    }

    @Test
    void aResetHeldBackByAPauseIsCancelledWhileThePauseLasts() {
        acceptedVersion(h.send(reset("reset-1", "billing", List.of())));
        acceptedVersion(h.send(h.on("payments").pause("storage migration")));
        assertThat(rejected(h.send(reset("reset-2", "audit", List.of()))).getCode()).isEqualTo(RejectionCode.CLUSTER_PAUSED);
        acceptedVersion(h.send(cancel("cancel-1", "billing", null)));
        assertThat(h.state("payments").getSpec().getOffsetResets()).isEmpty();
        assertThat(h.state("payments").getStatus().getOffsetResets().get("billing").getState()).isEqualTo("CANCELLED");
    }

    @Test
    void aPlanOverTopicsTheCommandDidNotAskForIsNotTakenAndTheResetIsRefused() {
        acceptedVersion(h.send(h.on("payments").createTopic("refunds", 1, 1, Map.of())));
        acceptedVersion(h.send(reset("named", "billing", List.of("orders"))));
        acceptedVersion(h.send(step("named", OffsetResetState.PLANNED, Map.of("orders", PLAN.get("orders"),
                "refunds", List.of(new PartitionOffsetReset(0, 5L, 0L))), null)));
        assertThat(h.state("payments").getSpec().getOffsetResets()).doesNotContainKey("billing");
        OffsetResetStatus refused = h.state("payments").getStatus().getOffsetResets().get("billing");
        assertThat(refused.getState()).isEqualTo("REFUSED");
        assertThat(refused.getReason()).contains("did not match the command", "topic(s) refunds, which command named did not ask for (it asked"
                + " for orders)", "no offset was moved", "ask again");

        // none named: every topic the group has offsets on, read from the group at plan time, even one the state has not
        // seen yet (an application's topic is reported after the plan, and not while an operation runs)
        acceptedVersion(h.send(reset("all", "billing", List.of())));
        acceptedVersion(h.send(step("all", OffsetResetState.PLANNED, Map.of("orders", PLAN.get("orders"),
                "made-by-an-app", List.of(new PartitionOffsetReset(0, 5L, 0L))), null)));
        assertThat(h.state("payments").getSpec().getOffsetResets().get("billing").getPlan()).containsOnlyKeys("orders", "made-by-an-app");
    }
}
