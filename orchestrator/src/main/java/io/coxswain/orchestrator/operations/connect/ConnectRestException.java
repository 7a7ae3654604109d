package io.coxswain.orchestrator.operations.connect;

/**
 * A call to the Connect REST API failed; the message names the call, the Connect cluster and its answer.
 * {@link #status()} is the HTTP status Connect answered with, 0 when it did not answer.
 */
public final class ConnectRestException extends RuntimeException {

    private final int status;

    public ConnectRestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ConnectRestException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }

    /** Connect refused what it was given (400: an invalid configuration, a connector class its workers lack): asking again changes nothing. */
    public boolean refused() {
        return status == 400;
    }

    /** Connect has a connector of the name it was asked to create (409 "Connector ... already exists"; a rebalance is 409 too). */
    public boolean alreadyExists() {
        return status == 409 && getMessage() != null && getMessage().contains("already exists");
    }

    /**
     * For an offsets reset: Connect will not do it, however often asked. A workers' version without the call (404, 405), a
     * plugin that cannot alter its offsets (Connect answers 500 naming it, or 400); not a rebalance (409) or a group not yet
     * empty (500 saying so), which pass.
     */
    public boolean resetRefusedForGood() {
        String m = getMessage() == null ? "" : getMessage().toLowerCase(java.util.Locale.ROOT);
        return status == 400 || status == 404 || status == 405 || status == 501
                || (status == 500 && (m.contains("not support") || m.contains("unsupported") || m.contains("does not implement")));
    }
}
