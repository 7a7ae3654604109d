package io.coxswain.orchestrator.executor.observe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Observations are recorded on change only. "Changed" means: differs from what the folded state
 * already says, and is not what this executor sent a moment ago and the fold has not caught up
 * with yet. The second rule keeps the log from repeating a report while it travels through
 * the topology; after {@code inFlight} the state is trusted again, so a lost report is re-sent.
 */
public final class ChangeFilter {

    private record Sent(Object value, long atNanos) {
    }

    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final long inFlightNanos;
    private final LongSupplier clock;

    public ChangeFilter(Duration inFlight) {
        this(inFlight, System::nanoTime);
    }

    ChangeFilter(Duration inFlight, LongSupplier clock) {
        this.inFlightNanos = inFlight.toNanos();
        this.clock = clock;
    }

    /** @param alreadyFolded the state already says {@code value} */
    public boolean shouldRecord(String clusterId, String key, Object value, boolean alreadyFolded) {
        String k = clusterId + "/" + key;
        if (alreadyFolded) {
            sent.remove(k);
            return false;
        }
        Sent last = sent.get(k);
        return last == null || !last.value().equals(value) || clock.getAsLong() - last.atNanos() > inFlightNanos;
    }

    public void recorded(String clusterId, String key, Object value) {
        sent.put(clusterId + "/" + key, new Sent(value, clock.getAsLong()));
    }

    public void forget(String clusterId) {
        sent.keySet().removeIf(k -> k.startsWith(clusterId + "/"));
    }
}
