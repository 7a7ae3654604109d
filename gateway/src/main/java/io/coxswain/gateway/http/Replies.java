package io.coxswain.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/** JSON replies: every answer of the API, errors included, is a JSON document. */
public final class Replies {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String APPLICATION_JSON = "application/json";
    private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");

    private Replies() {
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        send(ctx, status, APPLICATION_JSON, body);
    }

    public static void send(RoutingContext ctx, int status, String contentType, Object body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        Buffer bytes;
        try {
            // a Buffer is sent as it is: a body rendered ahead (ClusterDocuments) skips the encoding
            bytes = body instanceof Buffer b ? b : Buffer.buffer(body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write reply as JSON", e);
        }
        ctx.response().setStatusCode(status).putHeader(CONTENT_TYPE, contentType).end(bytes);
    }

    /** {@code {"error": message, "field": field}}; field may be null. */
    public static ObjectNode error(String message, String field) {
        ObjectNode n = JSON.createObjectNode().put("error", message);
        if (field != null) {
            n.put("field", field);
        } else {
            n.putNull("field");
        }
        return n;
    }

    public static void error(RoutingContext ctx, int status, String message, String field) {
        json(ctx, status, error(message, field));
    }

    public static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, JSON.createObjectNode().put("error", message));
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }
}
