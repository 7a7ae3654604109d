package io.coxswain.orchestrator.executor.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaProperties;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares a desired object with the live one on the fields Coxswain owns only: the labels and
 * annotations it sets and the content it builds ({@code spec}, {@code data}). Everything else,
 * fields the API server defaults and annotations others add, is not Coxswain's and never a
 * difference. Each object Coxswain writes carries the hash of what it wrote, which tells its own
 * changes (the state asks for something new) from edits made by others (drift to repair).
 */
public final class ObjectDiff {

    /** What separates the live object from the desired one. */
    public enum Kind { NONE, MISSING, DESIRED_CHANGED, EDITED }

    /** @param detail where they differ, for the record, e.g. {@code spec.replicas: live 5, desired 3} */
    public record Difference(Kind kind, String detail) {
        public boolean any() {
            return kind != Kind.NONE;
        }
    }

    private static final String[] NOT_CONTENT = {"apiVersion", "kind", "metadata", "status"};

    private ObjectDiff() {
    }

    /** The desired object with the hash of its owned content in {@link ClusterNames#DESIRED_HASH_ANNOTATION}. */
    public static <T extends HasMetadata> T stamped(T desired) {
        Map<String, String> annotations = new HashMap<>();
        if (desired.getMetadata().getAnnotations() != null) {
            annotations.putAll(desired.getMetadata().getAnnotations());
        }
        annotations.remove(ClusterNames.DESIRED_HASH_ANNOTATION);
        desired.getMetadata().setAnnotations(annotations);
        String hash = KafkaProperties.hash(owned(desired).toString());
        annotations.put(ClusterNames.DESIRED_HASH_ANNOTATION, hash);
        return desired;
    }

    /** @param desired a {@link #stamped} object; @param live null if absent */
    public static Difference compare(HasMetadata desired, HasMetadata live) {
        if (live == null) {
            return new Difference(Kind.MISSING, desired.getKind() + " " + desired.getMetadata().getName() + " does not exist");
        }
        // a label the cluster no longer has is a difference too: the desired hash, which covers the labels, changed
        List<Object> path = firstDifference(owned(live), owned(desired), List.of());
        if (path == null) {
            return new Difference(Kind.NONE, "");
        }
        String wanted = hashOf(desired);
        boolean ours = Objects.equals(hashOf(live), wanted);
        String detail = render(path) + ": live " + at(owned(live), path) + ", desired " + at(owned(desired), path);
        return new Difference(ours ? Kind.EDITED : Kind.DESIRED_CHANGED, detail);
    }

    /**
     * A JSON patch (RFC 6902) that puts back the owned fields that differ and touches nothing
     * else. It also sets {@code metadata.resourceVersion} to the one it was computed from: the API
     * server (and fabric8's mock) answers 409 Conflict when that is no longer current, so a
     * concurrent change makes the patch fail instead of being lost. (A {@code test} op would say
     * the same, but the mock server never answers a failed test.) Arrays Coxswain sets (containers, ports, ...) are
     * its own and replaced whole. (A JSON merge patch would do on a real API server; fabric8's mock
     * server merges arrays element-wise, so JSON patch is used everywhere.)
     */
    public static String jsonPatch(HasMetadata desired, HasMetadata live) {
        ArrayNode ops = Serialization.jsonMapper().createArrayNode();
        ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", live.getMetadata().getResourceVersion());
        addOps(owned(live), owned(desired), "", ops);
        LabelPatch.addRemovals(desired, live, ops);
        return ops.toString();
    }

    /** A key as one reference token of a JSON pointer (RFC 6901): {@code ~} and {@code /} escaped. */
    static String pointerToken(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static void addOps(JsonNode live, JsonNode desired, String pointer, ArrayNode ops) {
        Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String at = pointer + "/" + pointerToken(f.getKey());
            JsonNode liveValue = live.get(f.getKey());
            if (firstDifference(liveValue, f.getValue(), List.of()) == null) {
                continue;
            }
            if (f.getValue().isObject() && liveValue != null && liveValue.isObject()) {
                addOps(liveValue, f.getValue(), at, ops);
            } else {
                ops.addObject().put("op", "add").put("path", at).set("value", f.getValue()); // "add" replaces an existing member
            }
        }
    }

    private static String hashOf(HasMetadata o) {
        Map<String, String> annotations = o.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ClusterNames.DESIRED_HASH_ANNOTATION);
    }

    /** The owned part of an object: labels, annotations and content; no status, no server fields. */
    static ObjectNode owned(HasMetadata o) {
        ObjectNode all = Serialization.jsonMapper().valueToTree(o);
        ObjectNode owned = all.objectNode();
        ObjectNode metadata = owned.putObject("metadata");
        JsonNode m = all.path("metadata");
        metadata.set("labels", m.has("labels") ? m.get("labels") : all.objectNode());
        metadata.set("annotations", m.has("annotations") ? m.get("annotations") : all.objectNode());
        Iterator<Map.Entry<String, JsonNode>> fields = all.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!isNotContent(f.getKey())) {
                owned.set(f.getKey(), f.getValue());
            }
        }
        return owned;
    }

    private static boolean isNotContent(String field) {
        for (String n : NOT_CONTENT) {
            if (n.equals(field)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first path where {@code live} does not contain {@code desired}: objects may have extra
     * fields (server defaults, others' annotations), arrays must match element by element.
     * Path elements are field names (String) and array indexes (Integer); null if contained.
     */
    static List<Object> firstDifference(JsonNode live, JsonNode desired, List<Object> path) {
        if (desired == null || desired.isNull()) {
            return null;
        }
        if (live == null || live.isMissingNode() || live.isNull()) {
            return isEmpty(desired) ? null : path;
        }
        if (desired.isObject()) {
            if (!live.isObject()) {
                return path;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                List<Object> found = firstDifference(live.get(f.getKey()), f.getValue(), append(path, f.getKey()));
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (desired.isArray()) {
            if (!live.isArray() || live.size() != desired.size()) {
                return path;
            }
            for (int i = 0; i < desired.size(); i++) {
                List<Object> found = firstDifference(live.get(i), desired.get(i), append(path, i));
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (desired.isNumber() && live.isNumber()) {
            return desired.decimalValue().compareTo(live.decimalValue()) == 0 ? null : path;
        }
        return desired.asText().equals(live.asText()) ? null : path;
    }

    private static List<Object> append(List<Object> path, Object element) {
        List<Object> next = new ArrayList<>(path);
        next.add(element);
        return next;
    }

    /** {@code spec.template.spec.containers[0].image}; keys with dots are quoted: {@code metadata.annotations."a.b/c"}. */
    static String render(List<Object> path) {
        StringBuilder b = new StringBuilder();
        for (Object e : path) {
            if (e instanceof Integer i) {
                b.append('[').append(i).append(']');
            } else {
                String key = (String) e;
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(key.contains(".") || key.contains("/") ? "\"" + key + "\"" : key);
            }
        }
        return b.length() == 0 ? "(root)" : b.toString();
    }

    private static boolean isEmpty(JsonNode n) {
        return (n.isObject() || n.isArray()) && n.isEmpty();
    }

    /** The value at a path, shortened for a record. */
    private static String at(JsonNode root, List<Object> path) {
        JsonNode n = root;
        for (Object e : path) {
            n = n == null ? null : e instanceof Integer i ? n.get(i) : n.get((String) e);
        }
        String text = n == null || n.isMissingNode() ? "absent" : n.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
