package io.coxswain.gateway.json;

/**
 * A request body that cannot become a command. {@code field} is the JSON path of the culprit
 * (for example {@code payload.brokers}), or null when the body as a whole is wrong; the gateway
 * answers 400 with both.
 */
public class BadInputException extends RuntimeException {

    private final String field;

    public BadInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
