package io.coxswain.orchestrator.fold;

import io.coxswain.avro.command.ExecutorRefusalsObserved;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.avro.state.ExecutorRefusalStatus;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * FOLD of what the executor refuses, or cannot get done, for a cluster ({@code status.executorRefusals}): each report is the
 * whole set, so it replaces the one before (an empty one clears it), and a key keeps its {@code since} while it stays
 * blocked, whatever the reason says now (it has not been acted on since then). A removed cluster has nothing blocked.
 */
final class ExecutorRefusalControl {

    private ExecutorRefusalControl() {
    }

    static void observed(ClusterStatus status, ExecutorRefusalsObserved observed, Instant at) {
        Map<String, ExecutorRefusalStatus> next = new TreeMap<>();
        observed.getRefusals().forEach((key, o) -> {
            ExecutorRefusalStatus before = status.getExecutorRefusals().get(key);
            next.put(key, new ExecutorRefusalStatus(o.getReason(), o.getCommandId(), before != null ? before.getSince() : at, at));
        });
        status.setExecutorRefusals(next);
    }

    /** The cluster's objects are removed: nothing is blocked for it any more (a cluster created again starts afresh too). */
    static void removed(ClusterStatus status) {
        status.setExecutorRefusals(new TreeMap<>());
    }
}
