package io.coxswain.commands.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Data rates typed on the command line, per second per broker as Kafka's replication throttles count them:
 * bytes as a whole number ({@code 52428800}) or in binary units ({@code 512KiB}, {@code 50MiB}, {@code 1GiB}),
 * optionally followed by {@code /s}. Decimal units (MB, GB) are refused rather than taken as binary ones:
 * 50MB and 50MiB differ by 5%, and whoever typed one should not silently get the other. Bounds are not
 * checked here: the gateway's shape check owns them and names the payload field.
 */
final class Rates {

    private static final Pattern RATE = Pattern.compile("(\\d{1,19})(KiB|MiB|GiB)?(/s)?");
    private static final long KI = 1024;

    private Rates() {
    }

    /** The rate {@code value} of {@code option} in bytes per second; a CLI error naming the option when it is not one. */
    static long bytesPerSecond(String option, String value) {
        Matcher m = RATE.matcher(value.trim());
        try {
            if (m.matches()) {
                return Math.multiplyExact(Long.parseLong(m.group(1)), unit(m.group(2)));
            }
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            // falls through to the same message: such a rate is not one anybody meant
        }
        throw new CliException(CliException.BAD_INPUT, option + " must be bytes per second as a whole number, or with a binary unit:"
                + " 52428800, 512KiB, 50MiB or 1GiB; got '" + value + "'");
    }

    /** A rate as a person reads it: in the largest binary unit it is a whole number of, e.g. {@code 50 MiB/s}. */
    static String format(long bytesPerSecond) {
        for (String unit : new String[] {"GiB", "MiB", "KiB"}) {
            if (bytesPerSecond != 0 && bytesPerSecond % unit(unit) == 0) {
                return bytesPerSecond / unit(unit) + " " + unit + "/s";
            }
        }
        return bytesPerSecond + " bytes/s";
    }

    private static long unit(String unit) {
        if (unit == null) {
            return 1;
        }
        return switch (unit) {
            case "KiB" -> KI;
            case "MiB" -> KI * KI;
            default -> KI * KI * KI;
        };
    }
}
