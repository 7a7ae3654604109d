package io.coxswain.orchestrator.topology;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.Rejection;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A cluster whose stored state a newer Coxswain's fold wrote, with a newer state schema, holding what this node's lacks
 * (a field set to other than its default, such as a spec setting restricting when the executor may act; a type, an enum
 * symbol): during a rolling upgrade, or after a rollback, an older node can own the cluster's partition. Avro's schema
 * resolution would read the rest and the fold would fold the next command onto it and write the state back without
 * those fields: lost for good, and nobody told. So a node folds nothing onto such a state. A command for the cluster is
 * rejected (OTHER, {@code admitted=false}: its id stays free, as for a command a newer schema wrote, {@link NewerWriterFields})
 * naming what the node cannot read and what to do; an executor's observation is dropped with a warning, no decision (the
 * executor reports again what a state it reads does not show). A command id already decided is left to the fold, which
 * answers it as a duplicate without reading the state (or, its first decision holding what this node lacks, refused by
 * {@link NewerDecisionFields}: {@link Held#check}). Nothing goes to the state topic, nor to the dead-letter topic: the
 * record is fine.
 */
public final class NewerStateFields {

    private static final NewerSchemas.Stored STATE = new NewerSchemas.Stored("state", "the cluster's state");

    private NewerStateFields() {
    }

    /**
     * What the node does instead of folding the admitted command {@code c}: empty when the cluster's state is one it reads
     * whole (the hot path: a look-up of the decoded state), or {@code c}'s id was decided before.
     */
    static Optional<Held> check(StoredStates memory, Command c) {
        Optional<DroppedFields> newer = memory.newerState(c.getClusterId());
        if (newer.isEmpty() || memory.decided(c.getClusterId(), c.getCommandId()).isPresent()) {
            return Optional.empty();
        }
        DroppedFields state = newer.get();
        int writer = state.writer().version();
        return Optional.of(new Held(c, rejection(c, state, NewerSchemas.STATE_VERSION), "observation " + c.getCommandId() + " of cluster '"
                + c.getClusterId() + "' dropped, not folded: " + cannotRead(state, NewerSchemas.STATE_VERSION) + ". The executor reports"
                + " again what a state this node can read does not show: " + STATE.upgrade(writer) + "; " + noRollback(writer)));
    }

    /** @param nodeVersion the released state schema version this node reads with ({@link NewerSchemas#STATE_VERSION}) */
    public static Rejection rejection(Command c, DroppedFields state, int nodeVersion) {
        int writer = state.writer().version();
        return new Rejection(RejectionCode.OTHER, Commands.typeOf(c) + " " + c.getCommandId() + " on cluster '"
                + c.getClusterId() + "' was not decided: " + cannotRead(state, nodeVersion) + ". Folding the command onto the rest and"
                + " writing the state back would lose that for good, so nothing was done and the command id stays free: "
                + STATE.upgrade(writer) + " and send it again; " + noRollback(writer));
    }

    private static String cannotRead(DroppedFields state, int nodeVersion) {
        return STATE.cannotRead(state, nodeVersion);
    }

    private static String noRollback(int writer) {
        return STATE.noRollback(writer) + " while clusters use these fields";
    }

    /** Whether a recorded rejection's reason is this rule's. */
    public static boolean isItsReason(String reason) {
        return STATE.isItsReason(reason);
    }

    /** The state schema version that wrote the state a rejection of this rule names. */
    public static OptionalInt writerVersion(String reason) {
        return STATE.writerVersion(reason);
    }
}
