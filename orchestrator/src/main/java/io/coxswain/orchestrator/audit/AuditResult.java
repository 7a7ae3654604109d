package io.coxswain.orchestrator.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Entries of an audit query in log order (per partition), {@code matched} counts all matches,
 * {@code truncated} is true when more matched than the query's limit.
 */
public record AuditResult(List<AuditEntry> entries, long matched, boolean truncated, long scanned) {

    public AuditResult {
        entries = List.copyOf(entries);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("matched", matched).put("truncated", truncated).put("scanned", scanned);
        ArrayNode a = o.putArray("entries");
        entries.forEach(e -> a.add(e.toJson()));
        return o;
    }

    /** JSON lines for export: one entry per line, nothing else. */
    public String toJsonLines() {
        StringBuilder b = new StringBuilder();
        entries.forEach(e -> b.append(StateJson.write(e.toJson(), false)).append('\n'));
        return b.toString();
    }
}
