package io.coxswain.commands.client;

/** No decision arrived in time; the message says what is known (was the command written, where). */
public class DecisionTimeoutException extends RuntimeException {
    public DecisionTimeoutException(String message) {
        super(message);
    }
}
