package io.coxswain.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a {@code POST /v1/commands?wait=true} reply adds when the command was accepted but this gateway's read model
 * had not reached the accepted version within the read wait: the decision and the state are read from two topics, so
 * a plain read here right after may still answer the older state. The reply keeps its status (a client that reads only
 * that is unaffected) and says so in a field and a header, with the read that waits for the version.
 */
final class ReadModelBehind {

    /** The body's field: {@code {"version": held, "read": "/v1/clusters/{id}?minVersion=N", "message": ...}}. */
    static final String FIELD = "readModelBehind";
    /** The header, whose value is the version the read model held (0: none at all). */
    static final String HEADER = "Coxswain-Read-Model-Behind";

    private ReadModelBehind() {
    }

    /** Adds the field to {@code body}, the reply about {@code commandId} accepted at {@code accepted}. */
    static void describe(ObjectNode body, String clusterId, String commandId, long accepted, long held, Duration waited) {
        String read = "/v1/clusters/" + URLEncoder.encode(clusterId, StandardCharsets.UTF_8) + "?minVersion=" + accepted;
        body.putObject(FIELD).put("version", held).put("read", read)
                .put("message", message(clusterId, commandId, accepted, held, waited) + "; read it with GET " + read
                        + ", which waits for that version (or ?consistent=true on any read)");
    }

    /** The version the reply's header carries, or null when the reply has no such field. */
    static String header(ObjectNode body) {
        return body.has(FIELD) ? body.get(FIELD).path("version").asText() : null;
    }

    /** What happened, for the reply and the gateway's log alike. */
    static String message(String clusterId, String commandId, long accepted, long held, Duration waited) {
        return "cluster '" + clusterId + "': command " + commandId + " was accepted at version " + accepted + ", but this gateway's"
                + " read model still had " + (held == 0 ? "no state of the cluster" : "version " + held) + " after waiting "
                + waited.toSeconds() + " s (is the state topic slow to read? /health/ready says how stale this instance is), so a"
                + " plain read here may answer the older state";
    }
}
