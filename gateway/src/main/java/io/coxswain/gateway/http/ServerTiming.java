package io.coxswain.gateway.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's request spent its time, for the W3C {@code Server-Timing} header of
 * {@code POST /v1/commands}: {@code write} (parsed, checked and acknowledged by Kafka), {@code decision}
 * (until this gateway saw the node's decision), {@code state} (until it also had the new state, so that
 * the caller's next read here sees its write), and {@code total}. A caller or a browser's developer tools
 * can then tell a slow Kafka from a slow fold without access to the servers.
 *
 * <p>Phases are marked from whichever thread finishes them (the event loop, Kafka's producer thread,
 * the read model's consumer thread), one after the other; the synchronized list keeps the marks
 * visible to the thread that writes the reply.
 */
final class ServerTiming {

    private final long start = System.nanoTime();
    private long last = start;
    private final List<String> phases = new ArrayList<>(4);

    /** Ends the phase called {@code name} now; it began when the previous phase ended (or the request was taken). */
    synchronized void mark(String name) {
        long now = System.nanoTime();
        phases.add(entry(name, now - last));
        last = now;
    }

    /** The header's value: the phases marked so far, then the total. */
    synchronized String header() {
        List<String> all = new ArrayList<>(phases);
        all.add(entry("total", System.nanoTime() - start));
        return String.join(", ", all);
    }

    /** Milliseconds with one decimal, rounded half up; by hand, as String.format cost a gateway at 1,000 commands/s 1% of its CPU (bench/). */
    static String entry(String name, long nanos) {
        long tenths = (Math.max(0, nanos) + 50_000) / 100_000;
        return name + ";dur=" + tenths / 10 + "." + tenths % 10;
    }
}
