package io.coxswain.gateway.readmodel;

import java.time.Duration;
import java.time.Instant;

/**
 * How current this gateway's read model is. {@code asOf} is the last moment at which the model was
 * confirmed to hold every committed record that Kafka had (null until the first catch-up);
 * {@code kafkaReachable} is false while the last attempt to ask Kafka for its end offsets failed.
 * {@code asOfText} is {@code asOf} in ISO-8601, written once here because every read answer carries
 * it (formatting an instant per request showed up in the gateway's profile under load).
 */
public record Freshness(Instant asOf, boolean kafkaReachable, long lagRecords, String asOfText) {

    public Freshness(Instant asOf, boolean kafkaReachable, long lagRecords) {
        this(asOf, kafkaReachable, lagRecords, asOf == null ? null : asOf.toString());
    }

    public Duration staleness(Instant now) {
        if (asOf == null) {
            return null;
        }
        Duration stale = Duration.between(asOf, now);
        return stale.isNegative() ? Duration.ZERO : stale;
    }

    /**
     * A staleness as the API and the metrics report it: seconds with millisecond precision
     * ({@code 1.234}). The one conversion, so the header, the JSON body and the gauge always agree.
     */
    public static double secondsOf(Duration stale) {
        return stale.toMillis() / 1000.0;
    }

    /** {@link #secondsOf} as the text the headers and cached bodies carry. */
    public static String seconds(Duration stale) {
        return Double.toString(secondsOf(stale));
    }

    /** Fresh enough to call ready: caught up once, Kafka answering, and confirmed within {@code bound}. */
    public boolean fresh(Instant now, Duration bound) {
        Duration s = staleness(now);
        return s != null && kafkaReachable && s.compareTo(bound) <= 0;
    }
}
