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
}
