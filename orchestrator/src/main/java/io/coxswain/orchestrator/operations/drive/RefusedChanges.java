package io.coxswain.orchestrator.operations.drive;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import io.coxswain.orchestrator.operations.AdminCalls;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Changes Kafka refused, per place (a live broker key's cluster default or broker, a topic: {@link TopicRefusals}): the same
 * change is tried again only after a delay that doubles with each identical refusal, up to a cap,
 * and a refusal is worth recording only when the answer differs from the last one recorded. A
 * different change to the same place starts afresh. {@link #attempt} is the one way a change that Kafka may refuse is made;
 * each place says which of Kafka's answers are refusals and what it records.
 */
final class RefusedChanges {

    static final Duration FIRST_DELAY = Duration.ofSeconds(10);
    static final Duration MAX_DELAY = Duration.ofMinutes(10);

    private record Refusal(String change, String error, Duration delay, long retryAt) {
    }

    /** What a place records of an attempt (the Admin call itself is {@link #attempt}'s). */
    interface Telling {
        /** Before the change is made; not when it is the very change refused last, already recorded. */
        void making();

        /**
         * Kafka refused it.
         *
         * @param error Kafka's answer: the exception's name and message
         * @param news  the first refusal of this change, or another answer than the last: worth recording
         * @param retry whether it was the very change refused last
         */
        void refused(String error, boolean news, boolean retry);

        /** Kafka took the very change it had refused. */
        void takenAfterRefusal();
    }

    private final Map<String, Refusal> refused = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    RefusedChanges(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Makes {@code change} at {@code place} with {@code call}, unless Kafka refused this very change and the delay after that is
     * not over: told before it is made, when Kafka refuses it and when it goes through after a refusal.
     *
     * @param refusal which of Kafka's answers (the failed call's cause) refuse the change; any other fails the pass
     * @return true when Kafka took it; false when it refused it, now or before
     * @throws AdminCalls.AdminCallFailed when the call failed without Kafka refusing the change: the pass fails, as before
     */
    boolean attempt(String place, String change, Predicate<Throwable> refusal, Runnable call, Telling telling) {
        if (!mayTry(place, change)) {
            return false; // Kafka refused this very change: wait out the delay before asking again
        }
        boolean retry = wasRefused(place, change);
        if (!retry) {
            telling.making(); // recorded before it acts, as every action of the drivers
        }
        try {
            call.run();
        } catch (AdminCalls.AdminCallFailed e) {
            if (!refusal.test(e.getCause())) {
                throw e; // not Kafka refusing the change (a timeout, a broker going away): the pass fails and is tried again
            }
            String error = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            telling.refused(error, refuse(place, change, error), retry);
            return false;
        }
        if (retry) {
            telling.takenAfterRefusal();
        }
        clear(place);
        return true;
    }

    /** Whether {@code change} was refused at {@code place} the last time it was tried. */
    boolean wasRefused(String place, String change) {
        Refusal r = refused.get(place);
        return r != null && Objects.equals(r.change(), change);
    }

    /** False while {@code change} waits out the delay after a refusal at {@code place}. */
    boolean mayTry(String place, String change) {
        Refusal r = refused.get(place);
        return r == null || !Objects.equals(r.change(), change) || nanoClock.getAsLong() - r.retryAt() >= 0;
    }

    /**
     * Notes a refusal and sets when to try again.
     *
     * @return true when this answer is news (first refusal of this change, or a different error): record it
     */
    boolean refuse(String place, String change, String error) {
        Refusal last = refused.get(place);
        boolean same = last != null && Objects.equals(last.change(), change) && last.error().equals(error);
        Duration delay = same ? min(last.delay().multipliedBy(2), MAX_DELAY) : FIRST_DELAY;
        refused.put(place, new Refusal(change, error, delay, nanoClock.getAsLong() + delay.toNanos()));
        return !same;
    }

    /** The delay before the next try after the last refusal at {@code place}, for the log. */
    Duration delay(String place) {
        Refusal r = refused.get(place);
        return r == null ? Duration.ZERO : r.delay();
    }

    /** Whether a change is refused (and not yet taken) at {@code place}. */
    boolean refusedAt(String place) {
        return refused.containsKey(place);
    }

    /** Whether a change is refused (and not yet taken) at any place whose name starts with {@code prefix}. */
    boolean anyAt(String prefix) {
        return refused.keySet().stream().anyMatch(place -> place.startsWith(prefix));
    }

    /**
     * Forgets every place whose name starts with {@code prefix} but those in {@code kept}: a cluster forgotten (none kept), the
     * brokers that left a cluster (those still in it kept).
     */
    void clearAll(String prefix, Set<String> kept) {
        refused.keySet().removeIf(place -> place.startsWith(prefix) && !kept.contains(place));
    }

    /** The change at {@code place} went through (or is no longer wanted): forget its refusals. */
    void clear(String place) {
        refused.remove(place);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
