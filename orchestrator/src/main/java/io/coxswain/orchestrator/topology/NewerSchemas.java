package io.coxswain.orchestrator.topology;

import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.wire.DroppedFields;
import java.util.List;
import java.util.Map;

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
}
