package io.coxswain.sandbox.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The update validation of a real API server, for the kinds an orchestrator of Kafka writes: the
 * fields it refuses to change once an object exists. Without it the sandbox accepted any update,
 * so a write every real cluster answers with 422 Invalid (a StatefulSet's claim templates
 * changed, a claim shrunk) passed every test. Each rule is the one of Kubernetes' own validation
 * ({@code ValidateStatefulSetUpdate}, {@code ValidatePersistentVolumeClaimUpdate}, ...), judged
 * on the object as it would be stored, and words its errors as the API server does.
 *
 * <p>Objects are compared as Go compares the typed objects: a field that is absent, null, empty
 * ({@code ""}, {@code []}, <code>{}</code>) is the same as no field. Quantities are compared by
 * value only where a rule needs it (a claim's storage request); elsewhere they are compared as
 * written, which is how clients write them.
 */
final class ImmutableFields {

    /** One refusal of one field, as Kubernetes' {@code field.Error}: its path, its type and what is wrong. */
    record Violation(String field, String type, String detail) {

        static Violation forbidden(String field, String detail) {
            return new Violation(field, "Forbidden", detail);
        }

        static Violation invalid(String field, String value, String detail) {
            return new Violation(field, "Invalid value: " + value, detail);
        }

        /** The cause's reason in a Status (FieldValueForbidden, FieldValueInvalid). */
        String reason() {
            return type.startsWith("Invalid") ? "FieldValueInvalid" : "FieldValue" + type;
        }

        /** What the API server says of it after the field's path. */
        String body() {
            return type + ": " + detail;
        }
    }

    private interface Rule {
        List<Violation> check(JsonNode old, JsonNode updated);
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String STS_SPEC = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
            + "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
    /** The API server goes on, after a newline, with a diff of the two specs, which is left out here. */
    private static final String CLAIM_SPEC =
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";
    private static final String WHEN_IMMUTABLE = "field is immutable when `immutable` is set";
    private static final String IMMUTABLE = "field is immutable";

    /** By "group/plural" ("" for the core group). */
    private static final Map<String, Rule> RULES = Map.of(
            "apps/statefulsets", ImmutableFields::statefulSet,
            "apps/deployments", ImmutableFields::deployment,
            "/persistentvolumeclaims", ImmutableFields::claim,
            "/services", ImmutableFields::service,
            "/secrets", (old, updated) -> immutableData(old, updated, "data", "Secret"),
            "/configmaps", (old, updated) -> immutableData(old, updated, "data", "binaryData"));

    private ImmutableFields() {
    }

    /** Whether updates of resource {@code group/plural} are validated here (so the others are not even parsed). */
    static boolean validates(String group, String plural) {
        return RULES.containsKey(group + "/" + plural);
    }

    /** What a real API server refuses in the update of {@code old} (as stored) to {@code updated}; empty when none. */
    static List<Violation> check(String group, String plural, JsonNode old, JsonNode updated) {
        Rule rule = RULES.get(group + "/" + plural);
        return rule == null ? List.of() : rule.check(old, updated);
    }

    /**
     * The API server's answer to a refused update of {@code object}: a Status of reason Invalid,
     * its message {@code Kind.group "name" is invalid: <error>} (the errors in brackets when
     * there are several), one cause for each.
     */
    static ObjectNode invalid(JsonNode object, List<Violation> violations) {
        String kind = object.path("kind").asText();
        String apiVersion = object.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String name = object.path("metadata").path("name").asText();
        StringJoiner errors = violations.size() > 1 ? new StringJoiner(", ", "[", "]") : new StringJoiner(", ");
        violations.forEach(v -> errors.add(v.field() + ": " + v.body()));
        ObjectNode status = NODES.objectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("reason", "Invalid").put("code", 422)
                .put("message", (group.isEmpty() ? kind : kind + "." + group) + " \"" + name + "\" is invalid: " + errors);
        ObjectNode details = status.putObject("details").put("name", name).put("group", group).put("kind", kind);
        ArrayNode causes = details.putArray("causes");
        violations.forEach(v -> causes.addObject().put("reason", v.reason()).put("message", v.body()).put("field", v.field()));
        return status;
    }

    /** Only replicas, ordinals, template, updateStrategy, the claim retention policy and minReadySeconds may change. */
    private static List<Violation> statefulSet(JsonNode old, JsonNode updated) {
        String[] mutable = {"replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
            "minReadySeconds"};
        ObjectNode before = specWithout(old, mutable);
        ObjectNode after = specWithout(updated, mutable);
        return same(before, after) ? List.of() : List.of(Violation.forbidden("spec", STS_SPEC));
    }

    /** apps/v1 refuses a new selector (the pods of the old one would be orphaned). */
    private static List<Violation> deployment(JsonNode old, JsonNode updated) {
        JsonNode selector = updated.path("spec").path("selector");
        return same(old.path("spec").path("selector"), selector) ? List.of()
                : List.of(Violation.invalid("spec.selector", labelSelector(selector), IMMUTABLE));
    }

    /**
     * A claim's spec is fixed once created, but for its volume name (set once, by the binder), a
     * storage class where it had none (a default class assigned later), and, once bound, its
     * storage request (which may grow, never shrink) and volume attributes class.
     */
    private static List<Violation> claim(JsonNode old, JsonNode updated) {
        ObjectNode before = specWithout(old);
        ObjectNode after = specWithout(updated);
        for (String setOnce : new String[] {"volumeName", "storageClassName"}) {
            if (before.path(setOnce).asText("").isEmpty() && after.has(setOnce)) {
                before.set(setOnce, after.get(setOnce));
            }
        }
        if (old.path("status").path("phase").asText().equals("Bound")) {
            for (ObjectNode spec : List.of(before, after)) {
                spec.remove("volumeAttributesClassName");
                if (spec.path("resources").path("requests") instanceof ObjectNode requests) {
                    requests.remove("storage");
                }
            }
        }
        List<Violation> violations = new ArrayList<>();
        if (!same(before, after)) {
            violations.add(Violation.forbidden("spec", CLAIM_SPEC));
        }
        BigDecimal oldSize = storage(old);
        BigDecimal newSize = storage(updated);
        if (oldSize != null && (newSize == null ? BigDecimal.ZERO : newSize).compareTo(oldSize) < 0) {
            violations.add(Violation.forbidden("spec.resources.requests.storage", "field can not be less than previous value"));
        }
        return violations;
    }

    /**
     * A Service keeps the cluster IPs it was given, unless it is or becomes an ExternalName or
     * stays headless. An update that leaves them out keeps the allocated ones ({@link ApiDefaults}
     * copies them in), so only a different address is refused. The API server reads a changed
     * {@code clusterIP} as the new first of {@code clusterIPs}, and words the refusal so.
     */
    private static List<Violation> service(JsonNode old, JsonNode updated) {
        JsonNode before = old.path("spec");
        JsonNode after = updated.path("spec");
        if (before.path("type").asText().equals("ExternalName") || after.path("type").asText().equals("ExternalName")
                || (headless(before) && headless(after))) {
            return List.of();
        }
        String oldIp = primaryIp(before);
        String clusterIp = after.path("clusterIP").asText("");
        String newIp = !clusterIp.isEmpty() && !clusterIp.equals(before.path("clusterIP").asText("")) ? clusterIp : primaryIp(after);
        if (oldIp.isEmpty() || newIp.isEmpty() || newIp.equals(oldIp)) {
            return List.of();
        }
        List<String> ips = new ArrayList<>();
        after.path("clusterIPs").forEach(ip -> ips.add(ip.asText()));
        if (ips.isEmpty()) {
            ips.add(newIp);
        }
        ips.set(0, newIp);
        StringJoiner value = new StringJoiner(", ", "[]string{", "}");
        ips.forEach(ip -> value.add("\"" + ip + "\""));
        return List.of(Violation.invalid("spec.clusterIPs[0]", value.toString(), "may not change once set"));
    }

    /**
     * A Secret or ConfigMap created {@code immutable: true} keeps its contents and stays
     * immutable. A Secret's {@code stringData} is part of its data (the API server merges it in);
     * its {@code type} can never change.
     */
    private static List<Violation> immutableData(JsonNode old, JsonNode updated, String data, String other) {
        List<Violation> violations = new ArrayList<>();
        boolean secret = other.equals("Secret");
        if (secret && !old.path("type").asText("Opaque").equals(updated.path("type").asText("Opaque"))) {
            violations.add(Violation.invalid("type", "\"" + updated.path("type").asText("Opaque") + "\"", IMMUTABLE));
        }
        if (!old.path("immutable").asBoolean(false)) {
            return violations;
        }
        if (!updated.path("immutable").asBoolean(false)) {
            violations.add(Violation.forbidden("immutable", WHEN_IMMUTABLE));
        }
        if (!same(secret ? secretData(old) : old.path(data), secret ? secretData(updated) : updated.path(data))) {
            violations.add(Violation.forbidden(data, WHEN_IMMUTABLE));
        }
        if (!secret && !same(old.path(other), updated.path(other))) {
            violations.add(Violation.forbidden(other, WHEN_IMMUTABLE));
        }
        return violations;
    }

    private static JsonNode secretData(JsonNode secret) {
        ObjectNode data = secret.path("data") instanceof ObjectNode d ? d.deepCopy() : NODES.objectNode();
        secret.path("stringData").fields().forEachRemaining(e -> data.put(e.getKey(),
                Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        return data;
    }

    private static ObjectNode specWithout(JsonNode object, String... fields) {
        ObjectNode spec = object.path("spec") instanceof ObjectNode s ? s.deepCopy() : NODES.objectNode();
        spec.remove(List.of(fields));
        return spec;
    }

    private static boolean headless(JsonNode spec) {
        return spec.path("clusterIP").asText().equals("None");
    }

    private static String primaryIp(JsonNode spec) {
        JsonNode ips = spec.path("clusterIPs");
        return ips.size() > 0 ? ips.get(0).asText("") : spec.path("clusterIP").asText("");
    }

    private static BigDecimal storage(JsonNode claim) {
        JsonNode size = claim.path("spec").path("resources").path("requests").path("storage");
        try {
            return size.isMissingNode() || size.isNull() ? null : Quantity.getAmountInBytes(new Quantity(size.asText()));
        } catch (IllegalArgumentException e) {
            return null; // not a quantity: nothing to compare
        }
    }

    /** Go's {@code %#v} of a label selector with labels only, which is what the API server prints; JSON otherwise. */
    private static String labelSelector(JsonNode selector) {
        if (selector.path("matchExpressions").size() > 0) {
            return selector.toString();
        }
        StringJoiner labels = new StringJoiner(", ", "map[string]string{", "}");
        Iterator<Map.Entry<String, JsonNode>> fields = selector.path("matchLabels").fields();
        fields.forEachRemaining(e -> labels.add("\"" + e.getKey() + "\":\"" + e.getValue().asText() + "\""));
        return "v1.LabelSelector{MatchLabels:" + labels + ", MatchExpressions:[]v1.LabelSelectorRequirement(nil)}";
    }

    /** Equal as typed objects: absent, null and empty values are no value. */
    static boolean same(JsonNode a, JsonNode b) {
        return pruned(a).equals(pruned(b));
    }

    private static JsonNode pruned(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            node.fields().forEachRemaining(e -> {
                JsonNode value = pruned(e.getValue());
                if (!value.isMissingNode()) {
                    copy.set(e.getKey(), value);
                }
            });
            return copy.isEmpty() ? MissingNode.getInstance() : copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(item -> {
            JsonNode value = pruned(item);
            copy.add(value.isMissingNode() ? NODES.objectNode() : value);
        });
            return copy.isEmpty() ? MissingNode.getInstance() : copy;
        }
        boolean empty = node.isMissingNode() || node.isNull() || (node.isTextual() && node.asText().isEmpty());
        return empty ? MissingNode.getInstance() : node;
    }
}
