package io.coxswain.orchestrator.executor;

import io.coxswain.avro.state.ClusterState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which command an action answers. The state's {@code lastCommandId} is often one of the
 * executor's own observations; those carry {@link #OBSERVATION_PREFIX}, so the last id that does
 * not is the intent (CreateCluster, ScaleBrokers, ...) the cluster's objects follow. After a
 * restart, until an intent arrives, the state's last command is the best known cause.
 */
public final class CauseTracker {

    /** Prefix of the command ids of executors' observations. */
    public static final String OBSERVATION_PREFIX = "obs-";

    private final Map<String, String> lastIntent = new ConcurrentHashMap<>();

    public void saw(ClusterState state) {
        if (!isObservation(state.getLastCommandId())) {
            lastIntent.put(state.getClusterId(), state.getLastCommandId());
        }
    }

    /** Whether a command id is one of the executors' observations rather than an intent. */
    public static boolean isObservation(String commandId) {
        return commandId.startsWith(OBSERVATION_PREFIX);
    }

    public String causeOf(ClusterState state) {
        return lastIntent.getOrDefault(state.getClusterId(), state.getLastCommandId());
    }

    /**
     * Of a state this executor cannot read, known by its cluster and last command only (not {@link #saw}: its intent is not
     * the one the cluster's objects follow): that command when it is an intent, else the last intent seen.
     */
    public String causeOf(String clusterId, String lastCommandId) {
        return lastCommandId != null && !isObservation(lastCommandId) ? lastCommandId : lastIntent.getOrDefault(clusterId, lastCommandId);
    }

    public void forget(String clusterId) {
        lastIntent.remove(clusterId);
    }
}
