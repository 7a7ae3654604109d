package io.coxswain.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.gateway.readmodel.CommandView;
import io.coxswain.gateway.readmodel.Freshness;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;

/** JSON shapes of the read model's answers; field names are the API contract (add, never rename). */
final class Views {

    private Views() {
    }

    static ObjectNode command(CommandView v) {
        ObjectNode n = Replies.object();
        n.put("commandId", v.commandId()).put("clusterId", v.clusterId()).put("type", v.type()).put("status", v.status());
        n.put("issuer", v.issuer());
        n.put("issuedAt", v.issuedAt() == null ? null : v.issuedAt().toString());
        if (v.offset() >= 0) {
            n.put("partition", v.partition()).put("offset", v.offset());
        }
        if (v.version() != null) {
            n.put("version", v.version());
        }
        if (v.code() != null) {
            n.put("code", v.code());
        }
        if (v.reason() != null) {
            n.put("reason", v.reason());
        }
        if (v.note() != null) {
            n.put("note", v.note());
        }
        if (v.currentVersion() != null) {
            n.put("currentVersion", v.currentVersion());
        }
        if (v.duplicate()) {
            n.put("duplicate", true);
        }
        if (v.awaitingApprovals() > 0) {
            // status stays accepted (the proposal was recorded): clients written before approvals keep reading it so
            n.put("proposed", true);
        }
        return n;
    }

    /** @param note why the state is not all its writer wrote ({@code ClusterViews.note}); null when it is */
    static ObjectNode summary(ClusterState s, String note) {
        ObjectNode n = Replies.object().put("clusterId", s.getClusterId()).put("version", s.getVersion()).put("intentVersion", s.getIntentVersion())
                .put("reconciledIntentVersion", s.getStatus().getReconciledIntentVersion())
                .put("phase", s.getStatus().getPhase())
                .put("kafkaVersion", s.getSpec().getKafkaVersion())
                .put("brokers", s.getSpec().getBrokers())
                .put("updatedAt", s.getUpdatedAt().toString());
        n.set("labels", Replies.JSON.valueToTree(new TreeMap<>(s.getSpec().getLabels())));
        OperationStatus op = s.getStatus().getOperation();
        if (op != null) {
            // what a fleet run resumed after a stop needs to tell a cluster it already changed, without reading each one
            n.putObject("operation").put("operationId", op.getOperationId()).put("operation", op.getOperation()).put("state", op.getState())
                    .put("causeCommandId", op.getCauseCommandId());
        }
        if (!s.getStatus().getExecutorRefusals().isEmpty()) {
            // the keys alone, in order: enough for a list to mark the cluster blocked; the reasons are in the cluster's own state
            s.getStatus().getExecutorRefusals().keySet().stream().sorted().forEach(n.putArray("blocked")::add);
        }
        if (note != null) {
            n.put("note", note);
        }
        return n;
    }

    static ObjectNode freshness(Freshness f, Instant now) {
        ObjectNode n = Replies.object();
        n.put("asOf", f.asOfText());
        Duration stale = f.staleness(now);
        if (stale == null) {
            n.putNull("staleSeconds");
        } else {
            n.put("staleSeconds", Freshness.secondsOf(stale));
        }
        n.put("kafkaReachable", f.kafkaReachable());
        return n;
    }
}
