package io.coxswain.commands.cli;

/** Ends {@code cox} with a message on stderr and an exit code that scripts can test. */
final class CliException extends RuntimeException {

    static final int REJECTED = 1;
    static final int BAD_INPUT = 2;
    static final int UNAVAILABLE = 3;
    static final int UNAUTHORIZED = 4;
    static final int NOT_FOUND = 5;
    static final int NOT_IDENTICAL = 6;
    /**
     * Recorded as a proposal under the cluster's approval policy, not applied (7 is cox wait's not done in time): a
     * script must not go on as if the change were made.
     */
    static final int AWAITING_APPROVAL = 8;

    final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The exit code for an HTTP error status. */
    static CliException of(int status, String message) {
        int code = switch (status) {
            case 400 -> BAD_INPUT;
            case 401, 403 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 409, 422 -> REJECTED;
            default -> UNAVAILABLE;
        };
        String hint = status == 401 ? " (set COX_TOKEN or --token to the token printed as token=... in the 'Coxswain ready:' line, or --token-file to a file"
                + " holding a token or a JWT the gateway accepts)"
                : status == 429 ? " (nothing was written; send it again later, with the same --command-id)" : "";
        return new CliException(code, message + hint);
    }
}
