package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.CLUSTER_DELETING;
import static io.coxswain.avro.event.RejectionCode.CLUSTER_EXISTS;
import static io.coxswain.avro.event.RejectionCode.CLUSTER_NOT_FOUND;
import static io.coxswain.avro.event.RejectionCode.CLUSTER_PAUSED;
import static io.coxswain.avro.event.RejectionCode.DOWNGRADE_NOT_ALLOWED;
import static io.coxswain.avro.event.RejectionCode.INVALID_COMMAND;
import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;
import static io.coxswain.avro.event.RejectionCode.OPERATION_IN_PROGRESS;
import static io.coxswain.avro.event.RejectionCode.REPLICAS_WOULD_NOT_FIT;
import static io.coxswain.avro.event.RejectionCode.VERSION_CONFLICT;

import io.coxswain.avro.command.CancelConsumerGroupOffsetReset;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.DeleteCluster;
import io.coxswain.avro.command.PauseReconciliation;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ResumeReconciliation;
import io.coxswain.avro.command.ScaleBrokers;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.command.UpdateBrokerConfig;
import io.coxswain.avro.command.UpgradeKafka;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.avro.state.TopicSpec;
import io.coxswain.commands.shape.CommandShape;
import io.coxswain.commands.shape.KafkaVersion;
import io.coxswain.commands.shape.Violation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * DECIDE: may this command be applied to this state? Pure: reads nothing but its arguments. Every
 * rejection says what is wrong and what the sender can do about it.
 */
public final class Decide {

    private Decide() {
    }

    /** @param state the cluster's current state, or null if the cluster was never created */
    public static Optional<Rejection> check(ClusterState state, Command c) {
        List<Violation> violations = CommandShape.check(c);
        if (!violations.isEmpty()) {
            return Optional.of(invalid(violations, ""));
        }
        String id = c.getClusterId();
        boolean exists = state != null && !Phases.DELETED.equals(state.getStatus().getPhase());
        Object p = c.getPayload();

        if (p instanceof CreateCluster) {
            if (exists) {
                return reject(CLUSTER_EXISTS, "cluster '" + id + "' already exists (version " + state.getVersion() + ", phase "
                        + state.getStatus().getPhase() + "); choose another id, or delete it first");
            }
            return checkVersion(c, state);
        }
        if (!exists) {
            return reject(CLUSTER_NOT_FOUND, state == null
                    ? "cluster '" + id + "' does not exist; create it with CreateCluster first"
                    : "cluster '" + id + "' was deleted; create it again with CreateCluster first");
        }
        Optional<Rejection> conflict = checkVersion(c, state);
        if (conflict.isPresent()) {
            return conflict;
        }
        if (IntentVersionBackfill.handles(p)) {
            return IntentVersionBackfill.check(state, p);
        }
        if (p instanceof RecordObservation) {
            return Optional.empty(); // the world as observed is always recorded, paused or not
        }
        ClusterSpec spec = state.getSpec();
        if (spec.getDeleteRequested()) {
            return reject(CLUSTER_DELETING, "cluster '" + id + "' is being deleted; no further changes are accepted");
        }
        // a cancel moves nothing on the cluster: it withdraws a reset the pause holds back (the executor plans none meanwhile)
        if (spec.getPaused() && !(p instanceof ResumeReconciliation) && !(p instanceof PauseReconciliation) && !(p instanceof DeleteCluster)
                && !(p instanceof CancelConsumerGroupOffsetReset) && !ApprovalControl.passesPause(p)) {
            return reject(CLUSTER_PAUSED, "reconciliation of cluster '" + id + "' is paused"
                    + (spec.getPauseReason() == null ? "" : " (" + spec.getPauseReason() + ")")
                    + "; send ResumeReconciliation first");
        }
        return checkPayload(state, c);
    }

    /** expectedVersion: nothing at all happened since; unchangedSinceVersion: nobody asked for a change since. */
    private static Optional<Rejection> checkVersion(Command c, ClusterState state) {
        long current = state == null ? 0 : state.getVersion();
        Long expected = c.getExpectedVersion();
        if (expected != null && expected != current) {
            return reject(VERSION_CONFLICT, "expected version " + expected + " but cluster '" + c.getClusterId() + "' is at version "
                    + current + "; read the cluster again and decide on its current state");
        }
        Long since = c.getUnchangedSinceVersion();
        if (since != null && since > current) {
            return reject(VERSION_CONFLICT, "unchanged since version " + since + " asked, but cluster '" + c.getClusterId()
                    + "' is only at version " + current + "; read the cluster again and decide on its current state");
        }
        if (since != null && state != null && state.getIntentVersion() > since) {
            return reject(VERSION_CONFLICT, "cluster '" + c.getClusterId() + "' was changed at version " + state.getIntentVersion()
                    + ", after version " + since + " which the command was decided on; read the cluster again and decide on its current state");
        }
        return Optional.empty();
    }

