package io.coxswain.orchestrator.operations.connect;

/** A call to the Connect REST API failed; the message names the call, the Connect cluster and its answer. */
public final class ConnectRestException extends RuntimeException {

    public ConnectRestException(String message) {
        super(message);
    }

    public ConnectRestException(String message, Throwable cause) {
        super(message, cause);
    }
}
