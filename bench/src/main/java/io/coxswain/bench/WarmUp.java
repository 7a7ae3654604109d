package io.coxswain.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offered load before a latency measurement, discarded, until the JIT compiler has settled: a
 * running gateway does not pay for compilation, and one process here holds broker, node, gateway
 * and load generator, whose code the JIT was still compiling at up to a fifth of the machine's CPU
 * 30 s into a measured window (async-profiler, bench/). Runs in chunks at the measured rate, at
 * least {@code minSeconds}, until a chunk's compilation time falls under {@link #QUIET_SHARE} of
 * one core, or {@code maxSeconds} have passed.
 */
final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    static final int CHUNK_SECONDS = 3;
    /** Compilation time per second of a chunk, in cores, below which the JIT counts as settled. */
    static final double QUIET_SHARE = 0.05;

    /** @param requests how many were offered: the measured window's requests are numbered after them */
    record Done(int seconds, int requests, double compileShare) {
    }

    private WarmUp() {
    }

    static Done run(String what, int rate, int minSeconds, int maxSeconds, IntFunction<CompletionStage<?>> request) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        int seconds = 0;
        int offered = 0;
        double share = Double.NaN;
        while (seconds < maxSeconds) {
            long compiledBefore = jit.getTotalCompilationTime();
            long started = System.nanoTime();
            int first = offered;
            int chunk = rate * CHUNK_SECONDS;
            OpenLoop.run(rate, chunk, i -> request.apply(first + i));
            offered += chunk;
            seconds += CHUNK_SECONDS;
            share = (jit.getTotalCompilationTime() - compiledBefore) / ((System.nanoTime() - started) / 1e6);
            if (seconds >= minSeconds && share < QUIET_SHARE) {
                break;
            }
        }
        log.info("{}: warmed up for {} s at {}/s; the JIT compiled for {} of a core in the last {} s", what, seconds, rate,
                String.format("%.3f", share), CHUNK_SECONDS);
        return new Done(seconds, offered, share);
    }
}
