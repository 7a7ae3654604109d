package io.coxswain.commands.cli;

import io.coxswain.commands.shape.ThrottleShape;

/**
 * Data rates typed on the command line ({@link ThrottleShape}'s forms). Bounds are not checked here:
 * the gateway's shape check owns them and names the payload field.
 */
final class Rates {

    private Rates() {
    }

    /** The rate {@code value} of {@code option} in bytes per second; a CLI error naming the option when it is not one. */
    static long bytesPerSecond(String option, String value) {
        return ThrottleShape.parse(value).orElseThrow(() -> new CliException(CliException.BAD_INPUT,
                option + " must be " + ThrottleShape.FORMS + "; got '" + value + "'"));
    }
}
