package io.coxswain.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * deploy/helm/coxswain rendered by Helm's own engine: helm-java runs Helm's Go code as a native library,
 * so {@link #render} is what {@code helm template} prints, the values schema and {@code required} included.
 */
final class HelmChart {

    static final Path CHART = Path.of("..", "deploy", "helm", "coxswain");

    /**
     * The values deploy/kubernetes is the render of, in release coxswain and namespace coxswain: its placeholder
     * Kafka, and its Namespace (kubectl apply makes it; Helm must find it, so the chart's default leaves it out).
     */
    static final String PLAIN = """
            bootstrapServers: bootstrap-kafka.kafka.svc:9092
            namespace:
              create: true
            """;

    /** Labels Helm's tooling puts on every object of a release, and the pod annotation that rolls the nodes on a settings change. */
    static final List<String> BOOKKEEPING_LABELS = List.of("helm.sh/chart", "app.kubernetes.io/managed-by");
    static final String SETTINGS_CHECKSUM = "checksum/settings";

    private HelmChart() {
    }

    static Helm helm() {
        return new Helm(CHART);
    }

    /** The objects of {@code helm template RELEASE deploy/helm/coxswain -n NAMESPACE -f VALUES}; an IllegalStateException with Helm's message when it fails. */
    static List<JsonNode> render(String release, String namespace, String values) {
        try {
            Path file = Files.createTempFile("coxswain-values", ".yaml");
            try {
                Files.writeString(file, values);
                String out = helm().template().withName(release).withNamespace(namespace).withValuesFile(file).call();
                return Manifests.documents(out).stream().map(Manifests::tree).toList();
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> render(String values) {
        return render("coxswain", "coxswain", values);
    }

    /** Kind/namespace/name of an object as a tree. */
    static String id(JsonNode o) {
        String namespace = o.at("/metadata/namespace").asText();
        return o.get("kind").asText() + "/" + (namespace.isEmpty() ? "" : namespace + "/") + o.at("/metadata/name").asText();
    }

    static Map<String, JsonNode> byId(List<JsonNode> objects) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        objects.forEach(o -> {
            if (out.put(id(o), o) != null) {
                throw new AssertionError("rendered twice: " + id(o));
            }
        });
        return out;
    }

    static JsonNode one(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.get("kind").asText().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("one " + kind + " expected, rendered " + found.size());
        }
        return found.get(0);
    }

    /** A copy without what Helm adds for its own sake ({@link #BOOKKEEPING_LABELS}, {@link #SETTINGS_CHECKSUM}), as kubectl apply users get it. */
    static JsonNode withoutBookkeeping(JsonNode o) {
        ObjectNode copy = o.deepCopy();
        if (copy.at("/metadata/labels") instanceof ObjectNode labels) {
            labels.remove(BOOKKEEPING_LABELS);
        }
        if (copy.at("/spec/template/metadata") instanceof ObjectNode pod && pod.get("annotations") instanceof ObjectNode annotations) {
            annotations.remove(SETTINGS_CHECKSUM);
            if (annotations.isEmpty()) {
                pod.remove("annotations");
            }
        }
        return copy;
    }

    /** Where two trees differ, as JSON pointers with both values: a readable answer to "what drifted". */
    static void differences(String path, JsonNode chart, JsonNode plain, List<String> out) {
        if (chart != null && plain != null && chart.isObject() && plain.isObject()) {
            for (Iterator<String> names = chart.fieldNames(); names.hasNext();) {
                String name = names.next();
                differences(path + "/" + name, chart.get(name), plain.get(name), out);
            }
            plain.fieldNames().forEachRemaining(name -> {
                if (!chart.has(name)) {
                    differences(path + "/" + name, null, plain.get(name), out);
                }
            });
        } else if (chart != null && plain != null && chart.isArray() && plain.isArray() && chart.size() == plain.size()) {
            for (int i = 0; i < chart.size(); i++) {
                differences(path + "/" + i, chart.get(i), plain.get(i), out);
            }
        } else if (chart == null || !chart.equals(plain)) {
            out.add(path + ": chart " + chart + ", plain " + plain);
        }
    }
}
