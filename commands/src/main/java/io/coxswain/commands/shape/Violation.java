package io.coxswain.commands.shape;

/** One thing wrong with a command: the JSON path of the field (e.g. {@code payload.brokers}) and the problem. */
public record Violation(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
