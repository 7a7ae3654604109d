package io.coxswain.orchestrator.operations.connect;

import java.util.Map;

/**
 * A connector as the Connect REST API reports it.
 *
 * @param config      its configuration, with the {@code name} Connect adds
 * @param state       the connector's state: RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED or RESTARTING
 * @param error       the first line of the connector's or its first failed task's trace; null when none failed
 */
public record LiveConnector(String name, Map<String, String> config, String state, int tasks, int failedTasks, String error) {

    public static final String FAILED = "FAILED";

    public LiveConnector {
        config = Map.copyOf(config);
    }
}
