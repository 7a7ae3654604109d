package io.coxswain.orchestrator.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One way the live {@code state} topic disagrees with the replay of the command log.
 *
 * @param path        field path ({@code spec.brokers}, {@code topics["orders"].partitions}) or {@code "."} for the whole record
 * @param replayed    the value replay computed (JSON; null when absent)
 * @param live        the value on the state topic (JSON; null when absent)
 * @param explanation what it means and what to do
 */
public record Difference(String clusterId, Long replayedVersion, Long liveVersion, String path, JsonNode replayed, JsonNode live,
                         String explanation) {

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("cluster", clusterId);
        o.put("replayedVersion", replayedVersion);
        o.put("liveVersion", liveVersion);
        o.put("path", path);
        o.set("replayed", replayed == null ? JsonNodeFactory.instance.nullNode() : replayed);
        o.set("live", live == null ? JsonNodeFactory.instance.nullNode() : live);
        o.put("explanation", explanation);
        return o;
    }

    @Override
    public String toString() {
        return "cluster " + clusterId + " (replayed version " + replayedVersion + ", live version " + liveVersion + ") " + path
                + ": replayed " + replayed + ", live " + live + (explanation == null ? "" : " (" + explanation + ")");
    }
}
