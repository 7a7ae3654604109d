package io.coxswain.sandbox.kube.apiserver;

import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The store's recent changes in resourceVersion order, so that a watch over plain HTTP can be
 * answered with what changed since the version a client last saw (see {@link HttpWatch}). Bounded:
 * a client further behind than the journal reaches is told its version expired, and re-lists,
 * as a real API server does when its watch cache has moved on.
 */
final class WatchJournal {

    /**
     * One change: an object's state before and after (null when created or deleted), with the
     * attributes (kind, namespace, name, labels) watches are matched against.
     */
    record Change(long resourceVersion, String oldState, AttributeSet oldAttributes, String newState,
            AttributeSet newAttributes) {

        /**
         * The watch event (one JSON line) a watcher matching {@code query} sees for this change, as
         * the store's own watchers would; empty when the change is none of its business.
         */
        String eventFor(AttributeSet query) {
            boolean before = oldAttributes != null && oldAttributes.matches(query);
            boolean after = newAttributes != null && newAttributes.matches(query);
            if (before && after) {
                return event("MODIFIED", newState);
            } else if (before) {
                return event("DELETED", oldState);
            } else if (after) {
                return event("ADDED", newState);
            }
            return "";
        }
    }

    /** Told to a watcher whose version the journal no longer reaches: it must list again. */
    static final String EXPIRED = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
            + "\"metadata\":{},\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,"
            + "\"message\":\"too old resource version\"}}\n";

    static String event(String type, String object) {
        return "{\"type\":\"" + type + "\",\"object\":" + object + "}\n";
    }

    private static final int CAPACITY = 20_000;

    private final Deque<Change> changes = new ArrayDeque<>();
    private long latest;

    synchronized void record(Change change) {
        if (changes.size() == CAPACITY) {
            changes.removeFirst();
        }
        changes.addLast(change);
        latest = Math.max(latest, change.resourceVersion());
    }

    synchronized long latestVersion() {
        return latest;
    }

    /** The changes after {@code version}; empty when the journal no longer reaches back that far. */
    synchronized Optional<List<Change>> since(long version) {
        if (changes.size() == CAPACITY && changes.getFirst().resourceVersion() > version + 1) {
            return Optional.empty();
        }
        List<Change> after = new ArrayList<>();
        for (Change change : changes) {
            if (change.resourceVersion() > version) {
                after.add(change);
            }
        }
        return Optional.of(after);
    }
}
