package io.coxswain.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * request to the next, is written each time. The bytes are the same as rendering the state with
 * StateJson and {@link Views#freshness} afresh (ClusterDocumentsTest holds them to it); rendering
 * had been about a fifth of the gateway's CPU per GET under load (bench/, JFR).
 */
final class ClusterDocuments {

    /** Past this many clusters the memo starts over: it stays bounded even if ids come and go. */
    private static final int MAX_CLUSTERS = 20_000;

    /**
     * A state, its JSON without the closing brace (so that the freshness block can follow), and the
     * last whole body sent for it. Staleness is written in milliseconds, so under load many requests
     * in a row carry the same body: they share one buffer instead of each allocating and copying
     * its own (that allocation was a tenth of the event loop's samples; Vert.x writes a slice of a
     * buffer, so one buffer can be sent by any number of responses at once).
     */
    private static final class Rendered {
        final ClusterState state;
        final String note;
        final byte[] open;
        volatile Body last;

        Rendered(ClusterState state, String note, byte[] open) {
            this.state = state;
            this.note = note;
            this.open = open;
        }
    }

    /** A whole body and the freshness it was written for. */
    private record Body(Freshness freshness, long staleMillis, Buffer bytes) {
    }

    private final Map<String, Rendered> byCluster = new ConcurrentHashMap<>();

    /** @param note why the state is not all its writer wrote ({@code ClusterViews.note}), after the state's fields; null when it is */
    Buffer document(ClusterState state, String note, Freshness freshness, Instant now) {
        Rendered r = rendered(state, note);
        Duration stale = freshness.staleness(now);
        long staleMillis = stale == null ? -1 : stale.toMillis();
        Body last = r.last;
        if (last != null && last.freshness() == freshness && last.staleMillis() == staleMillis) {
            return last.bytes();
        }
        byte[] tail = (",\"freshness\":" + freshnessJson(freshness, stale) + "}").getBytes(StandardCharsets.UTF_8);
        Buffer bytes = Buffer.buffer(r.open.length + tail.length).appendBytes(r.open).appendBytes(tail);
        r.last = new Body(freshness, staleMillis, bytes);
        return bytes;
    }

    private Rendered rendered(ClusterState state, String note) {
        Rendered r = byCluster.get(state.getClusterId());
        // identity, not equals: the read model hands out the instance it folded, one per version (a note may come later)
        if (r != null && r.state == state && java.util.Objects.equals(r.note, note)) {
            return r;
        }
        byte[] json;
        try {
            ObjectNode node = StateJson.node(state);
            if (note != null) {
                node.put("note", note);
            }
            json = Replies.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the state of cluster " + state.getClusterId() + " as JSON", e);
        }
        // an object: the last byte is its '}'
        Rendered fresh = new Rendered(state, note, java.util.Arrays.copyOf(json, json.length - 1));
        if (byCluster.size() >= MAX_CLUSTERS) {
            byCluster.clear();
        }
        byCluster.put(state.getClusterId(), fresh);
        return fresh;
    }

    /** The same text Jackson writes for {@link Views#freshness}: field order, nulls and number form. */
    static String freshnessJson(Freshness f, Duration stale) {
        return "{\"asOf\":" + (f.asOf() == null ? "null" : "\"" + f.asOfText() + "\"")
                + ",\"staleSeconds\":" + (stale == null ? "null" : Freshness.seconds(stale))
                + ",\"kafkaReachable\":" + f.kafkaReachable() + "}";
    }
}
