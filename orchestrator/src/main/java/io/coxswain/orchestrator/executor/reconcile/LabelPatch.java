package io.coxswain.orchestrator.executor.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.orchestrator.executor.model.ObjectLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * JSON patch operations (RFC 6902) that keep the cluster's labels on an object ({@link ObjectLabels}):
 * the removals a patch of Coxswain's own objects needs beside {@link ObjectDiff#jsonPatch}'s additions
 * (which never remove), and the whole change for objects others make from Coxswain's (pods, volume
 * claims) or that a step of their own keeps (TLS Secrets, the namespace).
 */
final class LabelPatch {

    private static final String LABELS = "/metadata/labels";
    private static final String POD_LABELS = "/spec/template/metadata/labels";
    private static final String APPLIED = "/metadata/annotations/" + ObjectDiff.pointerToken(ObjectLabels.APPLIED_ANNOTATION);

    private LabelPatch() {
    }

    /** Where an object of this kind carries the cluster's labels. */
    private static List<String> labelMaps(HasMetadata object) {
        return object instanceof StatefulSet ? List.of(LABELS, POD_LABELS) : List.of(LABELS);
    }

    /**
     * Adds the removals that make {@code live} drop the cluster labels {@code desired} no longer carries:
     * each stale key from each label map that has it (unless the desired map still has the key, as
     * Coxswain's own label), and the annotation once the cluster has no labels left.
     */
    static void addRemovals(HasMetadata desired, HasMetadata live, ArrayNode ops) {
        Set<String> stale = ObjectLabels.stale(live, ObjectLabels.appliedKeys(desired));
        if (stale.isEmpty()) {
            return;
        }
        JsonNode liveTree = Serialization.jsonMapper().valueToTree(live);
        JsonNode desiredTree = Serialization.jsonMapper().valueToTree(desired);
        for (String map : labelMaps(desired)) {
            for (String key : stale) {
                if (liveTree.at(map).has(key) && !desiredTree.at(map).has(key)) {
                    ops.addObject().put("op", "remove").put("path", map + "/" + ObjectDiff.pointerToken(key));
                }
            }
        }
        if (ObjectLabels.appliedKeys(desired).isEmpty()) {
            ops.addObject().put("op", "remove").put("path", APPLIED);
        }
    }

    /**
     * The patch that makes an object Coxswain does not build carry exactly the cluster's labels on its
     * metadata, or null when it already does. Like every patch of the executor's, it names the
     * resourceVersion it was made from, so a concurrent change fails it (409) instead of being lost.
     */
    static String forObject(HasMetadata live, Map<String, String> cluster) {
        Map<String, String> labels = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
        Map<String, String> annotations = live.getMetadata().getAnnotations() == null ? Map.of() : live.getMetadata().getAnnotations();
        ArrayNode ops = Serialization.jsonMapper().createArrayNode();
        ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", live.getMetadata().getResourceVersion());
        // a member is added to a map that exists; a map that does not (no labels, no annotations yet) is added whole
        if (labels.isEmpty() && !cluster.isEmpty()) {
            ObjectNode all = ops.addObject().put("op", "add").put("path", LABELS).putObject("value");
            cluster.forEach(all::put);
        }
        cluster.forEach((key, value) -> {
            if (!labels.isEmpty() && !Objects.equals(labels.get(key), value)) {
                ops.addObject().put("op", "add").put("path", LABELS + "/" + ObjectDiff.pointerToken(key)).put("value", value);
            }
        });
        for (String key : ObjectLabels.stale(live, cluster.keySet())) {
            if (labels.containsKey(key)) {
                ops.addObject().put("op", "remove").put("path", LABELS + "/" + ObjectDiff.pointerToken(key));
            }
        }
        String applied = ObjectLabels.applied(cluster);
        String was = annotations.get(ObjectLabels.APPLIED_ANNOTATION);
        if (cluster.isEmpty() && was != null) {
            ops.addObject().put("op", "remove").put("path", APPLIED);
        } else if (!cluster.isEmpty() && annotations.isEmpty()) {
            ops.addObject().put("op", "add").put("path", "/metadata/annotations").putObject("value")
                    .put(ObjectLabels.APPLIED_ANNOTATION, applied);
        } else if (!cluster.isEmpty() && !applied.equals(was)) {
            ops.addObject().put("op", "add").put("path", APPLIED).put("value", applied);
        }
        return ops.size() == 1 ? null : ops.toString();
    }
}
