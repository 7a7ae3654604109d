package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.OPERATION_IN_PROGRESS;
import static io.coxswain.avro.event.RejectionCode.TOPIC_NOT_FOUND;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OffsetResetState;
import io.coxswain.avro.command.PartitionOffsetReset;
import io.coxswain.avro.command.ResetConsumerGroupOffsets;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.avro.state.OffsetResetRequest;
import io.coxswain.avro.state.OffsetResetStatus;
import io.coxswain.avro.state.PlannedOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * DECIDE and FOLD for consumer group offset resets. A reset is a one-off change to data Kafka keeps
 * (the group's committed offsets), not a desired state the executor converges on, so it lives as a
 * request pending in {@code spec.offsetResets.<group>} and goes through three recorded steps:
 * asked (the command), PLANNED (the executor's observation naming every partition's offset before
 * and after, in the log before any offset moves), then DONE or REFUSED, which ends the request and
 * leaves its outcome in {@code status.offsetResets.<group>}. One reset per group at a time: a second
 * one asked while the first is pending would be planned against offsets the first is about to move.
 */
final class OffsetResetControl {

    /** Resets pending on one cluster at most: each planned one holds its plan in the cluster's state record. */
    static final int MAX_PENDING = 20;
    static final int MAX_OUTCOMES = 100;

    private OffsetResetControl() {
    }

    static boolean handles(Object p) {
        return p instanceof ResetConsumerGroupOffsets;
    }

    /** DECIDE: no reset of the group pending; every topic named is one the cluster has (managed, or seen made by hand). */
    static Optional<Rejection> check(ClusterState state, ResetConsumerGroupOffsets r) {
        String id = state.getClusterId();
        OffsetResetRequest pending = state.getSpec().getOffsetResets().get(r.getGroup());
        if (pending != null) {
            return Optional.of(new Rejection(OPERATION_IN_PROGRESS, "a reset of consumer group '" + r.getGroup() + "' on cluster '" + id
                    + "' asked by command " + pending.getCommandId() + " at " + pending.getRequestedAt() + " is "
                    + (pending.getPlannedAt() == null ? "waiting for the executor" : "being carried out (planned at " + pending.getPlannedAt() + ")")
                    + "; its outcome shows in status.offsetResets." + r.getGroup() + ": ask again once it is there"));
        }
        Map<String, OffsetResetRequest> resets = state.getSpec().getOffsetResets();
        if (resets.size() >= MAX_PENDING) {
            return Optional.of(new Rejection(OPERATION_IN_PROGRESS, "cluster '" + id + "' has " + resets.size() + " consumer group resets pending ("
                    + String.join(", ", resets.keySet()) + "), the most it keeps: ask again once some show in status.offsetResets"));
        }
        for (String topic : r.getTopics()) {
            if (!state.getTopics().containsKey(topic) && !state.getStatus().getUnmanagedTopics().contains(topic)) {
                return Optional.of(new Rejection(TOPIC_NOT_FOUND, "topic '" + topic + "' is not a topic of cluster '" + id + "': neither"
                        + " managed by Coxswain nor seen on the cluster at the executor's last look; if it was made by hand just now, ask again"
                        + " once it shows in status.unmanagedTopics"));
            }
        }
        return Optional.empty();
    }

    /** FOLD of the command: the request, pending until the executor records its outcome. */
    static void apply(ClusterState next, Command c) {
        ResetConsumerGroupOffsets r = (ResetConsumerGroupOffsets) c.getPayload();
        Map<String, OffsetResetRequest> pending = new TreeMap<>(next.getSpec().getOffsetResets());
        pending.put(r.getGroup(), OffsetResetRequest.newBuilder().setCommandId(c.getCommandId()).setIssuer(c.getIssuer())
                .setTopics(new ArrayList<>(r.getTopics())).setTo(r.getTo().name()).setDatetime(r.getDatetime()).setShiftBy(r.getShiftBy())
                .setReason(r.getReason()).setRequestedAt(c.getIssuedAt()).setPlan(new TreeMap<>()).setPlannedAt(null).build());
        next.getSpec().setOffsetResets(pending);
    }

    /**
     * FOLD of the executor's step. Only for the request pending under that command id: a report about
     * a request already ended (a second executor's, late) changes nothing. A plan is taken once: the
     * executor commits what the log holds, never a second plan computed over moved offsets.
     */
    static void observed(ClusterSpec spec, ClusterStatus status, OffsetResetObserved o, Instant at) {
        OffsetResetRequest pending = spec.getOffsetResets().get(o.getGroup());
        if (pending == null || !pending.getCommandId().equals(o.getCommandId())) {
            return;
        }
        Map<String, OffsetResetRequest> requests = new TreeMap<>(spec.getOffsetResets());
        if (o.getState() == OffsetResetState.PLANNED) {
            if (pending.getPlannedAt() == null) {
                requests.put(o.getGroup(), OffsetResetRequest.newBuilder(pending).setPlan(plan(o.getPartitions())).setPlannedAt(at).build());
                spec.setOffsetResets(requests);
            }
            return;
        }
        requests.remove(o.getGroup());
        spec.setOffsetResets(requests);
        // DONE: the plan's partitions; REFUSED: those a commit cut short or refused in part left at their target, usually none
        int partitions = o.getPartitions().values().stream().mapToInt(List::size).sum();
        outcome(status, o.getGroup(), new OffsetResetStatus(o.getCommandId(), o.getState().name(), partitions, o.getReason(), at));
    }

    /** FOLD of a DeleteCluster: every reset still pending ends, refused, so none is left without an outcome. */
    static void withdraw(ClusterSpec spec, ClusterStatus status, Instant at) {
        if (spec.getOffsetResets().isEmpty()) {
            return;
        }
        spec.getOffsetResets().forEach((group, r) -> outcome(status, group, new OffsetResetStatus(r.getCommandId(), "REFUSED", 0,
                "the cluster was deleted before the reset was carried out" + (r.getPlannedAt() == null ? "" : " (it was planned: see the log"
                        + " for whether its offsets were committed)"), at)));
        spec.setOffsetResets(new TreeMap<>());
    }

    /** The latest outcome per group, the {@value #MAX_OUTCOMES} latest groups kept: the log has every one. */
    private static void outcome(ClusterStatus status, String group, OffsetResetStatus outcome) {
        Map<String, OffsetResetStatus> outcomes = new TreeMap<>(status.getOffsetResets());
        outcomes.put(group, outcome);
        while (outcomes.size() > MAX_OUTCOMES) {
            outcomes.entrySet().stream().min(Comparator.comparing((Map.Entry<String, OffsetResetStatus> e) -> e.getValue().getAt())
                    .thenComparing(Map.Entry::getKey)).map(Map.Entry::getKey).ifPresent(outcomes::remove);
        }
        status.setOffsetResets(outcomes);
    }

    private static Map<String, List<PlannedOffset>> plan(Map<String, List<PartitionOffsetReset>> observed) {
        Map<String, List<PlannedOffset>> plan = new TreeMap<>();
        observed.forEach((topic, partitions) -> plan.put(topic, partitions.stream()
                .map(p -> new PlannedOffset(p.getPartition(), p.getFrom(), p.getTo())).toList()));
        return plan;
    }
}
