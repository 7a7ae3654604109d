package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.OPERATION_ENDED;
import static io.coxswain.avro.event.RejectionCode.OPERATION_NOT_FAILED;
import static io.coxswain.avro.event.RejectionCode.OPERATION_NOT_FOUND;

import io.coxswain.avro.command.AbandonOperation;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RestartCluster;
import io.coxswain.avro.command.RetryOperation;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A person's say over the day-2 operations: retry a FAILED operation, abandon a FAILED or stuck
 * one, roll a component by hand. DECIDE and FOLD for these commands, kept together because the
 * rules and the state they change are the same few fields of {@code status.operation}.
 */
final class OperationControl {

    static final String RUNNING = "RUNNING";
    static final String FAILED = "FAILED";
    static final String ABANDONED = "ABANDONED";
    /** A {@code spec.restarts} value: no manual restart pending for that component (the last one was abandoned). */
    public static final String NO_RESTART = "";

    private OperationControl() {
    }

    static boolean handles(Object p) {
        return p instanceof RetryOperation || p instanceof AbandonOperation || p instanceof RestartCluster;
    }

    /** DECIDE for a payload that {@link #handles}. */
    static Optional<Rejection> check(ClusterState state, Object p) {
        if (p instanceof RetryOperation r) {
            return retry(state, r.getOperationId());
        }
        if (p instanceof AbandonOperation a) {
            return abandon(state, a.getOperationId());
        }
        return Decide.busy(state); // RestartCluster: one long operation at a time, a roll waits for the running one
    }

    private static Optional<Rejection> retry(ClusterState state, String operationId) {
        Optional<Rejection> unknown = unknown(state, operationId);
        if (unknown.isPresent()) {
            return unknown;
        }
        OperationStatus op = state.getStatus().getOperation();
        return switch (op.getState()) {
            case FAILED -> Optional.empty();
            case ABANDONED -> reject(OPERATION_ENDED, "operation " + operationId + " was abandoned and is never continued; "
                    + "send the change (UpgradeKafka, UpdateBrokerConfig, UpdateResources, ExpandStorage, ScaleBrokers, RestartCluster, RebalanceCluster, ReplaceClusterCa) again to start a new operation");
            case RUNNING -> reject(OPERATION_NOT_FAILED, "operation " + operationId + " is still RUNNING; only a FAILED operation can be "
                    + "retried: wait for it (watch status.operation), or stop it with AbandonOperation if it is stuck");
            default -> reject(OPERATION_NOT_FAILED, "operation " + operationId + " " + op.getState() + "; there is nothing to retry");
        };
    }

    private static Optional<Rejection> abandon(ClusterState state, String operationId) {
        Optional<Rejection> unknown = unknown(state, operationId);
        if (unknown.isPresent()) {
            return unknown;
        }
        OperationStatus op = state.getStatus().getOperation();
        if (FAILED.equals(op.getState()) || RUNNING.equals(op.getState())) {
            return Optional.empty();
        }
        return reject(OPERATION_ENDED, "operation " + operationId + " already ended " + op.getState() + "; there is nothing to abandon");
    }

    /** Only the cluster's current operation (status.operation) can be retried or abandoned: older ones were replaced by a newer one. */
    private static Optional<Rejection> unknown(ClusterState state, String operationId) {
        OperationStatus op = state.getStatus().getOperation();
        if (op == null) {
            return reject(OPERATION_NOT_FOUND, "cluster '" + state.getClusterId() + "' has not run any operation; there is no operation '"
                    + operationId + "'");
        }
        if (!op.getOperationId().equals(operationId)) {
            return reject(OPERATION_NOT_FOUND, "cluster '" + state.getClusterId() + "' has no operation '" + operationId + "'; its current "
                    + "operation is " + op.getOperation() + " " + op.getOperationId() + " (" + op.getState() + "): use that id from status.operation");
        }
        return Optional.empty();
    }

    /** FOLD for a command whose payload this {@link #handles}. */
    static void apply(ClusterState next, Command c) {
        Object p = c.getPayload();
        OperationStatus op = next.getStatus().getOperation();
        if (p instanceof RetryOperation r) {
            // RUNNING again, one attempt more: the drivers resume at the failed step after re-checking the world
            op.setState(RUNNING);
            op.setAttempt(op.getAttempt() + 1);
            control(op, c, "retried by " + c.getIssuer(), r.getReason());
        } else if (p instanceof AbandonOperation a) {
            op.setState(ABANDONED);
            control(op, c, "abandoned by " + c.getIssuer(), a.getReason());
            // a manual restart abandoned is withdrawn: the pods it did not reach are not rolled by whatever comes next.
            // "" (no restart pending) rather than no entry, so the pod template's annotation is overwritten, not left behind
            Map<String, String> restarts = new TreeMap<>(next.getSpec().getRestarts());
            restarts.replaceAll((component, id) -> id.equals(op.getCauseCommandId()) ? NO_RESTART : id);
            next.getSpec().setRestarts(restarts);
            settleRequests(next.getSpec(), op); // an abandoned rebalance or CA replacement is withdrawn too
        } else if (p instanceof RestartCluster r) {
            // pods roll until they carry this command's id (a pod template annotation), so a restart resumes from the world
            Map<String, String> restarts = new TreeMap<>(next.getSpec().getRestarts());
            if ("all".equals(r.getComponent())) {
                restarts.put(Phases.CONTROLLERS, c.getCommandId());
                restarts.put(Phases.BROKERS, c.getCommandId());
            } else {
                restarts.put(r.getComponent(), c.getCommandId());
            }
            next.getSpec().setRestarts(restarts);
        }
    }

    /** A request pending in the spec (a rebalance, a CA replacement) is settled by its operation's end. */
    static void settleRequests(ClusterSpec spec, OperationStatus op) {
        RebalanceControl.settle(spec, op);
        CaReplacementControl.settle(spec, op);
    }

    /** {@code op} is the {@code operation} caused by {@code commandId}, and ended SUCCEEDED or ABANDONED: not FAILED, which waits for a person. */
    static boolean endsRequest(OperationStatus op, String operation, String commandId) {
        boolean ended = ABANDONED.equals(op.getState()) || "SUCCEEDED".equals(op.getState());
        return ended && operation.equals(op.getOperation()) && commandId.equals(op.getCauseCommandId());
    }

    private static void control(OperationStatus op, Command c, String what, String reason) {
        op.setControlledBy(c.getCommandId());
        op.setReason(reason == null ? what : what + ": " + reason);
        op.setUpdatedAt(c.getIssuedAt());
    }

    /** An abandoned operation stays abandoned: reports of a driver that had not seen it yet change no state. */
    static boolean ended(OperationStatus op, String operationId) {
        return op != null && op.getOperationId().equals(operationId) && ABANDONED.equals(op.getState());
    }

    private static Optional<Rejection> reject(RejectionCode code, String reason) {
        return Optional.of(new Rejection(code, reason));
    }
}
