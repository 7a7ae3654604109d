package io.coxswain.orchestrator.executor.reconcile;

/** The cluster's partition moved to another executor mid-pass: this one stops acting on it at once. */
public final class NotOwnedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotOwnedException(String clusterId) {
        super("cluster " + clusterId + " is no longer owned by this executor", null, false, false);
    }
}
