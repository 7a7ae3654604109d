package io.coxswain.orchestrator.executor;

import io.coxswain.avro.registry.RegisteredSchema;
import io.coxswain.avro.registry.SchemaRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A real registry (a node's) lent to a part under test: every answer comes from it; this records the subjects it answered
 * for, so a test sees what was read and written through it, and counts the borrower's closes, leaving the real one open.
 */
final class RecordingRegistry implements SchemaRegistry {

    private final SchemaRegistry lent;
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger closes = new AtomicInteger();

    RecordingRegistry(SchemaRegistry lent) {
        this.lent = lent;
    }

    /** The subjects of every schema this registry has given out, by id, GUID or look-up. */
    Set<String> subjectsAnswered() {
        return Set.copyOf(answered);
    }

    int closes() {
        return closes.get();
    }

    private Optional<RegisteredSchema> seen(Optional<RegisteredSchema> answer) {
        answer.ifPresent(rs -> answered.add(rs.subject()));
        return answer;
    }

    @Override
    public Optional<RegisteredSchema> byId(int id) {
        return seen(lent.byId(id));
    }

    @Override
    public Optional<RegisteredSchema> byGuid(UUID guid) {
        return seen(lent.byGuid(guid));
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        return seen(lent.lookup(subject, schema));
    }

    @Override
    public RegisteredSchema register(String subject, Schema schema) {
        return seen(Optional.of(lent.register(subject, schema))).orElseThrow();
    }

    @Override
    public List<String> subjects() {
        return lent.subjects();
    }

    @Override
    public List<RegisteredSchema> versions(String subject) {
        return lent.versions(subject);
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