    private static Optional<Rejection> checkPayload(ClusterState state, Command c) {
        Object p = c.getPayload();
        ClusterSpec spec = state.getSpec();
        String id = state.getClusterId();
        if (p instanceof PauseReconciliation) {
            return spec.getPaused() ? reject(NO_CHANGE, "reconciliation of cluster '" + id + "' is already paused") : ok();
        }
        if (p instanceof ResumeReconciliation) {
            return spec.getPaused() ? ok() : reject(NO_CHANGE, "reconciliation of cluster '" + id + "' is not paused");
        }
        if (p instanceof DeleteCluster) {
            return ok();
        }
        if (OperationControl.handles(p)) {
            return OperationControl.check(state, p);
        }
        if (ComponentControl.handles(p)) {
            return ComponentControl.check(state, p);
        }
        if (UserControl.handles(p)) {
            return UserControl.check(state, c);
        }
        if (ResourceControl.handles(p)) {
            return ResourceControl.check(state, p);
        }
        if (StorageControl.handles(p)) {
            return StorageControl.check(state, p);
        }
        if (RebalanceControl.handles(p)) {
            return RebalanceControl.check(state);
        }
        if (ClientAuthControl.handles(p)) {
            return ClientAuthControl.check(state, p);
        }
        if (MaintenanceControl.handles(p)) {
            return MaintenanceControl.check(state, p);
        }
        if (LabelControl.handles(p)) {
            return LabelControl.check(state, p);
        }
        if (CaReplacementControl.handles(p)) {
            return CaReplacementControl.check(state);
        }
        if (ConnectorControl.handles(p)) {
            Optional<Rejection> mirrored = MirrorControl.checkConnector(state, ConnectorControl.nameOf(p));
            return mirrored.isPresent() ? mirrored : ConnectorControl.check(state, p);
        }
        if (MirrorControl.handles(p)) {
            return MirrorControl.check(state, p);
        }
        if (OffsetResetControl.handles(p)) {
            return OffsetResetControl.check(state, p);
        }
        if (ApprovalControl.handles(p) || p instanceof SetApprovalPolicy) {
            return ApprovalControl.check(state, c);
        }
        if (p instanceof ScaleBrokers s) {
            return scale(state, s.getBrokers());
        }
        if (p instanceof UpgradeKafka u) {
            return upgrade(state, u);
        }
        if (p instanceof UpdateBrokerConfig u) {
            Optional<Rejection> busy = busy(state);
            if (busy.isPresent()) {
                return busy;
            }
            return changes(spec.getBrokerConfig(), u.getSet(), u.getRemove()) ? ok()
                    : reject(NO_CHANGE, "cluster '" + id + "' already has this broker configuration");
        }
        if (TopicControl.handles(p)) {
            return TopicControl.check(state, p);
        }
        return reject(RejectionCode.OTHER, "command type " + p.getClass().getSimpleName() + " is not supported by this Coxswain version");
    }

    private static Optional<Rejection> scale(ClusterState state, int brokers) {
        String id = state.getClusterId();
        int current = state.getSpec().getBrokers();
        if (brokers == current) {
            return reject(NO_CHANGE, "cluster '" + id + "' already has " + current + " brokers");
        }
        Optional<Rejection> busy = busy(state);
        if (busy.isPresent()) {
            return busy;
        }
        Optional<Map.Entry<String, TopicSpec>> widest = state.getTopics().entrySet().stream()
                .max((a, b) -> Integer.compare(a.getValue().getReplicationFactor(), b.getValue().getReplicationFactor()));
        if (widest.isPresent() && widest.get().getValue().getReplicationFactor() > brokers) {
            return reject(REPLICAS_WOULD_NOT_FIT, "cannot scale cluster '" + id + "' to " + brokers + " brokers: topic '"
                    + widest.get().getKey() + "' has replication factor " + widest.get().getValue().getReplicationFactor()
                    + "; keep at least that many brokers or lower the topic's replication factor first (ChangeReplicationFactor)");
        }
        return ok();
    }

    private static Optional<Rejection> upgrade(ClusterState state, UpgradeKafka u) {
        String id = state.getClusterId();
        KafkaVersion target = KafkaVersion.parse(u.getKafkaVersion()).orElseThrow();
        Optional<KafkaVersion> current = KafkaVersion.parse(state.getSpec().getKafkaVersion());
        if (current.isPresent() && target.compareTo(current.get()) == 0) {
            return reject(NO_CHANGE, "cluster '" + id + "' already runs Kafka " + target);
        }
        if (current.isPresent() && target.compareTo(current.get()) < 0 && !u.getAllowDowngrade()) {
            return reject(DOWNGRADE_NOT_ALLOWED, "Kafka " + target + " is older than the " + current.get() + " cluster '" + id
                    + "' runs; a downgrade must be explicit: set allowDowngrade=true if you mean it");
        }
        return busy(state);
    }

    /** INVALID_COMMAND naming every field at fault; {@code context} (may be empty) says what they were checked against. */
    static Rejection invalid(List<Violation> violations, String context) {
        return new Rejection(INVALID_COMMAND, "invalid command: " + violations.stream().map(Violation::toString)
                .collect(Collectors.joining("; ")) + ". " + (context.isEmpty() ? "" : context + " ") + "Fix these fields and send the command again.");
    }

    /** At most one long operation per cluster: a change that needs a roll waits for the running one. */
    static Optional<Rejection> busy(ClusterState state) {
        OperationStatus op = state.getStatus().getOperation();
        if (op != null && "RUNNING".equals(op.getState())) {
            return reject(OPERATION_IN_PROGRESS, "cluster '" + state.getClusterId() + "' is in the middle of " + op.getOperation()
                    + " " + op.getOperationId() + "; wait until it finishes (watch status.operation) and send the command again");
        }
        return ok();
    }

    /** Loops, not streams: every config command is decided live and again in each replay (bench/, JFR). */
    static boolean changes(Map<String, String> current, Map<String, String> set, List<String> remove) {
        for (Map.Entry<String, String> e : set.entrySet()) {
            if (!Objects.equals(current.get(e.getKey()), e.getValue())) {
                return true;
            }
        }
        for (String key : remove) {
            if (current.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Rejection> ok() {
        return Optional.empty();
    }

    private static Optional<Rejection> reject(RejectionCode code, String reason) {
        return Optional.of(new Rejection(code, reason));
    }
}
