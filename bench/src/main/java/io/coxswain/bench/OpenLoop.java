package io.coxswain.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;

/**
 * Offers requests at a fixed rate whatever the responses do (open loop), and measures each from its
 * scheduled start, so a stall shows in the percentiles instead of silently lowering the load.
 */
final class OpenLoop {

    record Outcome(long[] latencies, int failures, String firstFailure) {
    }

    static final int MAX_IN_FLIGHT = 512;

    private OpenLoop() {
    }

    static Outcome run(int ratePerSecond, int count, IntFunction<CompletionStage<?>> request) throws InterruptedException {
        AtomicLongArray latencies = new AtomicLongArray(count);
        AtomicInteger failures = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> first = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<?>[] all = new CompletableFuture<?>[count];
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        // Bounds the requests in flight (each holds a connection): past saturation a request waits
        // for a slot, and since latency counts from its scheduled start, the wait shows in the figures.
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long scheduled = start + i * intervalNanos;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the offered load
            }
            int n = i;
            inFlight.acquire();
            all[i] = request.apply(i).toCompletableFuture().handle((ok, error) -> {
                if (error != null) {
                    failures.incrementAndGet();
                    first.compareAndSet(null, String.valueOf(error));
                }
                latencies.set(n, System.nanoTime() - scheduled);
                inFlight.release();
                return null;
            });
        }
        CompletableFuture.allOf(all).join();
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = latencies.get(i);
        }
        return new Outcome(out, failures.get(), first.get());
    }
}
