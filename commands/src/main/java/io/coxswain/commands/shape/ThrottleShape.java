package io.coxswain.commands.shape;

import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replication throttle, per second per broker as Kafka counts it: a RebalanceCluster's, and the
 * installation's default. One rule for both, and one way to write it: bytes as a whole number
 * ({@code 52428800}) or in binary units ({@code 512KiB}, {@code 50MiB}, {@code 1GiB}), optionally
 * followed by {@code /s}. Decimal units (MB, GB) are refused rather than taken as binary ones: 50MB
 * and 50MiB differ by 5%, and whoever typed one should not silently get the other.
 */
public final class ThrottleShape {

    /**
     * Below 1 MiB/s a rebalance of any real topic runs for days (and a reassignment never finishes
     * while followers cannot catch up with the writes); above 10 GiB/s it is no throttle at all.
     */
    public static final long MIN = 1024L * 1024;
    public static final long MAX = 10L * 1024 * 1024 * 1024;
    public static final String BOUNDS = "between " + MIN + " (1 MiB/s) and " + MAX + " (10 GiB/s) bytes per second per broker";
    /** What the forms {@link #parse} reads look like, for error messages. */
    public static final String FORMS = "bytes per second as a whole number, or with a binary unit: 52428800, 512KiB, 50MiB or 1GiB";

    private static final Pattern RATE = Pattern.compile("(\\d{1,19})(KiB|MiB|GiB)?(/s)?");
    private static final long KI = 1024;

    private ThrottleShape() {
    }

    /** The rate in bytes per second; empty when {@code value} is none of the {@link #FORMS} (bounds not checked). */
    public static OptionalLong parse(String value) {
        Matcher m = RATE.matcher(value.trim());
        try {
            return m.matches() ? OptionalLong.of(Math.multiplyExact(Long.parseLong(m.group(1)), unit(m.group(2)))) : OptionalLong.empty();
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            return OptionalLong.empty(); // past a long: not a rate anybody meant
        }
    }

    /** Adds a violation of {@code field} when {@code bytesPerSecond} (null: the installation's default) is not {@link #within} bounds. */
    public static void check(Long bytesPerSecond, String field, List<Violation> v) {
        if (bytesPerSecond != null && !within(bytesPerSecond)) {
            v.add(new Violation(field, "must be " + BOUNDS + ", or left out for the installation's default, got " + bytesPerSecond));
        }
    }

    public static boolean within(long bytesPerSecond) {
        return bytesPerSecond >= MIN && bytesPerSecond <= MAX;
    }

    /** A rate as a person reads it: in the largest binary unit it is a whole number of, e.g. {@code 50 MiB/s}. */
    public static String format(long bytesPerSecond) {
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
