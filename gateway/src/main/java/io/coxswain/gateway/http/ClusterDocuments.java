package io.coxswain.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.audit.StateJson;
import io.coxswain.gateway.readmodel.Freshness;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The body of {@code GET /v1/clusters/{id}}: the state as JSON, then its {@code freshness} block.
 * A state never changes once folded, so its JSON is rendered the first time it is asked for and
 * reused until the cluster's next version arrives; only the freshness block, which differs from one
 * request to the next, is written each time. The bytes are the same as rendering
 * {@link Views#cluster} afresh (ClusterDocumentsTest holds them to it); rendering had been about a
 * fifth of the gateway's CPU per GET under load (bench/, JFR).
 */
final class ClusterDocuments {

    /** Past this many clusters the memo starts over: it stays bounded even if ids come and go. */
    private static final int MAX_CLUSTERS = 20_000;

    /** A state and its JSON without the closing brace, so that the freshness block can follow. */
    private record Rendered(ClusterState state, byte[] open) {
    }

    private final Map<String, Rendered> byCluster = new ConcurrentHashMap<>();

    Buffer document(ClusterState state, Freshness freshness, Instant now) {
        byte[] open = rendered(state);
        byte[] tail = (",\"freshness\":" + freshnessJson(freshness, now) + "}").getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(open.length + tail.length).appendBytes(open).appendBytes(tail);
    }

    private byte[] rendered(ClusterState state) {
        Rendered r = byCluster.get(state.getClusterId());
        // identity, not equals: the read model hands out the instance it folded, one per version
        if (r != null && r.state() == state) {
            return r.open();
        }
        byte[] json;
        try {
            json = Replies.JSON.writeValueAsBytes(StateJson.node(state));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the state of cluster " + state.getClusterId() + " as JSON", e);
        }
        byte[] open = java.util.Arrays.copyOf(json, json.length - 1); // an object: the last byte is its '}'
        if (byCluster.size() >= MAX_CLUSTERS) {
            byCluster.clear();
        }
        byCluster.put(state.getClusterId(), new Rendered(state, open));
        return open;
    }

    /** The same text Jackson writes for {@link Views#freshness}: field order, nulls and number form. */
    static String freshnessJson(Freshness f, Instant now) {
        Duration stale = f.staleness(now);
        return "{\"asOf\":" + (f.asOf() == null ? "null" : "\"" + f.asOfText() + "\"")
                + ",\"staleSeconds\":" + (stale == null ? "null" : Double.toString(stale.toMillis() / 1000.0))
                + ",\"kafkaReachable\":" + f.kafkaReachable() + "}";
    }
}
