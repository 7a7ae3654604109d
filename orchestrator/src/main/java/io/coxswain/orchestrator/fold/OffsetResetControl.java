package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;
import static io.coxswain.avro.event.RejectionCode.OPERATION_IN_PROGRESS;
import static io.coxswain.avro.event.RejectionCode.TOPIC_NOT_FOUND;

import io.coxswain.avro.command.CancelConsumerGroupOffsetReset;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DECIDE and FOLD for consumer group offset resets. A reset is a one-off change to data Kafka keeps
 * (the group's committed offsets), not a desired state the executor converges on, so it lives as a
 * request pending in {@code spec.offsetResets.<group>} and goes through three recorded steps:
 * asked (the command), PLANNED (the executor's observation naming every partition's offset before
 * and after, in the log before any offset moves), then DONE or REFUSED, which ends the request and
 * leaves its outcome in {@code status.offsetResets.<group>}. One reset per group at a time: a second
 * one asked while the first is pending would be planned against offsets the first is about to move.
 * A CancelConsumerGroupOffsetReset withdraws a reset not planned yet (outcome CANCELLED); once planned,
 * the executor commits it on its next pass, so a cancel could only race it and is refused.
 */
final class OffsetResetControl {

    /** Resets pending on one cluster at most: each planned one holds its plan in the cluster's state record. */
    static final int MAX_PENDING = 20;
    static final int MAX_OUTCOMES = 100;

    private OffsetResetControl() {
    }

    /** The outcome of a reset withdrawn by a CancelConsumerGroupOffsetReset before it was planned. */
    static final String CANCELLED = "CANCELLED";

    static boolean handles(Object p) {
        return p instanceof ResetConsumerGroupOffsets || p instanceof CancelConsumerGroupOffsetReset;
    }

    static Optional<Rejection> check(ClusterState state, Object p) {
        return p instanceof CancelConsumerGroupOffsetReset cancel ? checkCancel(state, cancel) : checkReset(state, (ResetConsumerGroupOffsets) p);
    }

    /** DECIDE: no reset of the group pending; every topic named is one the cluster has (managed, or seen made by hand). */
    private static Optional<Rejection> checkReset(ClusterState state, ResetConsumerGroupOffsets r) {
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
            if (!ofCluster(state, topic)) {
                return Optional.of(new Rejection(TOPIC_NOT_FOUND, "topic '" + topic + "' is not a topic of cluster '" + id + "': neither"
                        + " managed by Coxswain nor seen on the cluster at the executor's last look; if it was made by hand just now, ask again"
                        + " once it shows in status.unmanagedTopics"));
            }
        }
        return Optional.empty();
    }

    /**
     * DECIDE of a cancel: only while the group's reset is pending and not planned. A planned one is the executor's to commit
     * on its next pass (the log holds the plan it commits): a cancel accepted then could not say whether offsets moved.
     */
    private static Optional<Rejection> checkCancel(ClusterState state, CancelConsumerGroupOffsetReset x) {
        String id = state.getClusterId();
        String group = x.getGroup();
        OffsetResetRequest pending = state.getSpec().getOffsetResets().get(group);
        if (pending == null) {
            OffsetResetStatus last = state.getStatus().getOffsetResets().get(group);
            return Optional.of(new Rejection(NO_CHANGE, "no reset of consumer group '" + group + "' is pending on cluster '" + id
                    + "': nothing to cancel" + (last == null ? "" : " (its latest, command " + last.getCommandId() + ", ended " + last.getState()
                    + " at " + last.getAt() + "; see status.offsetResets." + group + ")")));
        }
        if (pending.getPlannedAt() != null) {
            return Optional.of(new Rejection(OPERATION_IN_PROGRESS, "the reset of consumer group '" + group + "' on cluster '" + id
                    + "' asked by command " + pending.getCommandId() + " was planned at " + pending.getPlannedAt() + ": the executor"
                    + " commits or refuses that plan on its next pass (after a resume, if the cluster is paused), so it can no longer be"
                    + " cancelled; wait for its outcome in status.offsetResets." + group + " (cox offsets list " + id + "). Each partition's"
                    + " offset before it is in the log (cox audit --cluster " + id + " --type OffsetResetObserved), should you need to"
                    + " move the group back: no reset target restores those offsets exactly"));
        }
        return Optional.empty();
    }

    /** FOLD of a command: a reset pending until the executor records its outcome, or a cancel that ends it at once. */
    static void apply(ClusterState next, Command c) {
        if (c.getPayload() instanceof CancelConsumerGroupOffsetReset x) {
            cancel(next, c, x);
            return;
        }
        ResetConsumerGroupOffsets r = (ResetConsumerGroupOffsets) c.getPayload();
        Map<String, OffsetResetRequest> pending = new TreeMap<>(next.getSpec().getOffsetResets());
        pending.put(r.getGroup(), OffsetResetRequest.newBuilder().setCommandId(c.getCommandId()).setIssuer(c.getIssuer())
                .setTopics(new ArrayList<>(r.getTopics())).setTo(r.getTo().name()).setDatetime(r.getDatetime()).setShiftBy(r.getShiftBy())
                .setReason(r.getReason()).setRequestedAt(c.getIssuedAt()).setPlan(new TreeMap<>()).setPlannedAt(null).build());
        next.getSpec().setOffsetResets(pending);
    }

    private static void cancel(ClusterState next, Command c, CancelConsumerGroupOffsetReset x) {
        ClusterSpec spec = next.getSpec();
        OffsetResetRequest pending = spec.getOffsetResets().get(x.getGroup());
        Map<String, OffsetResetRequest> requests = new TreeMap<>(spec.getOffsetResets());
        requests.remove(x.getGroup());
        spec.setOffsetResets(requests);
        outcome(next.getStatus(), x.getGroup(), new OffsetResetStatus(pending.getCommandId(), CANCELLED, 0, "cancelled by command "
                + c.getCommandId() + " of " + c.getIssuer() + (x.getReason() == null ? "" : " (" + x.getReason() + ")")
                + " before the executor planned it: no offset was moved", c.getIssuedAt()));
    }

    /**
     * FOLD of the executor's step. Only for the request pending under that command id: a report about
     * a request already ended (a second executor's, late; one cancelled meanwhile) changes nothing, unless
     * it says offsets moved for a reset whose outcome reads CANCELLED (see {@link #committedAfterAll}). A plan
     * is taken once, and only if it is a plan of the command: the executor commits what the log holds, never
     * a second plan computed over moved offsets, nor one over topics nobody asked it to move.
     */
    static void observed(ClusterState next, OffsetResetObserved o, Instant at) {
        ClusterSpec spec = next.getSpec();
        ClusterStatus status = next.getStatus();
        OffsetResetRequest pending = spec.getOffsetResets().get(o.getGroup());
        if (pending == null || !pending.getCommandId().equals(o.getCommandId())) {
            committedAfterAll(status, o, at);
            return;
        }
        Map<String, OffsetResetRequest> requests = new TreeMap<>(spec.getOffsetResets());
        if (o.getState() == OffsetResetState.PLANNED) {
            if (pending.getPlannedAt() != null) {
                return;
            }
            Optional<String> mismatch = mismatch(pending, o.getPartitions().keySet());
            if (mismatch.isPresent()) {
                requests.remove(o.getGroup());
                spec.setOffsetResets(requests);
                outcome(status, o.getGroup(), new OffsetResetStatus(o.getCommandId(), OffsetResetState.REFUSED.name(), 0, "the plan the executor"
                        + " recorded did not match the command: " + mismatch.get() + "; it was not taken and no offset was moved: ask again", at));
                return;
            }
            requests.put(o.getGroup(), OffsetResetRequest.newBuilder(pending).setPlan(plan(o.getPartitions())).setPlannedAt(at).build());
            spec.setOffsetResets(requests);
            return;
        }
        requests.remove(o.getGroup());
        spec.setOffsetResets(requests);
        outcome(status, o.getGroup(), new OffsetResetStatus(o.getCommandId(), o.getState().name(), moved(o), o.getReason(), at));
    }

    /** DONE: the plan's partitions; REFUSED: those a commit cut short or refused in part left at their target, usually none. */
    private static int moved(OffsetResetObserved o) {
        return o.getPartitions().values().stream().mapToInt(List::size).sum();
    }

    /**
     * A report that offsets moved for a reset whose outcome reads CANCELLED is the truth about the group, and replaces that
     * outcome: no executor commits a plan the state does not hold, and a cancel is refused once one is held, but the outcome
     * must not say "no offset was moved" when one did.
     */
    private static void committedAfterAll(ClusterStatus status, OffsetResetObserved o, Instant at) {
        OffsetResetStatus last = status.getOffsetResets().get(o.getGroup());
        if (last == null || !last.getCommandId().equals(o.getCommandId()) || !CANCELLED.equals(last.getState())
                || o.getState() == OffsetResetState.PLANNED || moved(o) == 0) {
            return;
        }
        outcome(status, o.getGroup(), new OffsetResetStatus(o.getCommandId(), o.getState().name(), moved(o), (o.getReason() == null ? ""
                : o.getReason() + "; ") + "offsets were committed although the reset had been cancelled (the log has the cancel and this report)",
                at));
    }

    /**
     * Why a plan is not one of the request: it names a topic the command did not ask for. A command naming none asks for
     * every topic the group has offsets on, which the executor reads from the group itself at plan time; the state's list of
     * the cluster's topics lags behind it (a topic made by an application is reported after the plan, and not at all while
     * an operation runs), so it is no test of such a plan, and a log folded before this check replays as it was.
     */
    private static Optional<String> mismatch(OffsetResetRequest r, Set<String> planned) {
        if (r.getTopics().isEmpty()) {
            return Optional.empty();
        }
        TreeSet<String> foreign = new TreeSet<>(planned);
        foreign.removeAll(r.getTopics());
        if (foreign.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("it names topic(s) " + String.join(", ", foreign) + ", which command " + r.getCommandId() + " did not ask for"
                + " (it asked for " + String.join(", ", r.getTopics()) + ")");
    }

    /** A topic of the cluster: managed by Coxswain, or seen on it made by hand at the executor's last look. */
    private static boolean ofCluster(ClusterState state, String topic) {
        return state.getTopics().containsKey(topic) || state.getStatus().getUnmanagedTopics().contains(topic);
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
