package io.coxswain.bench;

import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;

/** Follows a Streams application's committed offsets on its input until they reach the end. */
final class FoldProgress {

    private FoldProgress() {
    }

    /**
     * @param alive false once the application has stopped (then the run is void, not slow)
     * @return records per second, from the first commit seen to the last: start-up and the first
     *         rebalance are not counted
     */
    static double await(Admin admin, String group, String topic, long end, BooleanSupplier alive) throws Exception {
        long firstSeenAt = 0;
        long firstSeen = 0;
        while (true) {
            long committed = KafkaProbe.committedSum(admin, group, topic);
            long now = System.nanoTime();
            if (firstSeenAt == 0 && committed > 0) {
                firstSeenAt = now;
                firstSeen = committed;
            }
            if (committed >= end) {
                return (end - firstSeen) / ((now - firstSeenAt) / 1e9);
            }
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException(group + " stopped before reaching the end of " + topic);
            }
            Thread.sleep(100); // sampling interval of the progress probe, not synchronisation
        }
    }
}
