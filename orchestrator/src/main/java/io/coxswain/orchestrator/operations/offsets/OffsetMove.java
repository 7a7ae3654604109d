package io.coxswain.orchestrator.operations.offsets;

/**
 * One partition's part of a reset: the group's committed offset when planned, and what it is set to.
 *
 * @param from null when the group had no committed offset on the partition
 */
public record OffsetMove(Long from, long to) {

    /** Whether a partition now at {@code committed} (null: none) is where the plan found it. */
    boolean stillAtFrom(Long committed) {
        return java.util.Objects.equals(from, committed);
    }

    /** Whether a partition now at {@code committed} (null: none) is where the plan sends it. */
    boolean atTarget(Long committed) {
        return committed != null && committed == to;
    }
}
