package io.coxswain.orchestrator.executor;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

/** Keeps observations in memory, in order; can check the world at the moment each one is recorded. */
public final class RecordingSink implements ObservationSink {

    public record Entry(String clusterId, Object observation) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final BiConsumer<String, Object> atRecordTime;

    public RecordingSink() {
        this((c, o) -> { });
    }

    public RecordingSink(BiConsumer<String, Object> atRecordTime) {
        this.atRecordTime = atRecordTime;
    }

    @Override
    public synchronized String record(String clusterId, Object observation) {
        atRecordTime.accept(clusterId, observation);
        entries.add(new Entry(clusterId, observation));
        return CauseTracker.OBSERVATION_PREFIX + UUID.randomUUID();
    }

    public synchronized List<Object> all() {
        return entries.stream().map(Entry::observation).toList();
    }

    /** Each observation with the cluster it was recorded for. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized <T> List<T> of(Class<T> type) {
        return entries.stream().map(Entry::observation).filter(type::isInstance).map(type::cast).toList();
    }

    public List<ResourceActionObserved> actions(ResourceAction action) {
        return of(ResourceActionObserved.class).stream().filter(a -> a.getAction() == action).toList();
    }

    public synchronized void clear() {
        entries.clear();
    }
}
