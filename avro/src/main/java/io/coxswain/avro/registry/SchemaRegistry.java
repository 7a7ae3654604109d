package io.coxswain.avro.registry;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;

/**
 * The part of a Confluent-compatible schema registry that Coxswain's serdes and its registry
 * endpoint need. Implementations: {@link TopicSchemaRegistry} (Coxswain's own, on the schemas
 * topic) and {@link HttpSchemaRegistryClient} (any registry speaking Confluent's REST API).
 */
public interface SchemaRegistry extends AutoCloseable {

    Optional<RegisteredSchema> byId(int id);

    Optional<RegisteredSchema> byGuid(UUID guid);

    /** The version of {@code subject} whose schema equals {@code schema}, if registered. */
    Optional<RegisteredSchema> lookup(String subject, Schema schema);

    /** Registers {@code schema} under {@code subject} if absent; returns the registered version either way. */
    RegisteredSchema register(String subject, Schema schema);

    /** Registers each of {@code schemas} under {@code subject}, in order, where absent. */
    default void registerAll(String subject, List<Schema> schemas) {
        schemas.forEach(schema -> register(subject, schema));
    }

    List<String> subjects();

    /** Versions of {@code subject} in ascending order; empty when the subject is unknown. */
    List<RegisteredSchema> versions(String subject);

    default Optional<RegisteredSchema> latest(String subject) {
        List<RegisteredSchema> all = versions(subject);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    @Override
    default void close() {
    }
}
