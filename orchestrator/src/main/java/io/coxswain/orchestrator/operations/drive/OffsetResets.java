package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OffsetResetState;
import io.coxswain.avro.command.PartitionOffsetReset;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OffsetResetRequest;
import io.coxswain.avro.state.PlannedOffset;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.offsets.GroupOffsets;
import io.coxswain.orchestrator.operations.offsets.OffsetMove;
import io.coxswain.orchestrator.operations.offsets.OffsetResetPlanner;
import io.coxswain.orchestrator.operations.offsets.OffsetResetPlanner.Planned;
import io.coxswain.orchestrator.operations.offsets.ResetTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the consumer group offset resets pending in the state, each as a small recorded state
 * machine over two passes:
 *
 * <pre>
 *   pending  → observe the group and its partitions → record PLANNED (every partition's before and after), or REFUSED
 *   planned  → every offset still where the plan found it (or already where it sends it)? → commit, record DONE; else REFUSED
 * </pre>
 *
 * The plan is in the log before any offset moves, and what is committed is the plan the log holds: an
 * executor killed between the commit and DONE commits the same offsets again, never a second plan
 * worked out over offsets the first one moved (a SHIFT_BY would shift twice). A request older than
 * {@link #STALE} when first planned is refused: the group may have moved on since it was asked.
 */
final class OffsetResets {

    private static final Logger log = LoggerFactory.getLogger(OffsetResets.class);

    static final Duration STALE = Duration.ofMinutes(15);

    private final OperationRecorder recorder;
    private final Clock clock;
    /** Per cluster, per command id, the step this executor recorded last: the fold may not show it yet. Only pending ones kept. */
    private final Map<String, Map<String, OffsetResetState>> recorded = new ConcurrentHashMap<>();

    OffsetResets(OperationRecorder recorder, Clock clock) {
        this.recorder = recorder;
        this.clock = clock;
    }

    /** One step of every pending reset; a reset whose call fails is tried again on the next pass, the others go on. */
    void sync(ClusterState state, Admin admin, Duration timeout) {
        String cluster = state.getClusterId();
        Map<String, OffsetResetRequest> pending = state.getSpec().getOffsetResets();
        Map<String, OffsetResetState> mine = recorded.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
        Set<String> pendingIds = pending.values().stream().map(OffsetResetRequest::getCommandId).collect(Collectors.toSet());
        mine.keySet().retainAll(pendingIds);
        GroupOffsets kafka = new GroupOffsets(admin, timeout);
        pending.forEach((group, request) -> {
            try {
                step(cluster, group, request, kafka, mine);
            } catch (AdminCalls.AdminCallFailed e) {
                log.warn("cluster {}: reset of consumer group '{}' (command {}) not carried out yet: {}; tried again on the next pass",
                        cluster, group, request.getCommandId(), e.getMessage());
            }
        });
    }

    private void step(String cluster, String group, OffsetResetRequest r, GroupOffsets kafka, Map<String, OffsetResetState> mine) {
        OffsetResetState last = mine.get(r.getCommandId());
        if (r.getPlannedAt() == null) {
            if (last != null) {
                return; // recorded; the fold has not shown it yet
            }
            Optional<String> refusal = stale(r).or(() -> OffsetResetPlanner.refuseActive(group, kafka.members(group)));
            Planned planned = refusal.map(Planned::refused).orElseGet(() -> plan(group, r, kafka));
            record(cluster, group, r, planned.isRefused() ? OffsetResetState.REFUSED : OffsetResetState.PLANNED, planned.moves(),
                    planned.isRefused() ? planned.refusal() : "planned " + ResetTarget.of(r) + " of " + planned.moves().size()
                            + " partition(s), asked by " + r.getIssuer() + reason(r), mine);
            return;
        }
        if (last == OffsetResetState.DONE || last == OffsetResetState.REFUSED) {
            return;
        }
        Map<TopicPartition, OffsetMove> plan = planOf(r);
        Optional<String> active = OffsetResetPlanner.refuseActive(group, kafka.members(group));
        Planned now = active.map(Planned::refused).orElseGet(() -> OffsetResetPlanner.toCommit(group, plan, kafka.committed(group)));
        if (now.isRefused()) {
            record(cluster, group, r, OffsetResetState.REFUSED, Map.of(), now.refusal(), mine);
            return;
        }
        if (!now.moves().isEmpty()) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            now.moves().forEach((tp, move) -> offsets.put(tp, move.to()));
            kafka.commit(group, offsets);
        }
        record(cluster, group, r, OffsetResetState.DONE, plan, "committed " + ResetTarget.of(r) + " on " + plan.size() + " partition(s)"
                + (now.moves().size() < plan.size() ? " (" + (plan.size() - now.moves().size()) + " already there)" : ""), mine);
    }

    private Optional<String> stale(OffsetResetRequest r) {
        Duration age = Duration.between(r.getRequestedAt(), clock.instant());
        if (age.compareTo(STALE) <= 0) {
            return Optional.empty();
        }
        return Optional.of("asked at " + r.getRequestedAt() + ", more than " + STALE.toMinutes() + " minutes before the executor could"
                + " plan it (the cluster was paused, unreachable or without an executor): the group may have moved on since, so nothing was"
                + " done; ask again if it is still wanted");
    }

    private static Planned plan(String group, OffsetResetRequest r, GroupOffsets kafka) {
        Map<TopicPartition, Long> committed = kafka.committed(group);
        Set<TopicPartition> partitions;
        if (r.getTopics().isEmpty()) {
            partitions = committed.keySet();
        } else {
            GroupOffsets.Partitions found = kafka.partitionsOf(r.getTopics());
            if (!found.missing().isEmpty()) {
                return Planned.refused("topic(s) " + String.join(", ", found.missing()) + " do not exist on the cluster"
                        + " (deleted since the reset was asked?): nothing was done; ask again naming the topics it has");
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

    private void record(String cluster, String group, OffsetResetRequest r, OffsetResetState state, Map<TopicPartition, OffsetMove> moves,
                        String reason, Map<String, OffsetResetState> mine) {
        Map<String, List<PartitionOffsetReset>> byTopic = new TreeMap<>();
        OffsetResetPlanner.sorted(moves).forEach((tp, m) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new PartitionOffsetReset(tp.partition(), m.from(), m.to())));
        recorder.offsetReset(cluster, new OffsetResetObserved(r.getCommandId(), group, state, byTopic, reason));
        mine.put(r.getCommandId(), state);
    }

    private static String reason(OffsetResetRequest r) {
        return r.getReason() == null ? "" : ": " + r.getReason();
    }
}
