package io.coxswain.orchestrator.operations.offsets;

/**
 * What a partition holds, as Kafka answers {@code ListOffsets}: where a consumer may start.
 *
 * @param earliest the log start offset
 * @param latest   the end offset (the next offset written)
 * @param atTime   the first offset whose record's timestamp is at or after the reset's time; null when asked for none or
 *                 when no record is that recent
 */
public record PartitionBounds(long earliest, long latest, Long atTime) {

    long clamp(long offset) {
        return Math.max(earliest, Math.min(latest, offset));
    }
}
