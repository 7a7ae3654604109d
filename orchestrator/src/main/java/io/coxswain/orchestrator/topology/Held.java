package io.coxswain.orchestrator.topology;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.orchestrator.fold.Rejection;
import java.util.Optional;

/**
 * An admitted command a node neither folds nor answers as a duplicate, for what its schema lacks of a record a newer
 * Coxswain wrote: its cluster's stored state ({@link NewerStateFields}) or its command id's first decision
 * ({@link NewerDecisionFields}). A command is rejected ({@code OTHER}, {@code admitted=false}); an executor's observation is
 * dropped with a warning, no decision. Nothing is stored, folded or dead-lettered.
 *
 * @param rejection the command's rejection: what the node cannot read, and what to do
 * @param warning   the warning for a dropped observation: what was dropped, why, and what to do
 */
public record Held(Command command, Rejection rejection, String warning) {

    /**
     * What a node does instead of deciding {@code c}: empty when it reads whole what it would fold onto or answer with (the
     * hot path). A repeat of a decided command id is answered by its first decision and never folded, so its decision's
     * rule comes first, and the state's applies only to a command id not decided yet.
     */
    public static Optional<Held> check(StoredStates memory, Command c) {
        return NewerDecisionFields.check(memory, c).or(() -> NewerStateFields.check(memory, c));
    }

    /** An executor's report ({@code RecordObservation}): dropped, not rejected. */
    public boolean observation() {
        return command.getPayload() instanceof RecordObservation;
    }
}
