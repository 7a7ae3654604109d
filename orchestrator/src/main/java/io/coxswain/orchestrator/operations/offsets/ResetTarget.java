package io.coxswain.orchestrator.operations.offsets;

import io.coxswain.avro.state.OffsetResetRequest;
import java.time.Instant;

/** Where a reset sends a group's offsets, as the pending request says it. */
public record ResetTarget(Kind kind, Instant datetime, Long shiftBy) {

    public enum Kind { EARLIEST, LATEST, DATETIME, SHIFT_BY }

    public static ResetTarget of(OffsetResetRequest r) {
        return new ResetTarget(Kind.valueOf(r.getTo()), r.getDatetime(), r.getShiftBy());
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DATETIME -> "DATETIME " + datetime;
            case SHIFT_BY -> "SHIFT_BY " + shiftBy;
            default -> kind.name();
        };
    }
}
