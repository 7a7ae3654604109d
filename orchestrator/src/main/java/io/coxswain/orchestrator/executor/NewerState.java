package io.coxswain.orchestrator.executor;

import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.wire.DroppedFields;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/**
 * A cluster's state written with a newer state schema than this executor's, holding what this one lacks
 * ({@link DroppedFields}): a field a later Coxswain added (a maintenance window, a pause, a policy that restricts when
 * or how the executor may act) set to other than its default, a type or an enum symbol. Decoding it with this executor's
 * schema would drop that unsaid, and acting on the rest could do what the state does not ask, so the executor holds the
 * cluster instead ({@link StateSchemaHolds}). What it still needs of the record is read as its writer schema reads it.
 *
 * @param version       the state's version
 * @param lastCommandId the last command folded into it
 * @param refusals      its {@code status.executorRefusals} (reason and command), to report the hold on change only
 */
record NewerState(String clusterId, long version, String lastCommandId, DroppedFields dropped, Map<String, ExecutorRefusalObserved> refusals) {

    static NewerState of(String clusterId, DroppedFields dropped) {
        GenericRecord written = dropped.asWritten();
        return new NewerState(clusterId, written.get("version") instanceof Long v ? v : -1, text(written, "lastCommandId"), dropped,
                refusals(written));
    }

    /** The state's {@code status.executorRefusals}; empty if the newer schema has them elsewhere (then a report is only repeated). */
    private static Map<String, ExecutorRefusalObserved> refusals(GenericRecord written) {
        Map<String, ExecutorRefusalObserved> out = new TreeMap<>();
        if (has(written, "status") && written.get("status") instanceof GenericRecord status && has(status, "executorRefusals")
                && status.get("executorRefusals") instanceof Map<?, ?> shown) {
            shown.forEach((key, value) -> {
                if (value instanceof GenericRecord r && has(r, "reason")) {
                    out.put(key.toString(), new ExecutorRefusalObserved(text(r, "reason"), has(r, "commandId") ? text(r, "commandId") : null));
                }
            });
        }
        return out;
    }

    private static boolean has(GenericRecord r, String field) {
        return r.getSchema().getField(field) != null;
    }

    private static String text(GenericRecord r, String field) {
        Object v = has(r, field) ? r.get(field) : null;
        return v == null ? null : v.toString();
    }
}
