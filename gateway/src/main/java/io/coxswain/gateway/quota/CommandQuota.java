package io.coxswain.gateway.quota;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How many commands each principal may write through this gateway: a token bucket per principal,
 * refilled at {@code perSecond} up to {@code burst}. The command log is kept forever, so a runaway
 * script must not be able to append without bound; a throttled caller is answered 429 with the wait,
 * and nothing is written. Per gateway instance: N instances let a principal through N times as fast.
 */
public final class CommandQuota {

    private static final CommandQuota UNLIMITED = new CommandQuota(0, 0, System::nanoTime);

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private CommandQuota(double perSecond, int burst, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanos = nanos;
    }

    /** Every principal may write as fast as the gateway takes commands. */
    public static CommandQuota unlimited() {
        return UNLIMITED;
    }

    public static CommandQuota of(double perSecond, int burst) {
        return of(perSecond, burst, System::nanoTime);
    }

    /** @param nanos a monotonic clock in nanoseconds (tests drive it by hand) */
    static CommandQuota of(double perSecond, int burst, LongSupplier nanos) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a command rate needs a positive rate per second and a burst of at least 1, got "
                    + perSecond + "/s and burst " + burst);
        }
        return new CommandQuota(perSecond, burst, nanos);
    }

    public boolean limited() {
        return perSecond > 0;
    }

    public double perSecond() {
        return perSecond;
    }

    public int burst() {
        return burst;
    }

    /** Takes one command from the principal's allowance: empty when it may write now, else how long until it may. */
    public Optional<Duration> take(String principal) {
        if (!limited()) {
            return Optional.empty();
        }
        return buckets.computeIfAbsent(principal, p -> new Bucket(burst, nanos.getAsLong())).take(nanos.getAsLong());
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized Optional<Duration> take(long now) {
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9)));
        }
    }
}
