package io.coxswain.sandbox.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code /scale} subresource of StatefulSets, Deployments and ReplicaSets, which the CRUD
 * store lacks: it would answer a GET with the whole object and, worse, replace the object with
 * the {@code Scale} sent by a PUT (fabric8's {@code scale(n)} does GET then PUT; kubectl scale
 * PATCHes). Here a Scale is read from the object and a write changes only {@code spec.replicas}.
 */
final class ScaleSubresource {

    private static final Pattern SCALE_PATH = Pattern.compile(
            "(/apis/apps/v1/namespaces/[^/?]+/(?:statefulsets|deployments|replicasets)/[^/?]+)/scale/?(?:\\?.*)?");

    private final KubernetesCrudDispatcher store;
    private final ObjectMapper mapper = new ObjectMapper();

    ScaleSubresource(KubernetesCrudDispatcher store) {
        this.store = store;
    }

    /** @return the response to a scale request, or null when {@code request} is something else */
    MockResponse handle(RecordedRequest request) {
        Matcher path = SCALE_PATH.matcher(request.getPath());
        if (!path.matches()) {
            return null;
        }
        String objectPath = path.group(1);
        MockResponse current = store.handleGet(objectPath);
        if (current.code() != 200) {
            return current;
        }
        JsonNode object = read(current.getBody().getBytes());
        if (request.method() == HttpMethod.GET) {
            return json(200, scaleOf(object));
        }
        if (request.method() != HttpMethod.PUT && request.method() != HttpMethod.PATCH) {
            return new MockResponse().setResponseCode(405);
        }
        JsonNode body = read(request.getBody().getBytes());
        String expectedVersion = body.path("metadata").path("resourceVersion").asText("");
        String actualVersion = object.path("metadata").path("resourceVersion").asText();
        if (request.method() == HttpMethod.PUT && !expectedVersion.isEmpty() && !expectedVersion.equals(actualVersion)) {
            return json(409, status(409, "Conflict", "Operation cannot be fulfilled on scale: the object has been modified"));
        }
        JsonNode replicas = requestedReplicas(body);
        if (replicas == null || !replicas.canConvertToInt()) {
            return json(422, status(422, "Invalid", "spec.replicas is required"));
        }
        String patch = "{\"spec\":{\"replicas\":" + replicas.asInt() + "}}";
        Headers headers = Headers.builder().add("Content-Type", "application/merge-patch+json").build();
        MockResponse patched = store.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, objectPath, headers,
                new Buffer(patch.getBytes(StandardCharsets.UTF_8))));
        if (patched.code() >= 300) {
            return patched;
        }
        return json(200, scaleOf(read(patched.getBody().getBytes())));
    }

    /** spec.replicas from a Scale (PUT), a merge patch of one, or a JSON patch of one. */
    private static JsonNode requestedReplicas(JsonNode body) {
        if (body.isArray()) {
            for (JsonNode op : body) {
                if (op.path("path").asText().equals("/spec/replicas")) {
                    return op.get("value");
                }
            }
            return null;
        }
        return body.path("spec").get("replicas");
    }

    private ObjectNode scaleOf(JsonNode object) {
        ObjectNode scale = mapper.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (object.path("metadata").has(field)) {
                metadata.set(field, object.path("metadata").get(field));
            }
        }
        scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(1));
        StringJoiner selector = new StringJoiner(",");
        Iterator<Map.Entry<String, JsonNode>> labels = object.path("spec").path("selector").path("matchLabels").fields();
        labels.forEachRemaining(e -> selector.add(e.getKey() + "=" + e.getValue().asText()));
        scale.putObject("status").put("replicas", object.path("status").path("replicas").asInt(0))
                .put("selector", selector.toString());
        return scale;
    }

    private ObjectNode status(int code, String reason, String message) {
        ObjectNode status = mapper.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                .put("status", "Failure").put("reason", reason).put("message", message).put("code", code);
        status.putObject("metadata");
        return status;
    }

    private JsonNode read(byte[] bytes) {
        try {
            return bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setBody(body.toString());
    }
}
