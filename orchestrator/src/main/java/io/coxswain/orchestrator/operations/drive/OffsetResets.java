package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OffsetResetState;
import io.coxswain.avro.command.PartitionOffsetReset;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OffsetResetRequest;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.offsets.GroupOffsets;
import io.coxswain.orchestrator.operations.offsets.OffsetMove;
import io.coxswain.orchestrator.operations.offsets.OffsetResetPlanner;
import io.coxswain.orchestrator.operations.offsets.OffsetResetPlanner.Planned;
import io.coxswain.orchestrator.operations.offsets.PartitionBounds;
import io.coxswain.orchestrator.operations.offsets.ResetTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the consumer group offset resets pending in the state, each as a small recorded state
 * machine over two passes:
 *
 * <pre>
 *   pending  → a consumer group, empty? → observe its partitions → record PLANNED (every partition's before and after), or REFUSED
 *   planned  → every offset still where the plan found it, or already where it sends it? the plan's targets still in the logs?
 *              → commit, record DONE (or REFUSED naming what was and was not committed); else REFUSED
 * </pre>
 *
 * The plan is in the log before any offset moves, and what is committed is the plan the log holds: an
 * executor killed between the commit and DONE commits the same offsets again, never a second plan
 * worked out over offsets the first one moved (a SHIFT_BY would shift twice). A request first seen, or
 * a plan still not committed, {@link #STALE} after it was made is refused: the group may have moved on.
 * A reset withdrawn while a pass works on it (a CancelConsumerGroupOffsetReset, a DeleteCluster) is neither
 * planned nor committed: the newest state known is read again just before either.
 */
final class OffsetResets {

    private static final Logger log = LoggerFactory.getLogger(OffsetResets.class);

    static final Duration STALE = Duration.ofMinutes(15);
    /** A sender's clock this far ahead of the executor's makes the age of a request unknowable. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Failed commits of one plan before it is given up (REFUSED with the last error), rather than tried until it goes stale. */
    static final int MAX_COMMIT_ATTEMPTS = 5;
    /** Plans recorded and not yet done on one cluster, at most, in bytes: they sit in its state record (see MAX_PLAN_BYTES). */
    static final long MAX_OUTSTANDING_BYTES = 256 * 1024;

    private final OperationRecorder recorder;
    private final Clock clock;
    private final OffsetResetLedger ledger = new OffsetResetLedger();

    OffsetResets(OperationRecorder recorder, Clock clock) {
        this.recorder = recorder;
        this.clock = clock;
    }

    /**
     * One step of every reset pending in the pass's state; a reset whose step fails is tried again on the next pass, the
     * others go on.
     */
    void sync(ReconcilePass pass, Admin admin, Duration timeout) {
        ClusterState state = pass.state();
        String cluster = state.getClusterId();
        Map<String, OffsetResetRequest> pending = state.getSpec().getOffsetResets();
        ledger.retain(cluster, pending.values().stream().map(OffsetResetRequest::getCommandId).collect(Collectors.toSet()));
        if (pending.isEmpty()) {
            return;
        }
        GroupOffsets kafka = new GroupOffsets(admin, timeout);
        Supplier<ClusterState> latest = () -> pass.refreshed().state();
        pending.forEach((group, request) -> {
            try {
                step(state, latest, group, request, kafka);
            } catch (RuntimeException e) {
                int failures = request.getPlannedAt() == null ? 0 : ledger.commitFailed(cluster, request.getCommandId());
                log.warn("cluster {}: reset of consumer group '{}' (command {}) not carried out yet{}: {}; tried again on the next pass",
                        cluster, group, request.getCommandId(), failures == 0 ? "" : " (attempt " + failures + " of " + MAX_COMMIT_ATTEMPTS + ")",
                        e.getMessage());
            }
        });
    }

    /** A cluster this executor no longer acts on (handed over, deleted): nothing of its resets is kept. */
    void forget(String cluster) {
        ledger.forget(cluster);
    }

    /** Commands of the cluster whose steps this executor keeps in memory, for tests: only pending ones. */
    int remembered(String cluster) {
        return ledger.commands(cluster);
    }

    private void step(ClusterState state, Supplier<ClusterState> latest, String group, OffsetResetRequest r, GroupOffsets kafka) {
        String cluster = state.getClusterId();
        OffsetResetState last = ledger.recorded(cluster, r.getCommandId());
        if (r.getPlannedAt() == null) {
            if (last != null) {
                return; // recorded; the fold has not shown it yet
            }
            Optional<String> refusal = tooOld("asked", r.getRequestedAt(), "could not plan it")
                    .or(() -> kafka.refuseKind(group))
                    .or(() -> OffsetResetPlanner.refuseActive(group, kafka.members(group)));
            Planned planned = refusal.map(Planned::refused).orElseGet(() -> plan(group, r, kafka));
            if (!planned.isRefused() && !roomFor(state, planned.moves())) {
                log.info("cluster {}: reset of consumer group '{}' (command {}) waits for the plans recorded before it to be carried out",
                        cluster, group, r.getCommandId());
                return;
            }
            if (withdrawn(latest, cluster, group, r, "planned")) {
                return;
            }
            record(cluster, group, r, planned.isRefused() ? OffsetResetState.REFUSED : OffsetResetState.PLANNED, planned.moves(),
                    planned.isRefused() ? planned.refusal() + "; nothing was committed" : "planned " + ResetTarget.of(r) + " of "
                            + planned.moves().size() + " partition(s), asked by " + r.getIssuer() + reason(r));
            return;
        }
        if (last == OffsetResetState.DONE || last == OffsetResetState.REFUSED) {
            return;
        }
        Map<TopicPartition, OffsetMove> plan = planOf(r);
        Map<TopicPartition, Long> committed = kafka.committed(group);
        Planned now = OffsetResetPlanner.toCommit(group, plan, committed);
        if (now.isRefused()) {
            // a deleted topic takes the group's offsets on it along (the coordinator drops them): say that, not "moved"
            refuse(cluster, group, r, gone(plan, kafka).orElse(now.refusal()), plan, committed);
            return;
        }
        if (now.moves().isEmpty()) {
            done(cluster, group, r, plan, 0); // all there: an earlier commit went through before its DONE was recorded
            return;
        }
        Optional<String> refusal = tooOld("planned", r.getPlannedAt(), "could not commit it")
                .or(() -> OffsetResetPlanner.refuseActive(group, kafka.members(group)))
                .or(() -> gone(now.moves(), kafka))
                .or(() -> outOfRange(now.moves(), kafka.bounds(now.moves().keySet(), null)));
        if (refusal.isPresent()) {
            refuse(cluster, group, r, refusal.get(), plan, committed);
            return;
        }
        if (withdrawn(latest, cluster, group, r, "committed")) {
            return;
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        now.moves().forEach((tp, move) -> offsets.put(tp, move.to()));
        SortedMap<TopicPartition, String> failed;
        try {
            failed = kafka.commit(group, offsets);
        } catch (AdminCalls.AdminCallFailed e) {
            if (membersCameBack(e.getCause())) {
                refuse(cluster, group, r, "consumer group '" + group + "' took members before its offsets were committed (" + e.getMessage()
                        + "): stop its consumers, wait until they have left the group, and ask again", plan, kafka.committed(group));
                return;
            }
            int attempts = ledger.failedCommits(cluster, r.getCommandId()) + 1;
            if (attempts < MAX_COMMIT_ATTEMPTS) {
                throw e; // counted where every failure of a planned reset is, in sync
            }
            refuse(cluster, group, r, "the offsets could not be committed in " + attempts + " attempts, the last: " + e.getMessage(), plan,
                    kafka.committed(group));
            return;
        }
        if (failed.isEmpty()) {
            done(cluster, group, r, plan, now.moves().size());
            return;
        }
        refuse(cluster, group, r, "the coordinator refused " + failed.size() + " of the " + offsets.size() + " offsets committed ("
                + failed.entrySet().iterator().next() + (failed.size() > 1 ? ", ..." : "") + ")", plan, kafka.committed(group));
    }

    /**
     * Whether the reset is no longer the group's pending one in the newest state known: cancelled or withdrawn since the pass
     * began, so it is not {@code what} (the fold would not take a plan of it, and only a plan the state holds is committed).
     */
    private static boolean withdrawn(Supplier<ClusterState> latest, String cluster, String group, OffsetResetRequest r, String what) {
        OffsetResetRequest now = latest.get().getSpec().getOffsetResets().get(group);
        if (now != null && now.getCommandId().equals(r.getCommandId())) {
            return false;
        }
        log.info("cluster {}: reset of consumer group '{}' (command {}) is no longer pending in the newest state (cancelled, the cluster"
                + " deleted, its plan refused, or settled by another executor) since this pass began; not {}, nothing recorded; its outcome"
                + " is in status.offsetResets.{}", cluster, group, r.getCommandId(), what, group);
        return true;
    }

    /** Whether a reset too old, or from a clock too far ahead, to act on: the group may have moved on since. */
    private Optional<String> tooOld(String what, Instant at, String whoCouldNot) {
        Duration age = Duration.between(at, clock.instant());
        if (age.compareTo(CLOCK_SKEW.negated()) < 0) {
            return Optional.of(what + " at " + at + ", " + age.negated().toMinutes() + " minutes ahead of the executor's clock: its age"
                    + " cannot be known; check the clock of whoever sent it, then ask again");
        }
        if (age.compareTo(STALE) <= 0) {
            return Optional.empty();
        }
        return Optional.of(what + " at " + at + ", more than " + STALE.toMinutes() + " minutes before the executor " + whoCouldNot
                + " (the cluster paused, unreachable, its executor down or failing: see its log): the group may have moved on since;"
                + " ask again if it is still wanted");
    }

    /** Plans outstanding on the cluster stay within {@link #MAX_OUTSTANDING_BYTES}; one alone may always be made. */
    private static boolean roomFor(ClusterState state, Map<TopicPartition, OffsetMove> moves) {
        long outstanding = state.getSpec().getOffsetResets().values().stream().filter(p -> p.getPlannedAt() != null)
                .mapToLong(p -> OffsetResetPlanner.encodedSize(planOf(p).keySet())).sum();
        return outstanding == 0 || outstanding + OffsetResetPlanner.encodedSize(moves.keySet()) <= MAX_OUTSTANDING_BYTES;
    }

    private static Optional<String> gone(Map<TopicPartition, OffsetMove> moves, GroupOffsets kafka) {
        GroupOffsets.Partitions found = kafka.partitionsOf(moves.keySet().stream().map(TopicPartition::topic).distinct().toList());
        return found.missing().isEmpty() ? Optional.empty() : Optional.of("topic(s) " + String.join(", ", found.missing())
                + " were deleted since the plan");
    }

    /** A target the log no longer holds (retention moved its start past it): the consumer would fall back to its auto.offset.reset. */
    private static Optional<String> outOfRange(Map<TopicPartition, OffsetMove> moves, Map<TopicPartition, PartitionBounds> bounds) {
        return OffsetResetPlanner.sorted(moves).entrySet().stream().filter(e -> {
            PartitionBounds b = bounds.get(e.getKey());
            return e.getValue().to() < b.earliest() || e.getValue().to() > b.latest();
        }).findFirst().map(e -> "partition " + e.getKey() + " now holds offsets " + bounds.get(e.getKey()).earliest() + " to "
                + bounds.get(e.getKey()).latest() + ", not the planned " + e.getValue().to() + " (retention, or the topic made anew)");
    }

    private static boolean membersCameBack(Throwable cause) {
        return cause instanceof GroupNotEmptyException || cause instanceof UnknownMemberIdException || cause instanceof RebalanceInProgressException
                || cause instanceof IllegalGenerationException || cause instanceof FencedInstanceIdException;
    }

    private static Planned plan(String group, OffsetResetRequest r, GroupOffsets kafka) {
        Map<TopicPartition, Long> committed = kafka.committed(group);
        Set<TopicPartition> partitions;
        if (r.getTopics().isEmpty()) {
            partitions = committed.keySet();
        } else {
            GroupOffsets.Partitions found = kafka.partitionsOf(r.getTopics());
            if (!found.missing().isEmpty()) {
                return Planned.refused("topic(s) " + String.join(", ", found.missing()) + " do not exist on the cluster (deleted since the"
                        + " reset was asked, or not created yet): ask again naming the topics it has");
            }
            partitions = found.partitions();
        }
        ResetTarget target = ResetTarget.of(r);
        return OffsetResetPlanner.plan(group, target, partitions.isEmpty() ? Map.of()
                : kafka.bounds(partitions, target.kind() == ResetTarget.Kind.DATETIME ? target.datetime() : null), committed);
    }

    private static Map<TopicPartition, OffsetMove> planOf(OffsetResetRequest r) {
        Map<TopicPartition, OffsetMove> plan = new HashMap<>();
        r.getPlan().forEach((topic, partitions) -> partitions.forEach(p ->
                plan.put(new TopicPartition(topic, p.getPartition()), new OffsetMove(p.getFrom(), p.getTo()))));
        return plan;
    }

    private void done(String cluster, String group, OffsetResetRequest r, Map<TopicPartition, OffsetMove> plan, int committedNow) {
        record(cluster, group, r, OffsetResetState.DONE, plan, "committed " + ResetTarget.of(r) + " on " + plan.size() + " partition(s)"
                + (committedNow < plan.size() ? " (" + (plan.size() - committedNow) + " already there)" : ""));
    }

    /**
     * REFUSED after the plan: what the group has at its targets is said as it is (none, usually; some, when a commit was
     * cut short or refused in part), and recorded as the partitions of the report.
     */
    private void refuse(String cluster, String group, OffsetResetRequest r, String why, Map<TopicPartition, OffsetMove> plan,
                        Map<TopicPartition, Long> committed) {
        Map<TopicPartition, OffsetMove> there = OffsetResetPlanner.atTarget(plan, committed);
        String outcome = there.isEmpty() ? "; nothing was committed" : "; " + there.size() + " of the plan's " + plan.size()
                + " partitions are at their target (listed in this report), the others where they were: ask again for the rest";
        record(cluster, group, r, OffsetResetState.REFUSED, there, why + outcome);
    }

    private void record(String cluster, String group, OffsetResetRequest r, OffsetResetState state, Map<TopicPartition, OffsetMove> moves,
                        String reason) {
        Map<String, List<PartitionOffsetReset>> byTopic = new TreeMap<>();
        OffsetResetPlanner.sorted(moves).forEach((tp, m) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new PartitionOffsetReset(tp.partition(), m.from(), m.to())));
        recorder.offsetReset(cluster, new OffsetResetObserved(r.getCommandId(), group, state, byTopic, reason));
        ledger.recorded(cluster, r.getCommandId(), state);
    }

    private static String reason(OffsetResetRequest r) {
        return r.getReason() == null ? "" : ": " + r.getReason();
    }
}
