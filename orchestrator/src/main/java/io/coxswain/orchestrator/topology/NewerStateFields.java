package io.coxswain.orchestrator.topology;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.Rejection;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster whose stored state a newer Coxswain's fold wrote, with a newer state schema, holding what this node's lacks
 * (a field set to other than its default, such as a spec setting restricting when the executor may act; a type, an enum
 * symbol): during a rolling upgrade, or after a rollback, an older node can own the cluster's partition. Avro's schema
 * resolution would read the rest and the fold would fold the next command onto it and write the state back without
 * those fields: lost for good, and nobody told. So a node folds nothing onto such a state. A command for the cluster is
 * rejected (OTHER, {@code admitted=false}: its id stays free, as for a command a newer schema wrote, {@link NewerWriterFields})
 * naming what the node cannot read and what to do; an executor's observation is dropped with a warning, no decision (the
 * executor reports again what a state it reads does not show). A command id already decided is left to the fold, which
 * answers it as a duplicate without reading the state. Nothing goes to the state topic, nor to the dead-letter topic: the
 * record is fine.
 */
public final class NewerStateFields {

    /** In every such rejection's reason: how {@code cox verify} tells it from a rule that changed. */
    static final String MARK = "this node reads state schema v";
    private static final Pattern WRITER = Pattern.compile("state was written with state schema v(\\d+)");

    private NewerStateFields() {
    }

    /**
     * What the node does instead of folding the admitted command {@code c}: empty when the cluster's state is one it reads
     * whole (the hot path: a look-up of the decoded state), or {@code c}'s id was decided before.
     */
    public static Optional<Held> check(StoredStates memory, Command c) {
        Optional<DroppedFields> newer = memory.newerState(c.getClusterId());
        if (newer.isEmpty() || memory.decided(c.getClusterId(), c.getCommandId()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new Held(c, newer.get()));
    }

    /** A command not folded because its cluster's stored state holds {@code state}'s fields. */
    public record Held(Command command, DroppedFields state) {

        /** An executor's report ({@code RecordObservation}): dropped, not rejected. */
        public boolean observation() {
            return command.getPayload() instanceof RecordObservation;
        }

        public Rejection rejection() {
            return NewerStateFields.rejection(command, state, NewerSchemas.STATE_VERSION);
        }

        /** The warning for a dropped observation: what was dropped, why, and what to do. */
        public String dropped() {
            return "observation " + command.getCommandId() + " of cluster '" + command.getClusterId() + "' dropped, not folded: "
                    + cannotRead(state, NewerSchemas.STATE_VERSION) + ". The executor reports again what a state this node can read does"
                    + " not show: " + upgrade(state.writer().version()) + "; " + noRollback(state.writer().version());
        }
    }

    /** @param nodeVersion the released state schema version this node reads with ({@link NewerSchemas#STATE_VERSION}) */
    public static Rejection rejection(Command c, DroppedFields state, int nodeVersion) {
        return new Rejection(RejectionCode.OTHER, Commands.typeOf(c) + " " + c.getCommandId() + " on cluster '"
                + c.getClusterId() + "' was not decided: " + cannotRead(state, nodeVersion) + ". Folding the command onto the rest and"
                + " writing the state back would lose that for good, so nothing was done and the command id stays free: "
                + upgrade(state.writer().version()) + " and send it again; " + noRollback(state.writer().version()));
    }

    private static String cannotRead(DroppedFields state, int nodeVersion) {
        return "the cluster's state was written with state schema v" + state.writer().version() + " (schema id " + state.writer().id()
                + " of " + state.writer().subject() + ") and " + MARK + nodeVersion + ": " + state.lacks("this node");
    }

    private static String upgrade(int writer) {
        return "finish upgrading this node to a Coxswain that knows state schema v" + writer;
    }

    private static String noRollback(int writer) {
        return "do not roll Coxswain back past state schema v" + writer + " while clusters use these fields";
    }

    /** Whether a recorded rejection's reason is this rule's. */
    public static boolean isItsReason(String reason) {
        return reason != null && reason.contains(MARK);
    }

    /** The state schema version that wrote the state a rejection of this rule names. */
    public static OptionalInt writerVersion(String reason) {
        Matcher m = reason == null ? null : WRITER.matcher(reason);
        return m != null && m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
