package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.OperationStatus;
import io.coxswain.orchestrator.executor.tls.CaReplacement;

/**
 * The operation a driver works on: known from the log ({@code status.operation}) or, between
 * recording it and the fold catching up, from the driver's own memory.
 *
 * @param attempt 1, then one more per accepted RetryOperation: a retried operation keeps its id
 */
record RunningOperation(String clusterId, String id, String type, String cause, int attempt) {

    static final String ROLLING_UPGRADE = "RollingUpgrade";
    static final String RECONFIGURE = "Reconfigure";
    /** A manual rolling restart (RestartCluster). */
    static final String ROLLING_RESTART = "RollingRestart";
    static final String SCALE_OUT = "ScaleOut";
    static final String SCALE_IN = "ScaleIn";
    /** Growing the data volumes to a new size (ExpandStorage): no pod restarts. */
    static final String EXPAND_STORAGE = "ExpandStorage";
    /** A rebalance a person asked for (RebalanceCluster); its cause is that command, whatever brought the pass. */
    static final String REBALANCE = "Rebalance";
    /** A CA replacement a person asked for (ReplaceClusterCa); its cause is that command. Three rolls. */
    static final String REPLACE_CA = CaReplacement.OPERATION;

    static RunningOperation of(String clusterId, OperationStatus status) {
        return new RunningOperation(clusterId, status.getOperationId(), status.getOperation(), status.getCauseCommandId(), status.getAttempt());
    }

    /** Deterministic from the cause: a second executor starting the same operation names it the same. */
    static RunningOperation start(String clusterId, String type, String cause) {
        return new RunningOperation(clusterId, type + "/" + cause, type, cause, 1);
    }

    /**
     * A new operation for a cause whose operation of this type already ended (a second roll the same
     * command calls for, after a CA renewal's first): its own id, never mistaken by the fold for the
     * ended one nor for its retries, and the same cause, a command of the log that the audit trail
     * joins its actions to.
     */
    static RunningOperation startAgain(String clusterId, String type, String cause, long version) {
        return new RunningOperation(clusterId, type + "/" + cause + "/" + version, type, cause, 1);
    }

    /** One attempt of one operation: what a driver remembers as ended, so a retry (a new attempt) is not taken for it. */
    record Attempt(String operationId, int attempt) {
        static Attempt of(OperationStatus status) {
            return new Attempt(status.getOperationId(), status.getAttempt());
        }
    }

    Attempt attemptKey() {
        return new Attempt(id, attempt);
    }

    boolean rolls() {
        return ROLLING_UPGRADE.equals(type) || RECONFIGURE.equals(type) || ROLLING_RESTART.equals(type);
    }
}
