package io.coxswain.orchestrator.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Result of replay-and-compare: the answer of {@code GET /v1/audit/verify} and {@code coxswain replay --verify}.
 *
 * @param clusters  clusters compared (replayed or live)
 * @param commands  command records replayed
 * @param identical every live state equals its replayed state byte for byte
 * @param notes     remarks that are not differences (e.g. a live state written with an older schema version)
 */
public record VerifyReport(int clusters, long commands, boolean identical, List<Difference> differences, List<String> notes,
                           ReplaySummary summary) {

    public VerifyReport {
        differences = List.copyOf(differences);
        notes = List.copyOf(notes);
    }

    /** {@code {"clusters": N, "commands": M, "identical": true|false, "differences": [...], "notes": [...], "summary": {...}}} */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("clusters", clusters).put("commands", commands).put("identical", identical);
        ArrayNode diffs = o.putArray("differences");
        differences.forEach(d -> diffs.add(d.toJson()));
        ArrayNode n = o.putArray("notes");
        notes.forEach(n::add);
        o.set("summary", summary.toJson());
        return o;
    }
}
