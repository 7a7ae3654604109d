package io.coxswain.orchestrator.operations.drive;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long an operation has waited for the same thing. A restarted executor starts counting
 * afresh: it re-checks the world first, and a longer wait is safer than a wrong failure.
 */
final class StepClock {

    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    private record Waiting(String what, long since) {
    }

    /** @return how long the operation has been waiting for {@code what} (zero the first time) */
    Duration waited(String operationId, String what) {
        long now = System.nanoTime();
        Waiting w = waiting.compute(operationId, (k, old) -> old != null && old.what().equals(what) ? old : new Waiting(what, now));
        return Duration.ofNanos(now - w.since());
    }

    void clear(String operationId) {
        waiting.remove(operationId);
    }
}
