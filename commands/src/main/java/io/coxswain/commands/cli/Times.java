package io.coxswain.commands.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times typed on the command line: ISO-8601 with a zone ({@code 2026-11-20T10:00:00Z},
 * {@code 2026-11-20T11:00:00+01:00}), a date (its start, UTC), or an age ({@code 90s}, {@code 15m},
 * {@code 2h}, {@code 3d}: that long ago). Sent to the gateway as an ISO-8601 instant. Lengths of
 * time are typed the same way as ages.
 */
final class Times {

    private static final Pattern AGO = Pattern.compile("(\\d+)([smhd])");

    private Times() {
    }

    static String parse(String option, String value, Clock clock) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (AGO.matcher(v).matches()) {
            return clock.instant().minus(duration(option, v)).toString();
        }
        try {
            return OffsetDateTime.parse(v).toInstant().toString();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
            } catch (DateTimeParseException notDate) {
                throw new CliException(CliException.BAD_INPUT, option + " must be a time like 2026-11-20T10:00:00Z, "
                        + "2026-11-20T11:00:00+01:00, a date like 2026-11-20, or an age like 15m, 2h, 3d; got '" + value + "'");
            }
        }
    }

    /** A length of time typed as {@code 90s}, {@code 15m}, {@code 2h} or {@code 3d}. */
    static Duration duration(String option, String value) {
        Matcher m = AGO.matcher(value.trim());
        if (!m.matches()) {
            throw new CliException(CliException.BAD_INPUT, option + " must be a length of time like 90s, 15m, 2h or 3d; got '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static String parse(String option, String value) {
        return parse(option, value, Clock.systemUTC());
    }
}
