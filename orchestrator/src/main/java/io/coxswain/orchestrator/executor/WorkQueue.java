package io.coxswain.orchestrator.executor;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Cluster ids waiting to be reconciled. A cluster is queued at most once however often it is
 * added, and never processed by two workers at once; added while processed, it runs again after.
 */
final class WorkQueue {

    private final Set<String> queued = new LinkedHashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> again = new HashSet<>();
    private boolean closed;

    synchronized void add(String key) {
        if (processing.contains(key)) {
            again.add(key);
        } else if (queued.add(key)) {
            notifyAll();
        }
    }

    /** The next cluster to reconcile, or null once closed. */
    synchronized String take() throws InterruptedException {
        while (!closed && queued.isEmpty()) {
            wait();
        }
        if (closed) {
            return null;
        }
        String key = queued.iterator().next();
        queued.remove(key);
        processing.add(key);
        return key;
    }

    synchronized void done(String key) {
        processing.remove(key);
        if (again.remove(key)) {
            queued.add(key);
        }
        notifyAll();
    }

    /** Drops queued work for these clusters and waits until none of them is being processed. */
    synchronized boolean drain(Collection<String> keys, Duration timeout) throws InterruptedException {
        queued.removeAll(keys);
        again.removeAll(keys);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (keys.stream().anyMatch(processing::contains)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
