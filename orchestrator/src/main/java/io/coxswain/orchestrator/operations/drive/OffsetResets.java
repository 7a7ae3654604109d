package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OffsetResetState;
import io.coxswain.avro.command.PartitionOffsetReset;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OffsetResetRequest;
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
import java.util.concurrent.ConcurrentHashMap;
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
    /** Per cluster, per command id, the step this executor recorded last: the fold may not show it yet. Only pending ones kept. */
    private final Map<String, Map<String, OffsetResetState>> recorded = new ConcurrentHashMap<>();
    /** Per command id, commits of its plan that failed in a row. */
    private final Map<String, Integer> failedCommits = new ConcurrentHashMap<>();

    OffsetResets(OperationRecorder recorder, Clock clock) {
        this.recorder = recorder;
        this.clock = clock;
    }

    /** One step of every pending reset; a reset whose step fails is tried again on the next pass, the others go on. */
    void sync(ClusterState state, Admin admin, Duration timeout) {
        String cluster = state.getClusterId();
        Map<String, OffsetResetRequest> pending = state.getSpec().getOffsetResets();
        Map<String, OffsetResetState> mine = recorded.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
        Set<String> pendingIds = pending.values().stream().map(OffsetResetRequest::getCommandId).collect(Collectors.toSet());
        mine.keySet().retainAll(pendingIds);
        if (pending.isEmpty()) {
            recorded.remove(cluster);
            return;
        }
        GroupOffsets kafka = new GroupOffsets(admin, timeout);
        pending.forEach((group, request) -> {
            try {
                step(state, group, request, kafka, mine);
            } catch (RuntimeException e) {
                int failures = request.getPlannedAt() == null ? 0 : failedCommits.merge(request.getCommandId(), 1, Integer::sum);
                log.warn("cluster {}: reset of consumer group '{}' (command {}) not carried out yet{}: {}; tried again on the next pass",
                        cluster, group, request.getCommandId(), failures == 0 ? "" : " (attempt " + failures + " of " + MAX_COMMIT_ATTEMPTS + ")",
                        e.getMessage());
            }
        });
    }

    private void step(ClusterState state, String group, OffsetResetRequest r, GroupOffsets kafka, Map<String, OffsetResetState> mine) {
        String cluster = state.getClusterId();
        OffsetResetState last = mine.get(r.getCommandId());
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
            record(cluster, group, r, planned.isRefused() ? OffsetResetState.REFUSED : OffsetResetState.PLANNED, planned.moves(),
                    planned.isRefused() ? planned.refusal() + "; nothing was committed" : "planned " + ResetTarget.of(r) + " of "
                            + planned.moves().size() + " partition(s), asked by " + r.getIssuer() + reason(r), mine);
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
            refuse(cluster, group, r, gone(plan, kafka).orElse(now.refusal()), plan, committed, mine);
            return;
        }
        if (now.moves().isEmpty()) {
            done(cluster, group, r, plan, 0, mine); // all there: an earlier commit went through before its DONE was recorded
            return;
        }
        Optional<String> refusal = tooOld("planned", r.getPlannedAt(), "could not commit it")
                .or(() -> OffsetResetPlanner.refuseActive(group, kafka.members(group)))
                .or(() -> gone(now.moves(), kafka))
                .or(() -> outOfRange(now.moves(), kafka.bounds(now.moves().keySet(), null)));
        if (refusal.isPresent()) {
            refuse(cluster, group, r, refusal.get(), plan, committed, mine);
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
                        + "): stop its consumers, wait until they have left the group, and ask again", plan, kafka.committed(group), mine);
                return;
            }
            int attempts = failedCommits.getOrDefault(r.getCommandId(), 0) + 1;
            if (attempts < MAX_COMMIT_ATTEMPTS) {
                throw e; // counted where every failure of a planned reset is, in sync
            }
            refuse(cluster, group, r, "the offsets could not be committed in " + attempts + " attempts, the last: " + e.getMessage(), plan,
                    kafka.committed(group), mine);
            return;
        }
        if (failed.isEmpty()) {
            done(cluster, group, r, plan, now.moves().size(), mine);
            return;
        }
        refuse(cluster, group, r, "the coordinator refused " + failed.size() + " of the " + offsets.size() + " offsets committed ("
                + failed.entrySet().iterator().next() + (failed.size() > 1 ? ", ..." : "") + ")", plan, kafka.committed(group), mine);
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

    private void done(String cluster, String group, OffsetResetRequest r, Map<TopicPartition, OffsetMove> plan, int committedNow,
                      Map<String, OffsetResetState> mine) {
        record(cluster, group, r, OffsetResetState.DONE, plan, "committed " + ResetTarget.of(r) + " on " + plan.size() + " partition(s)"
                + (committedNow < plan.size() ? " (" + (plan.size() - committedNow) + " already there)" : ""), mine);
    }

    /**
     * REFUSED after the plan: what the group has at its targets is said as it is (none, usually; some, when a commit was
     * cut short or refused in part), and recorded as the partitions of the report.
     */
    private void refuse(String cluster, String group, OffsetResetRequest r, String why, Map<TopicPartition, OffsetMove> plan,
                        Map<TopicPartition, Long> committed, Map<String, OffsetResetState> mine) {
        Map<TopicPartition, OffsetMove> there = OffsetResetPlanner.atTarget(plan, committed);
        String outcome = there.isEmpty() ? "; nothing was committed" : "; " + there.size() + " of the plan's " + plan.size()
                + " partitions are at their target (listed in this report), the others where they were: ask again for the rest";
        record(cluster, group, r, OffsetResetState.REFUSED, there, why + outcome, mine);
    }

    private void record(String cluster, String group, OffsetResetRequest r, OffsetResetState state, Map<TopicPartition, OffsetMove> moves,
                        String reason, Map<String, OffsetResetState> mine) {
        Map<String, List<PartitionOffsetReset>> byTopic = new TreeMap<>();
        OffsetResetPlanner.sorted(moves).forEach((tp, m) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new PartitionOffsetReset(tp.partition(), m.from(), m.to())));
        recorder.offsetReset(cluster, new OffsetResetObserved(r.getCommandId(), group, state, byTopic, reason));
        mine.put(r.getCommandId(), state);
        if (state != OffsetResetState.PLANNED) {
            failedCommits.remove(r.getCommandId());
        }
    }

    private static String reason(OffsetResetRequest r) {
        return r.getReason() == null ? "" : ": " + r.getReason();
    }
}
