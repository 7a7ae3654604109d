package io.coxswain.sandbox.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod deletion as a real API server does it. The CRUD store removes an object at once; a real
 * API server only marks a pod (deletionTimestamp, deletionGracePeriodSeconds) and leaves it to
 * the kubelet to stop the containers within the grace period and then remove the pod. To keep
 * the pod visible while it terminates, a graceful delete adds {@link #FINALIZER} before letting
 * the store mark it; the sandbox kubelet stops the pod and removes that finalizer, which makes
 * the store drop the pod. A delete with grace period 0 (a forced delete) removes it at once.
 */
public final class GracefulPodDeletion {

    /** Holds a gracefully deleted pod in the store until the sandbox kubelet has stopped it. */
    public static final String FINALIZER = "sandbox.coxswain.io/kubelet";

    private static final Logger log = LoggerFactory.getLogger(GracefulPodDeletion.class);
    private static final Pattern POD_PATH =
            Pattern.compile("/api/v1/namespaces/([^/?]+)/pods(?:/([^/?]+))?/?(?:\\?(.*))?");
    private static final long DEFAULT_GRACE_SECONDS = 30;

    private final KubernetesCrudDispatcher store;
    private final ObjectMapper mapper = new ObjectMapper();

    GracefulPodDeletion(KubernetesCrudDispatcher store) {
        this.store = store;
    }

    /** @return the response to a pod deletion, or null when {@code request} is something else */
    MockResponse handle(RecordedRequest request) {
        Matcher path = POD_PATH.matcher(request.getPath());
        if (request.method() != HttpMethod.DELETE || !path.matches()) {
            return null;
        }
        String namespace = path.group(1);
        String query = path.group(3);
        Long grace = requestedGrace(query, request.getBody());
        String collection = "/api/v1/namespaces/" + namespace + "/pods";
        if (path.group(2) != null) {
            return deleteOne(collection + "/" + path.group(2), grace);
        }
        // A collection delete (label or field selector): each pod goes as if deleted on its own.
        JsonNode list = read(store.handleGet(collection + (query == null ? "" : "?" + query)));
        ArrayNode deleted = mapper.createArrayNode();
        for (JsonNode pod : list.path("items")) {
            MockResponse one = deleteOne(collection + "/" + pod.path("metadata").path("name").asText(), grace);
            if (one.code() == 200) {
                deleted.add(read(one));
            }
        }
        ObjectNode result = mapper.createObjectNode().put("apiVersion", "v1").put("kind", "PodList");
        result.putObject("metadata");
        result.set("items", deleted);
        return json(200, result);
    }

    private MockResponse deleteOne(String podPath, Long requestedGrace) {
        MockResponse current = store.handleGet(podPath);
        if (current.code() != 200) {
            return current;
        }
        JsonNode pod = read(current);
        JsonNode metadata = pod.path("metadata");
        long grace = requestedGrace != null ? requestedGrace
                : pod.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_GRACE_SECONDS);
        int ours = indexOfFinalizer(metadata.path("finalizers"));
        boolean terminating = metadata.hasNonNull("deletionTimestamp");
        String name = metadata.path("namespace").asText() + "/" + metadata.path("name").asText();
        if (grace <= 0) {
            log.info("Pod {} force-deleted", name);
            if (ours >= 0) {
                patch(podPath, "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + ours + "\"}]");
            }
            if (!terminating) {
                store.handleDelete(podPath);
            }
            return json(200, pod);
        }
        if (terminating) {
            return json(200, pod);
        }
        String addFinalizer = metadata.path("finalizers").isArray()
                ? "{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"" + FINALIZER + "\"}"
                : "{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"" + FINALIZER + "\"]}";
        patch(podPath, "[" + addFinalizer
                + ",{\"op\":\"add\",\"path\":\"/metadata/deletionGracePeriodSeconds\",\"value\":" + grace + "}]");
        store.handleDelete(podPath);
        log.info("Pod {} marked for deletion with a grace period of {} s", name, grace);
        return store.handleGet(podPath);
    }

    private void patch(String podPath, String jsonPatch) {
        Headers headers = Headers.builder().add("Content-Type", "application/json-patch+json").build();
        MockResponse response = store.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, podPath, headers,
                new Buffer(jsonPatch.getBytes(StandardCharsets.UTF_8))));
        if (response.code() >= 300) {
            throw new IllegalStateException("cannot patch " + podPath + ": HTTP " + response.code());
        }
    }

    /** The grace period asked for by query parameter or DeleteOptions body; null when none was. */
    private Long requestedGrace(String query, Buffer body) {
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith("gracePeriodSeconds=")) {
                    return Long.parseLong(URLDecoder.decode(parameter.substring(19), StandardCharsets.UTF_8));
                }
            }
        }
        if (body != null && body.size() > 0) {
            try {
                JsonNode options = mapper.readTree(body.getBytes());
                if (options.hasNonNull("gracePeriodSeconds")) {
                    return options.get("gracePeriodSeconds").asLong();
                }
            } catch (IOException e) {
                log.debug("Ignoring unreadable DeleteOptions: {}", e.toString());
            }
        }
        return null;
    }

    private static int indexOfFinalizer(JsonNode finalizers) {
        for (int i = 0; i < finalizers.size(); i++) {
            if (FINALIZER.equals(finalizers.get(i).asText())) {
                return i;
            }
        }
        return -1;
    }

    private JsonNode read(MockResponse response) {
        try {
            return mapper.readTree(response.getBody().getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setBody(body.toString());
    }
}
