package io.coxswain.orchestrator.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Counts of one replay. {@code commands} = accepted + rejected + duplicates + deadLettered: every
 * record read and folded; {@code skipped} are other clusters' records when the replay was for one cluster.
 */
public record ReplaySummary(int clusters, long commands, long accepted, long rejected, long deadLettered, long duplicates,
                            long skipped, Map<Integer, Partition> partitions, List<String> warnings) {

    /**
     * @param start    first offset in the partition (not 0 means records were deleted: a warning says so)
     * @param end      the end the scan stopped at, exclusive (last stable offset when it started)
     * @param lastRead last offset folded, -1 if none
     */
    public record Partition(long start, long end, long lastRead) {
    }

    public ReplaySummary {
        partitions = Map.copyOf(partitions);
        warnings = List.copyOf(warnings);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("clusters", clusters).put("commands", commands).put("accepted", accepted).put("rejected", rejected)
                .put("deadLettered", deadLettered).put("duplicates", duplicates).put("skipped", skipped);
        ObjectNode ps = o.putObject("partitions");
        new java.util.TreeMap<>(partitions).forEach((p, r) -> ps.putObject(String.valueOf(p))
                .put("start", r.start()).put("end", r.end()).put("lastRead", r.lastRead()));
        warnings.forEach(o.putArray("warnings")::add);
        return o;
    }

    /** One line for people: the counts that say whether the log is healthy. */
    public String oneLine() {
        return clusters + " clusters, " + commands + " commands: " + accepted + " accepted, " + rejected + " rejected, "
                + duplicates + " duplicates, " + deadLettered + " dead-lettered" + (skipped > 0 ? " (" + skipped + " records of other clusters skipped)" : "");
    }
}
