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
}
