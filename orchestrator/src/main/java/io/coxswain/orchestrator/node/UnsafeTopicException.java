package io.coxswain.orchestrator.node;

/** A Coxswain topic exists with settings that would lose data; the message says what to change. */
public class UnsafeTopicException extends IllegalStateException {
    public UnsafeTopicException(String message) {
        super(message);
    }
}
