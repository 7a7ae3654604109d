package io.coxswain.sandbox.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A StatefulSet deleted with {@code propagationPolicy: Orphan} (or the older {@code orphanDependents: true})
 * leaves its pods and revisions behind, as on a real cluster: their owner reference to it is removed
 * before the set goes, so the StatefulSet controller's garbage collection finds nothing of it to delete,
 * and a set created again under the same name adopts them. That is how a set's immutable fields (its
 * {@code volumeClaimTemplates}) are changed without restarting a pod. A real API server orphans
 * asynchronously (the {@code orphan} finalizer); here it is done before the deletion answers.
 */
public final class OrphanDeletion {

    /**
     * On a StatefulSet while it is deleted with its dependents orphaned (a real cluster's {@code orphan}
     * finalizer): its controller neither adopts into it nor collects the pods it leaves.
     */
    public static final String ORPHANING_ANNOTATION = "sandbox.coxswain.io/orphaning";

    private static final Logger log = LoggerFactory.getLogger(OrphanDeletion.class);
    private static final Pattern SET_PATH = Pattern.compile("/apis/apps/v1/namespaces/([^/?]+)/statefulsets/([^/?]+)/?(?:\\?(.*))?");
    /** The kinds whose objects a StatefulSet owns. */
    private static final String[] DEPENDENTS = {"/api/v1/namespaces/%s/pods", "/apis/apps/v1/namespaces/%s/controllerrevisions"};

    private final KubernetesCrudDispatcher store;
    private final ObjectMapper mapper = new ObjectMapper();

    OrphanDeletion(KubernetesCrudDispatcher store) {
        this.store = store;
    }

    /** Whether a StatefulSet is being deleted with its dependents orphaned. */
    public static boolean isOrphaning(io.fabric8.kubernetes.api.model.ObjectMeta metadata) {
        return metadata.getAnnotations() != null && "true".equals(metadata.getAnnotations().get(ORPHANING_ANNOTATION));
    }

    /** @return the response to an orphaning deletion of a StatefulSet, or null when {@code request} is something else */
    MockResponse handle(RecordedRequest request) {
        Matcher path = SET_PATH.matcher(request.getPath());
        if (request.method() != HttpMethod.DELETE || !path.matches() || !orphans(path.group(3), request.getBody())) {
            return null;
        }
        String setPath = "/apis/apps/v1/namespaces/" + path.group(1) + "/statefulsets/" + path.group(2);
        MockResponse current = store.handleGet(setPath);
        if (current.code() != 200) {
            return current;
        }
        String uid = read(current.getBody()).path("metadata").path("uid").asText();
        // first marked as being deleted, as the orphan finalizer leaves it on a real cluster: its controller adopts
        // nothing into it meanwhile (the pods' patches below wake it), or the set's own deletion would take them
        markDeleting(setPath, read(current.getBody()));
        int orphaned = 0;
        for (String dependents : DEPENDENTS) {
            String collection = String.format(dependents, path.group(1));
            for (JsonNode object : read(store.handleGet(collection).getBody()).path("items")) {
                ArrayNode kept = mapper.createArrayNode();
                object.path("metadata").path("ownerReferences").forEach(o -> {
                    if (!uid.equals(o.path("uid").asText())) {
                        kept.add(o);
                    }
                });
                if (kept.size() < object.path("metadata").path("ownerReferences").size()) {
                    patch(collection + "/" + object.path("metadata").path("name").asText(), kept);
                    orphaned++;
                }
            }
        }
        log.info("StatefulSet {}/{} deleted with its {} pods and revisions orphaned", path.group(1), path.group(2), orphaned);
        return store.handleDelete(setPath);
    }

    private boolean orphans(String query, Buffer body) {
        if (query != null && (query.contains("propagationPolicy=Orphan") || query.contains("orphanDependents=true"))) {
            return true;
        }
        if (body == null || body.size() == 0) {
            return false;
        }
        JsonNode options = read(body);
        return "Orphan".equals(options.path("propagationPolicy").asText()) || options.path("orphanDependents").asBoolean(false);
    }

    private void patch(String objectPath, ArrayNode owners) {
        ArrayNode ops = mapper.createArrayNode();
        if (owners.isEmpty()) {
            ops.addObject().put("op", "remove").put("path", "/metadata/ownerReferences");
        } else {
            ops.addObject().put("op", "replace").put("path", "/metadata/ownerReferences").set("value", owners);
        }
        apply(objectPath, ops, "orphan " + objectPath);
    }

    private void apply(String objectPath, ArrayNode ops, String what) {
        Headers headers = Headers.builder().add("Content-Type", "application/json-patch+json").build();
        MockResponse response = store.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, objectPath, headers,
                new Buffer(ops.toString().getBytes(StandardCharsets.UTF_8))));
        if (response.code() >= 300) {
            throw new IllegalStateException("cannot " + what + ": HTTP " + response.code());
        }
    }

    private void markDeleting(String setPath, JsonNode set) {
        ArrayNode ops = mapper.createArrayNode();
        if (!set.path("metadata").has("annotations")) {
            ops.addObject().put("op", "add").put("path", "/metadata/annotations").putObject("value");
        }
        ops.addObject().put("op", "add").put("path", "/metadata/annotations/" + ORPHANING_ANNOTATION.replace("/", "~1")).put("value", "true");
        apply(setPath, ops, "mark " + setPath + " as being deleted");
    }

    private JsonNode read(Buffer body) {
        try {
            return body == null ? mapper.createObjectNode() : mapper.readTree(body.getBytes());
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }
}
