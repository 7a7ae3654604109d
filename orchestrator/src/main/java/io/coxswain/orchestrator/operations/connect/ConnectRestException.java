package io.coxswain.orchestrator.operations.connect;

import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

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
     * The call may have been made though no answer says so: the executor stopped waiting after the request went out (not
     * a connection that never opened), or Connect answered its own time-out (500 "Request timed out", after 90 s), and
     * Connect carries on with a request it timed out.
     */
    public boolean timedOut() {
        if (status == 0) {
            return getCause() instanceof HttpTimeoutException && !(getCause() instanceof HttpConnectTimeoutException);
        }
        return status >= 500 && lowerMessage().contains("request timed out");
    }

    /**
     * Connect does not know the {@code initial_state} of a creation (KIP-980): its workers are older than Kafka 3.7
     * (Confluent Platform 7.7). Its JSON reader answers 'Unrecognized field "initial_state"', as a 400 or a 500.
     */
    public boolean initialStateUnknown() {
        String m = lowerMessage();
        return (status == 400 || status == 500) && m.contains("unrecognized field") && m.contains("initial_state");
    }

    /**
     * For an offsets reset: Connect will not do it, however often asked. A workers' version without the call (404, 405), a
     * plugin that cannot alter its offsets (Connect answers 500 naming it, or 400); not a rebalance (409) or a group not yet
     * empty (500 saying so), which pass.
     */
    public boolean resetRefusedForGood() {
        String m = lowerMessage();
        return status == 400 || status == 404 || status == 405 || status == 501
                || (status == 500 && (m.contains("not support") || m.contains("unsupported") || m.contains("does not implement")));
    }

    private String lowerMessage() {
        return getMessage() == null ? "" : getMessage().toLowerCase(Locale.ROOT);
    }
}
