package io.coxswain.gateway;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until a deadline: the tests' only way of waiting for something asynchronous. */
final class Poll {

    private Poll() {
    }

    static <T> T until(Duration timeout, String what, Supplier<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                T v = attempt.get();
                if (v != null && !Boolean.FALSE.equals(v)) {
                    return v;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what, last);
    }

    /**
     * Returns once the wall clock reads a later millisecond than when called. Kafka's record timestamps are
     * milliseconds, so a record written before the call and one written after it, or an instant taken in between,
     * are never the same millisecond: what an as-of read at that instant answers is decided by the call, not by luck.
     */
    static void nextMillisecond() {
        long then = System.currentTimeMillis();
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.currentTimeMillis() <= then) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the wall clock did not pass " + then + " ms within 1 s (set back?)");
            }
            Thread.onSpinWait();
        }
    }
}
