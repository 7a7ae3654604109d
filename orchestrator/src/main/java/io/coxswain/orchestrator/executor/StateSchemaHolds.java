package io.coxswain.orchestrator.executor;

import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.commands.ExecutorRefusalKeys;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.topology.NewerSchemas;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an executor does for a cluster it holds, its latest state written with a newer state schema holding what this
 * executor's lacks ({@link NewerState}): nothing to the cluster's objects (no reconcile, no operation step, no deletion).
 * It says so in the cluster's state, as the executor refusal {@link #REFUSAL_KEY} ({@code status.executorRefusals}, which
 * {@code cox get}, the console and GET /v1/clusters show as blocked), on change only, the refusals shown beside it kept
 * as they are (nothing here weighs them again); and it logs the hold once per cluster and writer schema version. The
 * first pass on a state this executor can read reports the whole set of refusals again, which clears the hold's.
 */
final class StateSchemaHolds {

    private static final Logger log = LoggerFactory.getLogger(StateSchemaHolds.class);

    /** The refusal's key in {@code status.executorRefusals}. */
    static final String REFUSAL_KEY = ExecutorRefusalKeys.STATE_SCHEMA;

    private final String observerId;
    private final StatusReporter status;
    private final CauseTracker causes;
    /** Per held cluster, the writer schema version the operator was told of. */
    private final Map<String, Integer> told = new ConcurrentHashMap<>();

    StateSchemaHolds(String observerId, StatusReporter status, CauseTracker causes) {
        this.observerId = observerId;
        this.status = status;
        this.causes = causes;
    }

    /** A pass over a held cluster: reports the hold, acts on nothing. */
    void hold(NewerState held) {
        String reason = reason(held, observerId);
        int writer = held.dropped().writer().version();
        if (!Objects.equals(told.put(held.clusterId(), writer), writer)) {
            log.warn("executor {}: holds cluster {} at its state v{} (latest command {}): {}", observerId, held.clusterId(), held.version(),
                    held.lastCommandId(), reason);
        }
        ExecutorRefusalObserved shown = held.refusals().get(REFUSAL_KEY);
        String first = shown != null ? shown.getCommandId() : causes.causeOf(held.clusterId(), held.lastCommandId());
        Map<String, ExecutorRefusalObserved> refusals = new TreeMap<>(held.refusals());
        refusals.put(REFUSAL_KEY, new ExecutorRefusalObserved(reason, first));
        status.reportRefusals(held.clusterId(), held.refusals(), refusals);
    }

    /** The cluster's latest state is one this executor reads: says so, once, if it held the cluster. */
    void release(ClusterState state) {
        Integer writer = told.remove(state.getClusterId());
        if (writer != null) {
            log.info("executor {}: cluster {} no longer held: its state v{} is one this executor reads (state schema v{}, where the one"
                    + " it held was v{}); acting on it", observerId, state.getClusterId(), state.getVersion(), NewerSchemas.STATE_VERSION, writer);
        }
    }

    void forget(String clusterId) {
        told.remove(clusterId);
    }

    /**
     * Names the cluster, both schema versions, what this executor cannot read and what to do; not the state's version, which
     * every report moves (the fold folds it into a newer state): the reason stays the same while the hold does.
     */
    static String reason(NewerState held, String observerId) {
        DroppedFields dropped = held.dropped();
        int writer = dropped.writer().version();
        return "cluster " + held.clusterId() + ": its state was written with state schema v" + writer + " (schema id " + dropped.writer().id()
                + " of " + dropped.writer().subject() + "), and executor " + observerId + " reads state schema v" + NewerSchemas.STATE_VERSION
                + ": " + dropped.lacks("this executor") + ". Acting on the rest could do what the state does not ask,"
                + " so nothing is reconciled, stepped or deleted for the cluster until a state this executor can read arrives."
                + " Finish upgrading this executor to a Coxswain that knows state schema v" + writer;
    }
}
