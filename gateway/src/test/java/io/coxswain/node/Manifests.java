package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Kubernetes manifests as the deploy tests read them: the YAML documents of deploy/kubernetes, deploy/monitoring
 * or a Helm render, as trees or as fabric8's typed objects, and the fields the typed model does not know.
 */
final class Manifests {

    static final Path KUBERNETES = Path.of("..", "deploy", "kubernetes");
    static final Path MONITORING = Path.of("..", "deploy", "monitoring");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    /** The documents of every .yaml file of a folder, in file order. */
    static List<String> documents(Path dir) {
        List<String> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                docs.addAll(documents(Files.readString(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The documents of a YAML stream, leaving out those with nothing but comments (Helm writes a "# Source:" one per file). */
    static List<String> documents(String yaml) {
        List<String> docs = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (!doc.replaceAll("(?m)^\\s*#.*$", "").isBlank()) {
                docs.add(doc);
            }
        }
        return docs;
    }

    static JsonNode tree(String doc) {
        try {
            return YAML.readTree(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HasMetadata typed(String doc) {
        return Serialization.unmarshal(doc, HasMetadata.class);
    }

    static String id(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }

    /** Each object is of fabric8's typed model, and sets no field the model does not know (a typo, or a field Kubernetes would drop). */
    static void assertTypedWithoutUnknownFields(List<HasMetadata> objects) {
        for (HasMetadata o : objects) {
            assertThat(o).as(id(o) + " is a typed model object").isNotInstanceOf(GenericKubernetesResource.class);
            List<String> unknown = new ArrayList<>();
            unknownFields(o, id(o), unknown, new IdentityHashMap<>());
            assertThat(unknown).as("fields the Kubernetes model does not know").isEmpty();
        }
    }

    /** fabric8 keeps fields it does not know in additionalProperties: any entry there is a typo or an unsupported field. */
    private static void unknownFields(Object o, String path, List<String> found, Map<Object, Boolean> visited) {
        if (o == null || visited.put(o, true) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", found, visited);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, found, visited));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = getter.invoke(o);
                if (getter.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) value).keySet().forEach(k -> found.add(path + "." + k));
                } else {
                    unknownFields(value, path + "." + getter.getName().substring(3), found, visited);
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }
}
