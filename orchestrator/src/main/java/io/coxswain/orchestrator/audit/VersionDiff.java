package io.coxswain.orchestrator.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.state.ClusterState;
import java.time.Instant;
import java.util.List;

/**
 * What changed in a cluster between two versions, and which accepted commands did it.
 *
 * @param from    the state at {@code fromVersion}; null for version 0 (before the cluster existed)
 * @param changes every field that differs between the two versions (bookkeeping fields included)
 * @param causes  the accepted commands that made versions fromVersion+1 .. toVersion, in order
 */
public record VersionDiff(String clusterId, long fromVersion, long toVersion, ClusterState from, ClusterState to,
                          List<Change> changes, List<Cause> causes) {

    /** A changed field and the commands (of {@code causes}) that changed it on the way. */
    public record Change(FieldDiff.FieldChange field, List<String> causedBy) {
    }

    /** One accepted command between the two versions and the fields it changed (bookkeeping fields left out). */
    public record Cause(long version, String commandId, String type, String issuer, Instant issuedAt, Instant loggedAt,
                        int partition, long offset, List<String> changedPaths) {
    }

    public VersionDiff {
        changes = List.copyOf(changes);
        causes = List.copyOf(causes);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("cluster", clusterId).put("from", fromVersion).put("to", toVersion);
        ArrayNode ch = o.putArray("changes");
        for (Change c : changes) {
            ObjectNode n = c.field().toJson();
            c.causedBy().forEach(n.putArray("causedBy")::add);
            ch.add(n);
        }
        ArrayNode cs = o.putArray("commands");
        for (Cause c : causes) {
            ObjectNode n = cs.addObject();
            n.put("version", c.version()).put("commandId", c.commandId()).put("type", c.type()).put("issuer", c.issuer())
                    .put("issuedAt", c.issuedAt().toString()).put("loggedAt", c.loggedAt().toString())
                    .put("partition", c.partition()).put("offset", c.offset());
            c.changedPaths().forEach(n.putArray("changed")::add);
        }
        return o;
    }
}
