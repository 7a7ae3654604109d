package io.coxswain.avro.registry;

import io.coxswain.avro.Topics;
import java.util.HashMap;
import java.util.Map;

/**
 * Chooses a registry from client configuration, as Confluent's serdes do: {@code schema.registry.url}
 * names any Confluent-compatible registry; without it, Coxswain's own registry in the
 * {@code <prefix>schemas} topic of {@code bootstrap.servers} is used.
 */
public final class SchemaRegistries {

    public static final String REGISTRY_URL = "schema.registry.url";
    public static final String TOPIC_PREFIX = "coxswain.topic.prefix";

    private SchemaRegistries() {
    }

    public static SchemaRegistry fromConfig(Map<String, ?> config) {
        Object url = config.get(REGISTRY_URL);
        if (url != null && !url.toString().isBlank()) {
            return new HttpSchemaRegistryClient(url.toString());
        }
        Object bootstrap = config.get("bootstrap.servers");
        if (bootstrap == null) {
            throw new IllegalArgumentException("set " + REGISTRY_URL + " or bootstrap.servers to find the schema registry");
        }
        Object prefix = config.get(TOPIC_PREFIX);
        Topics topics = new Topics(prefix == null ? Topics.DEFAULT_PREFIX : prefix.toString());
        Map<String, Object> overrides = new HashMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith("security.") || k.startsWith("ssl.") || k.startsWith("sasl.")) {
                overrides.put(k, v);
            }
        });
        return new TopicSchemaRegistry(bootstrap.toString(), topics.schemas(), overrides);
    }
}
