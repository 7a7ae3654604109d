package io.coxswain.avro.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.Schema;

/** A registry held in memory, with the same id rules as {@link TopicSchemaRegistry}: for topology tests and offline tools. */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private final Map<Integer, RegisteredSchema> byId = new HashMap<>();
    private final Map<UUID, RegisteredSchema> byGuid = new HashMap<>();
    private final Map<String, TreeMap<Integer, RegisteredSchema>> bySubject = new TreeMap<>();

    @Override
    public synchronized Optional<RegisteredSchema> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Optional<RegisteredSchema> byGuid(UUID guid) {
        return Optional.ofNullable(byGuid.get(guid));
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        return bySubject.getOrDefault(subject, new TreeMap<>()).values().stream()
                .filter(rs -> SchemaIdentity.sameSchema(rs.schema(), schema)).findFirst();
    }

    @Override
    public synchronized RegisteredSchema register(String subject, Schema schema) {
        Optional<RegisteredSchema> existing = lookup(subject, schema);
        if (existing.isPresent()) {
            return existing.get();
        }
        TreeMap<Integer, RegisteredSchema> versions = bySubject.computeIfAbsent(subject, s -> new TreeMap<>());
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        RegisteredSchema rs = new RegisteredSchema(subject, version, SchemaIdentity.idOf(schema), SchemaIdentity.guidOf(schema), schema);
        versions.put(version, rs);
        byId.put(rs.id(), rs);
        byGuid.put(rs.guid(), rs);
        return rs;
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(bySubject.keySet());
    }

    @Override
    public synchronized List<RegisteredSchema> versions(String subject) {
        return new ArrayList<>(bySubject.getOrDefault(subject, new TreeMap<>()).values());
    }
}
