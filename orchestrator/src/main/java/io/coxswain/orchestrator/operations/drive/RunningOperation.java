package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.OperationStatus;

/**
 * The operation a driver works on: known from the log ({@code status.operation}) or, between
 * recording it and the fold catching up, from the driver's own memory.
 */
record RunningOperation(String clusterId, String id, String type, String cause) {

    static final String ROLLING_UPGRADE = "RollingUpgrade";
    static final String RECONFIGURE = "Reconfigure";
    static final String SCALE_OUT = "ScaleOut";
    static final String SCALE_IN = "ScaleIn";

    static RunningOperation of(String clusterId, OperationStatus status) {
        return new RunningOperation(clusterId, status.getOperationId(), status.getOperation(), status.getCauseCommandId());
    }

    /** Deterministic from the cause: a second executor starting the same operation names it the same. */
    static RunningOperation start(String clusterId, String type, String cause) {
        return new RunningOperation(clusterId, type + "/" + cause, type, cause);
    }

    boolean rolls() {
        return ROLLING_UPGRADE.equals(type) || RECONFIGURE.equals(type);
    }
}
