package io.coxswain.orchestrator.operations.drive;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Changes Kafka refused, per place (a live broker key's cluster default or broker, a topic: {@link TopicRefusals}): the same
 * change is tried again only after a delay that doubles with each identical refusal, up to a cap,
 * and a refusal is worth recording only when the answer differs from the last one recorded. A
 * different change to the same place starts afresh.
 */
final class RefusedChanges {

    static final Duration FIRST_DELAY = Duration.ofSeconds(10);
    static final Duration MAX_DELAY = Duration.ofMinutes(10);

    private record Refusal(String change, String error, Duration delay, long retryAt) {
    }

    private final Map<String, Refusal> refused = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    RefusedChanges(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Whether {@code change} was refused at {@code place} the last time it was tried. */
    boolean wasRefused(String place, String change) {
        Refusal r = refused.get(place);
        return r != null && r.change().equals(change);
    }

    /** False while {@code change} waits out the delay after a refusal at {@code place}. */
    boolean mayTry(String place, String change) {
        Refusal r = refused.get(place);
        return r == null || !r.change().equals(change) || nanoClock.getAsLong() - r.retryAt() >= 0;
    }

    /**
     * Notes a refusal and sets when to try again.
     *
     * @return true when this answer is news (first refusal of this change, or a different error): record it
     */
    boolean refuse(String place, String change, String error) {
        Refusal last = refused.get(place);
        boolean same = last != null && last.change().equals(change) && last.error().equals(error);
        Duration delay = same ? min(last.delay().multipliedBy(2), MAX_DELAY) : FIRST_DELAY;
        refused.put(place, new Refusal(change, error, delay, nanoClock.getAsLong() + delay.toNanos()));
        return !same;
    }

    /** The delay before the next try after the last refusal at {@code place}, for the log. */
    Duration delay(String place) {
        Refusal r = refused.get(place);
        return r == null ? Duration.ZERO : r.delay();
    }

    /** Whether a change is refused (and not yet taken) at any place whose name starts with {@code prefix}. */
    boolean anyAt(String prefix) {
        return refused.keySet().stream().anyMatch(place -> place.startsWith(prefix));
    }

    /** Forgets every place whose name starts with {@code prefix} (a cluster forgotten). */
    void clearAll(String prefix) {
        refused.keySet().removeIf(place -> place.startsWith(prefix));
    }

    /** The change at {@code place} went through (or is no longer wanted): forget its refusals. */
    void clear(String place) {
        refused.remove(place);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
