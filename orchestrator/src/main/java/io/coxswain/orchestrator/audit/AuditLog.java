package io.coxswain.orchestrator.audit;

import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ResourceActionObserved;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The audit query: one pass over the whole log, folding every command (a decision depends on the
 * cluster's state, so even a narrow time range needs the fold from offset 0), keeping the entries that
 * match, and attaching to each the executor observations that name it as their cause, which come later
 * in the log (so the pass always runs to the end). Memory: the fold's, plus the matched entries (at most
 * the query's limit) and the operation ids started by them.
 */
public final class AuditLog {

    private AuditLog() {
    }

    public static AuditResult query(Replayer replayer, AuditQuery q) {
        List<AuditEntry> entries = new ArrayList<>();
        Map<String, AuditEntry> byCommand = new HashMap<>(); // clusterId/commandId → first matched entry
        Map<String, String> causeOfOperation = new HashMap<>(); // clusterId/operationId → commandId, for matched causes
        long[] matched = {0};
        long[] scanned = {0};
        replayer.replay(ReplayOptions.all(), e -> {
            if (q.readable().test(e.clusterId())) {
                scanned[0]++; // others' records are not even counted: their volume is theirs
            }
            String observationType = null;
            if (e.command() != null && e.command().getPayload() instanceof RecordObservation o) {
                observationType = ((SpecificRecord) o.getObservation()).getSchema().getName();
                link(e, o, byCommand, causeOfOperation);
            }
            if (q.matches(e, observationType)) {
                matched[0]++;
                if (entries.size() < q.limit()) {
                    AuditEntry entry = new AuditEntry(e.partition(), e.offset(), e.loggedAt(), e.clusterId(), ReplayEngine.typeOf(e),
                            e.command(), e.decision(), e.deadLetterReason(), new ArrayList<>());
                    entries.add(entry);
                    if (e.command() != null) {
                        byCommand.putIfAbsent(key(e.clusterId(), e.command().getCommandId()), entry);
                    }
                }
            }
            return true;
        });
        return new AuditResult(entries, matched[0], matched[0] > entries.size(), scanned[0]);
    }

    /** Attaches an observation to the matched command it names as its cause, if any. */
    private static void link(ReplayEngine.Event e, RecordObservation o, Map<String, AuditEntry> byCommand, Map<String, String> causeOfOperation) {
        String cluster = e.command().getClusterId();
        Object obs = o.getObservation();
        String cause = null;
        if (obs instanceof ResourceActionObserved r) {
            cause = r.getCauseCommandId();
        } else if (obs instanceof OperationObserved op) {
            cause = op.getCauseCommandId();
            if (cause != null && byCommand.containsKey(key(cluster, cause))) {
                causeOfOperation.put(key(cluster, op.getOperationId()), cause);
            }
        } else if (obs instanceof OperationStepObserved s) {
            cause = causeOfOperation.get(key(cluster, s.getOperationId()));
        } else if (obs instanceof OffsetResetObserved r) {
            cause = r.getCommandId(); // its plan (every partition's before and after) and outcome, under the reset that asked
        }
        AuditEntry target = cause == null ? null : byCommand.get(key(cluster, cause));
        if (target != null) {
            target.actions().add(new AuditEntry.Action(e.partition(), e.offset(), e.loggedAt(), e.command().getCommandId(), o.getObserver(),
                    ((SpecificRecord) obs).getSchema().getName(), StateJson.node((SpecificRecord) obs), e.accepted()));
        }
    }

    private static String key(String clusterId, String id) {
        return clusterId + "/" + id;
    }
}
