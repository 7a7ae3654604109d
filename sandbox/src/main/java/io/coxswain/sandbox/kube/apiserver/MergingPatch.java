package io.coxswain.sandbox.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The two PATCH types the CRUD store refuses with 415: strategic merge patch (kubectl's default:
 * {@code edit}, {@code apply}, {@code set image}, {@code label}) and server-side apply (fabric8's
 * {@code serverSideApply()}, {@code kubectl apply --server-side}). Both are computed here with
 * {@link StrategicMerge} against the stored object and written back as an update; an apply of an
 * object that does not exist creates it. Server-side apply is approximated: fields a manager no
 * longer applies are not removed, and there is no conflict detection between managers.
 */
final class MergingPatch {

    private static final String STRATEGIC = "application/strategic-merge-patch+json";
    private static final String APPLY = "application/apply-patch+yaml";

    private final KubernetesCrudDispatcher store;
    private final ObjectMapper mapper = new ObjectMapper();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    MergingPatch(KubernetesCrudDispatcher store) {
        this.store = store;
    }

    /** @return the response to a strategic-merge or apply patch, or null when {@code request} is something else */
    MockResponse handle(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        type = type == null ? "" : type.split(";")[0].trim();
        if (request.method() != HttpMethod.PATCH || !(type.equals(STRATEGIC) || type.equals(APPLY))) {
            return null;
        }
        String path = request.getPath();
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        JsonNode patch;
        try {
            patch = mapper.readTree(serialization.convertToJson(request.getBody().readUtf8()));
        } catch (IOException | RuntimeException e) {
            return status(400, "BadRequest", "cannot read the patch: " + e.getMessage());
        }
        String objectPath = bare.endsWith("/status") ? bare.substring(0, bare.length() - "/status".length()) : bare;
        boolean locked = patch.path("metadata").has("resourceVersion");
        MockResponse updated;
        int attempts = 0;
        do {
            MockResponse current = store.handleGet(objectPath);
            if (current.code() == 404 && type.equals(APPLY) && !bare.endsWith("/status")) {
                return store.handleCreate(write(HttpMethod.POST, objectPath.substring(0, objectPath.lastIndexOf('/')), patch));
            }
            if (current.code() != 200) {
                return current;
            }
            JsonNode stored = read(current);
            JsonNode merged = StrategicMerge.apply(stored, patch);
            if (!locked && merged instanceof ObjectNode object && object.get("metadata") instanceof ObjectNode metadata) {
                // No resourceVersion in the patch: no optimistic lock, as for any patch.
                metadata.set("resourceVersion", stored.path("metadata").path("resourceVersion"));
            }
            updated = store.handleUpdate(write(HttpMethod.PUT, bare, merged));
            if (updated.code() == 200 && (updated.getBody() == null || updated.getBody().size() == 0)) {
                updated.setBody(merged.toString());
            }
            // A write between our read and our update: the API server retries an unlocked patch itself.
        } while (updated.code() == 409 && !locked && ++attempts < 5);
        return updated;
    }

    private static RecordedRequest write(HttpMethod method, String path, JsonNode body) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        return new RecordedRequest("HTTP/1.1", method, path, headers, new Buffer(body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private JsonNode read(MockResponse response) {
        try {
            return mapper.readTree(response.getBody().getBytes());
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    private MockResponse status(int code, String reason, String message) {
        ObjectNode status = mapper.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                .put("status", "Failure").put("reason", reason).put("message", message).put("code", code);
        return new MockResponse().setResponseCode(code).setBody(status.toString());
    }
}
