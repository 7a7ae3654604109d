package io.coxswain.gateway.readmodel;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.DroppedFields;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The latest state of every cluster, as read from the compacted state topic, plus the things that
 * wait on it: {@code ?minVersion=} readers and {@code /watch} subscribers. Written by the read
 * model's one consumer thread, read by any HTTP thread.
 */
public final class ClusterViews {

    private final Map<String, ClusterState> states = new TreeMap<>();
    /**
     * Per cluster, while its latest state record holds what this gateway lacks: the note on the state shown ({@link #note}) and
     * what it lacks ({@link #latest}).
     */
    private final Map<String, Noted> notes = new HashMap<>();
    private final Map<String, List<VersionWaiter>> waiters = new HashMap<>();
    private final Map<String, List<Consumer<ClusterState>>> watchers = new HashMap<>();

    private record VersionWaiter(long version, CompletableFuture<ClusterState> future) {
    }

    /**
     * A note and the very state it is on (identity: the read model hands out one instance per version; null when the
     * cluster's first state could not be decoded at all), and what the cluster's latest state record holds that this
     * gateway lacks.
     */
    private record Noted(ClusterState state, String note, DroppedFields newer) {
    }

    /**
     * A cluster's state as shown and, when its latest state record holds what this gateway lacks, what (so a dry run answers
     * as a node would, which folds nothing onto it: {@link Preview}); read together.
     */
    record Latest(Optional<ClusterState> shown, Optional<DroppedFields> newer) {
    }

    /** A record of the state topic: the cluster's new state, or a tombstone (null) when it is gone. */
    void apply(String clusterId, ClusterState state) {
        apply(clusterId, state, null, null);
    }

    /**
     * As {@link #apply(String, ClusterState)}, the state shown with {@code note}: written with a newer state schema, it set
     * the fields {@code newer} names, which decoding it dropped ({@link ReadModel}); both null for a state read whole.
     */
    void apply(String clusterId, ClusterState state, String note, DroppedFields newer) {
        List<CompletableFuture<ClusterState>> done = new ArrayList<>();
        List<Consumer<ClusterState>> notify;
        synchronized (this) {
            notes.remove(clusterId);
            if (state == null) {
                states.remove(clusterId);
                return;
            }
            states.put(clusterId, state);
            if (note != null) {
                notes.put(clusterId, new Noted(state, note, newer));
            }
            List<VersionWaiter> list = waiters.getOrDefault(clusterId, List.of());
            for (VersionWaiter w : List.copyOf(list)) {
                if (state.getVersion() >= w.version()) {
                    list.remove(w);
                    done.add(w.future());
                }
            }
            notify = List.copyOf(watchers.getOrDefault(clusterId, List.of()));
        }
        // complete outside the lock: callbacks hop to HTTP threads and must not hold up the consumer
        done.forEach(f -> f.complete(state));
        notify.forEach(w -> w.accept(state));
    }

    /**
     * A state of the cluster's that this gateway cannot decode at all (a newer state schema wrote it with a type or an enum
     * symbol this one lacks): the state read before it stays shown, with a note saying so; a cluster with none stays unknown
     * (though not to a dry run, {@link #latest}).
     *
     * @param note  what this gateway cannot read of it
     * @param newer the same, as decoding it said
     */
    synchronized void unreadable(String clusterId, long version, String note, DroppedFields newer) {
        ClusterState shown = states.get(clusterId);
        String shownNote = shown == null ? null : "its state v" + version + " was " + note + "; shown is v" + shown.getVersion()
                + ", the last state this gateway could read";
        notes.put(clusterId, new Noted(shown, shownNote, newer));
    }

    /** Why {@code state}, as this model shows it, is not all its writer wrote; null when it is. */
    public synchronized String note(ClusterState state) {
        Noted n = notes.get(state.getClusterId());
        return n != null && n.state() == state ? n.note() : null;
    }

    synchronized Latest latest(String clusterId) {
        Noted n = notes.get(clusterId);
        return new Latest(Optional.ofNullable(states.get(clusterId)), Optional.ofNullable(n == null ? null : n.newer()));
    }

    public synchronized Optional<ClusterState> get(String clusterId) {
        return Optional.ofNullable(states.get(clusterId));
    }

    public synchronized Collection<ClusterState> all() {
        return List.copyOf(states.values());
    }

    /**
     * Completes with the cluster's state once this instance has folded at least {@code version};
     * completes exceptionally with a {@link java.util.concurrent.TimeoutException} after {@code timeout}.
     */
    public CompletableFuture<ClusterState> awaitVersion(String clusterId, long version, Duration timeout) {
        CompletableFuture<ClusterState> f = new CompletableFuture<>();
        synchronized (this) {
            ClusterState now = states.get(clusterId);
            if (now != null && now.getVersion() >= version) {
                return CompletableFuture.completedFuture(now);
            }
            VersionWaiter w = new VersionWaiter(version, f);
            waiters.computeIfAbsent(clusterId, k -> new ArrayList<>()).add(w);
            f.whenComplete((s, e) -> {
                synchronized (this) {
                    List<VersionWaiter> list = waiters.get(clusterId);
                    if (list != null) {
                        list.remove(w);
                        if (list.isEmpty()) {
                            waiters.remove(clusterId);
                        }
                    }
                }
            });
        }
        return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Calls {@code listener} with every new state of the cluster until the returned handle is run. */
    public Runnable watch(String clusterId, Consumer<ClusterState> listener) {
        synchronized (this) {
            watchers.computeIfAbsent(clusterId, k -> new CopyOnWriteArrayList<>()).add(listener);
        }
        return () -> {
            synchronized (this) {
                List<Consumer<ClusterState>> list = watchers.get(clusterId);
                if (list != null) {
                    list.remove(listener);
                    if (list.isEmpty()) {
                        watchers.remove(clusterId);
                    }
                }
            }
        };
    }

    public synchronized int watcherCount() {
        return watchers.values().stream().mapToInt(List::size).sum();
    }
}
