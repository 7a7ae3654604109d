package io.coxswain.orchestrator.audit;

import java.time.Instant;

/**
 * What to replay.
 *
 * <p><b>"As of" uses the record timestamp in the log</b>, not the command's {@code issuedAt}: issuedAt
 * is written by the sender and may be early, late or equal for many commands, while the record
 * timestamp says when the record entered the log (exactly so with {@code message.timestamp.type=LogAppendTime},
 * the producer's send time with the default CreateTime). Each partition is replayed up to, not
 * including, its first record stamped after {@code to}: always a prefix of the log, so the result is
 * a state that really existed even if producers' clocks disagree a little.
 *
 * @param clusterId null for every cluster; otherwise only records keyed by this id are decoded and folded
 *                  (the others cannot change its state)
 * @param to        null, or stop each partition before its first record with a timestamp after this instant
 * @param toOffset  null, or stop each partition after the record at this offset (inclusive)
 */
public record ReplayOptions(String clusterId, Instant to, Long toOffset) {

    public ReplayOptions {
        if (to != null && toOffset != null) {
            throw new IllegalArgumentException("give a time or an offset to stop at, not both");
        }
        if (toOffset != null && toOffset < 0) {
            throw new IllegalArgumentException("the offset to stop at must be 0 or more, got " + toOffset);
        }
    }

    public static ReplayOptions all() {
        return new ReplayOptions(null, null, null);
    }

    public ReplayOptions cluster(String id) {
        return new ReplayOptions(id, to, toOffset);
    }

    public ReplayOptions until(Instant instant) {
        return new ReplayOptions(clusterId, instant, toOffset);
    }

    public ReplayOptions untilOffset(long offset) {
        return new ReplayOptions(clusterId, to, offset);
    }
}
