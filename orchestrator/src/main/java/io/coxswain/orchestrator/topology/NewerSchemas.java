package io.coxswain.orchestrator.topology;

import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.wire.DroppedFields;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The released schema versions this Coxswain reads each topic with, and how a reader of records a newer Coxswain wrote
 * (an executor acting on a state, a gateway showing a command, a state or a decision) says what it cannot read of one,
 * rather than Avro's schema resolution dropping it unsaid.
 */
public final class NewerSchemas {

    private static final Map<String, List<org.apache.avro.Schema>> HISTORY = ShippedSchemas.history();
    /** The released state schema version the generated ClusterState is (the last: SchemaHistoryTest checks it). */
    public static final int STATE_VERSION = HISTORY.get("state").size();
    /** The released events schema version the generated Decision is. */
    public static final int EVENTS_VERSION = HISTORY.get("events").size();

    private NewerSchemas() {
    }

    /**
     * "written with state schema v25, which this gateway (v24) cannot fully read: it sets spec.x, a field ...".
     *
     * @param schema        commands, state or events
     * @param readerVersion the released version of that schema {@code reader} reads with
     */
    public static String note(String schema, int readerVersion, DroppedFields dropped, String reader) {
        return "written with " + schema + " schema v" + dropped.writer().version() + ", which " + reader + " (v" + readerVersion
                + ") cannot fully read: " + dropped.lacks(reader);
    }

    /**
     * A record a newer Coxswain's node stored that this node reads back (a cluster's state, a command id's first decision),
     * and the words of the rejections of the rule that keeps this node from acting on the rest of one ({@link NewerStateFields},
     * {@link NewerDecisionFields}), which {@code cox verify} finds again in a recorded reason.
     *
     * @param schema the schema it is written with: state or events
     * @param what   the record, as a reason names it: "the cluster's state"
     */
    record Stored(String schema, String what) {

        /**
         * "the cluster's state was written with state schema v25 (schema id 7 of coxswain.state-value) and this node reads
         * state schema v24: it sets spec.changeFreeze, ...".
         *
         * @param nodeVersion the released version of the schema this node reads with
         */
        String cannotRead(DroppedFields dropped, int nodeVersion) {
            return what + " was written with " + schema + " schema v" + dropped.writer().version() + " (schema id " + dropped.writer().id()
                    + " of " + dropped.writer().subject() + ") and " + mark() + nodeVersion + ": " + dropped.lacks("this node");
        }

        /** The way out: "finish upgrading this node to a Coxswain that knows state schema v25". */
        String upgrade(int writer) {
            return "finish upgrading this node to a Coxswain that knows " + schema + " schema v" + writer;
        }

        /** What not to do meanwhile: "do not roll Coxswain back past state schema v25". */
        String noRollback(int writer) {
            return "do not roll Coxswain back past " + schema + " schema v" + writer;
        }

        /** "this node reads state schema v": in every reason {@link #cannotRead} words, and in no other rule's. */
        String mark() {
            return "this node reads " + schema + " schema v";
        }

        boolean isItsReason(String reason) {
            return reason != null && reason.contains(mark());
        }

        /** The writer's version in a reason {@link #cannotRead} worded. */
        OptionalInt writerVersion(String reason) {
            String before = what + " was written with " + schema + " schema v";
            Matcher m = reason == null ? null : Pattern.compile(Pattern.quote(before) + "(\\d+)").matcher(reason);
            return m != null && m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        }
    }
}
