package io.coxswain.orchestrator.audit;

import io.coxswain.avro.Topics;
import io.coxswain.avro.registry.HttpSchemaRegistryClient;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import java.util.Map;

/**
 * Where a command log lives: a Kafka (the production one, or any copy of its topics), the topic prefix,
 * client settings (security), and the schema registry: Coxswain's own on the {@code schemas} topic of
 * that Kafka unless {@code schemaRegistryUrl} names another. Replay only ever reads through it.
 *
 * @param clientOverrides extra consumer settings, e.g. {@code security.protocol}; a group.id is ignored
 * @param schemaRegistryUrl null for the registry on the {@code <prefix>schemas} topic
 */
public record LogLocation(String bootstrapServers, Topics topics, Map<String, Object> clientOverrides, String schemaRegistryUrl) {

    public LogLocation {
        clientOverrides = Map.copyOf(clientOverrides);
    }

    public static LogLocation of(String bootstrapServers, Topics topics) {
        return new LogLocation(bootstrapServers, topics, Map.of(), null);
    }

    public LogLocation withSchemaRegistryUrl(String url) {
        return new LogLocation(bootstrapServers, topics, clientOverrides, url);
    }

    public LogLocation withClientOverrides(Map<String, Object> overrides) {
        return new LogLocation(bootstrapServers, topics, overrides, schemaRegistryUrl);
    }

    private Map<String, Object> withoutGroup() {
        Map<String, Object> m = new java.util.HashMap<>(clientOverrides);
        m.remove("group.id");
        m.put("allow.auto.create.topics", false);
        return m;
    }

    /** A registry used for look-ups only: replay never registers a schema. */
    SchemaRegistry openRegistry() {
        return schemaRegistryUrl != null && !schemaRegistryUrl.isBlank()
                ? new HttpSchemaRegistryClient(schemaRegistryUrl)
                : new TopicSchemaRegistry(bootstrapServers, topics.schemas(), withoutGroup());
    }
}
