package io.coxswain.sandbox.kube;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a probe until its value satisfies a condition or a deadline passes: no sleeps as synchronisation. The deadline is
 * a loaded 2-core machine's: the controllers, the kubelet and their informers run on threads of their own, and a passing
 * wait returns as soon as its condition holds.
 */
final class Eventually {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 25;

    private Eventually() {
    }

    static <T> T await(String what, Supplier<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
        AssertionError failure = new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what
                + "; last value: " + last);
        if (lastError != null) {
            failure.initCause(lastError);
        }
        throw failure;
    }

    static void until(String what, Supplier<Boolean> condition) {
        await(what, condition, Boolean::booleanValue);
    }
}
