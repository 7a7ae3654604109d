package io.coxswain.sandbox.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch, for the built-in kinds the sandbox holds: like a JSON merge
 * patch, except that lists with a merge key (containers by name, volume mounts by path, ...) are
 * merged element by element instead of replaced, and the {@code $patch}, {@code $setElementOrder}
 * and {@code $deleteFromPrimitiveList} directives are understood. The merge keys are those of the
 * Kubernetes API for the fields an orchestrator of pods touches; any other list is replaced, as
 * a list without a merge strategy is.
 */
final class StrategicMerge {

    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"), Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"), Map.entry("env", "name"), Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"), Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"), Map.entry("ownerReferences", "uid"),
            Map.entry("conditions", "type"), Map.entry("hostAliases", "ip"),
            Map.entry("topologySpreadConstraints", "topologyKey"), Map.entry("resourceClaims", "name"));
    private static final String DIRECTIVE = "$patch";

    private StrategicMerge() {
    }

    /** {@code target} with {@code patch} applied; neither argument is changed. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject() || !target.isObject()) {
            return patch.deepCopy();
        }
        JsonNode merged = mergeObject(((ObjectNode) target).deepCopy(), (ObjectNode) patch);
        return merged == null ? target.deepCopy() : merged;
    }

    /** @return the merged object, or null when the patch deletes it */
    private static ObjectNode mergeObject(ObjectNode target, ObjectNode patch) {
        String directive = patch.path(DIRECTIVE).asText("");
        if (directive.equals("delete")) {
            return null;
        }
        if (directive.equals("replace")) {
            return withoutDirectives(patch);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(DIRECTIVE) || name.equals("$retainKeys") || name.startsWith("$setElementOrder/")) {
                continue;
            }
            if (name.startsWith("$deleteFromPrimitiveList/")) {
                deleteFromPrimitiveList(target, name.substring(name.indexOf('/') + 1), value);
            } else if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && target.path(name).isObject()) {
                ObjectNode merged = mergeObject(((ObjectNode) target.get(name)).deepCopy(), (ObjectNode) value);
                if (merged == null) {
                    target.remove(name);
                } else {
                    target.set(name, merged);
                }
            } else if (value.isArray()) {
                target.set(name, mergeList(name, target.get(name), (ArrayNode) value));
            } else {
                target.set(name, value.isObject() ? withoutDirectives((ObjectNode) value) : value.deepCopy());
            }
        }
        return target;
    }

    private static ArrayNode mergeList(String field, JsonNode current, ArrayNode patch) {
        String key = mergeKey(field, patch);
        if (key == null || current == null || !current.isArray()) {
            ArrayNode replaced = patch.arrayNode();
            for (JsonNode element : patch) {
                if (!element.path(DIRECTIVE).asText("").equals("delete")) {
                    replaced.add(element.isObject() ? withoutDirectives((ObjectNode) element) : element.deepCopy());
                }
            }
            return replaced;
        }
        ArrayNode result = ((ArrayNode) current).deepCopy();
        for (JsonNode element : patch) {
            int index = indexOf(result, key, element.get(key));
            boolean delete = element.path(DIRECTIVE).asText("").equals("delete");
            if (index >= 0 && delete) {
                result.remove(index);
            } else if (index >= 0 && element.isObject()) {
                ObjectNode merged = mergeObject(((ObjectNode) result.get(index)).deepCopy(), (ObjectNode) element);
                result.set(index, merged);
            } else if (!delete) {
                result.add(element.isObject() ? withoutDirectives((ObjectNode) element) : element.deepCopy());
            }
        }
        return result;
    }

    /** Container ports merge by containerPort, service ports by port. */
    private static String mergeKey(String field, ArrayNode patch) {
        if (field.equals("ports")) {
            for (JsonNode element : patch) {
                if (element.has("containerPort")) {
                    return "containerPort";
                }
            }
            return "port";
        }
        return MERGE_KEYS.get(field);
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        if (value == null) {
            return -1;
        }
        for (int i = 0; i < list.size(); i++) {
            if (value.equals(list.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }

    private static void deleteFromPrimitiveList(ObjectNode target, String field, JsonNode values) {
        if (!target.path(field).isArray()) {
            return;
        }
        Set<JsonNode> doomed = new HashSet<>();
        values.forEach(doomed::add);
        ArrayNode kept = target.arrayNode();
        target.get(field).forEach(v -> {
            if (!doomed.contains(v)) {
                kept.add(v);
            }
        });
        target.set(field, kept);
    }

    private static ObjectNode withoutDirectives(ObjectNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove(DIRECTIVE);
        copy.remove("$retainKeys");
        Set<String> directives = new HashSet<>();
        copy.fieldNames().forEachRemaining(n -> {
            if (n.startsWith("$setElementOrder/") || n.startsWith("$deleteFromPrimitiveList/")) {
                directives.add(n);
            }
        });
        copy.remove(directives);
        return copy;
    }
}
