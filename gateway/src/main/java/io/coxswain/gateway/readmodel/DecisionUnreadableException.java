package io.coxswain.gateway.readmodel;

/**
 * How a wait for a command's decision ends when the decision came but this gateway cannot read it (a newer events schema
 * wrote it): the command was decided, and what was decided is not known here. The message is what the command's entry
 * shows ({@link CommandView#DECISION_UNREADABLE}): where the decision is and what to do.
 */
public final class DecisionUnreadableException extends RuntimeException {

    public DecisionUnreadableException(String message) {
        super(message, null, false, false);
    }
}
