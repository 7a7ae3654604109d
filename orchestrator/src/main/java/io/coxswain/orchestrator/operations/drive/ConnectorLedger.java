package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.avro.state.PlatformComponentSpec;
import io.coxswain.orchestrator.operations.connect.ConnectorAction;
import io.coxswain.orchestrator.operations.connect.ConnectorPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What this executor did on one cluster's Connect that the folded state may not show yet, or that must not be
 * done again: each entry keeps an action or a report from being recorded at every pass (the log records
 * changes, not heartbeats). Lost with the executor; the next owner starts from the log, at worst repeating one
 * action or report.
 */
final class ConnectorLedger {

    /** How long an action Connect failed (not refused) waits before it is tried, and recorded, again. */
    static final Duration BACK_OFF = Duration.ofMinutes(5);

    /** A configuration Connect refused (400) on workers of this component spec, and what it said. */
    private record Refusal(Map<String, String> config, PlatformComponentSpec workers, String message) {
    }

    private record Report(ConnectorsObserved observed, long atVersion) {
    }

    /** Per connector, the state asked for and not yet reported by Connect: pause, resume and stop are durable in Connect. */
    private final Map<String, String> asked = new HashMap<>();
    private final Set<String> restartsDone = new HashSet<>();
    private final Map<String, Refusal> refusals = new HashMap<>();
    private final Map<String, Instant> failedUntil = new HashMap<>();
    private Report lastReport;

    synchronized Map<String, String> asked() {
        return Map.copyOf(asked);
    }

    synchronized void asked(String connector, String state) {
        asked.put(connector, state);
    }

    /** Forgets what Connect now reports as it was asked (a later drift by hand is corrected, and recorded, again). */
    synchronized void reported(String connector, String liveState) {
        asked.remove(connector, liveState);
    }

    synchronized void forgetAsked(String connector) {
        asked.remove(connector);
    }

    synchronized Set<String> restartsDone() {
        return Set.copyOf(restartsDone);
    }

    synchronized void restarted(String commandId) {
        restartsDone.add(commandId);
    }

    synchronized void refused(String connector, Map<String, String> config, PlatformComponentSpec workers, String message) {
        refusals.put(connector, new Refusal(Map.copyOf(config), workers, message));
    }

    /**
     * The connectors whose configuration Connect refused as the state has it now, on the workers as they are now:
     * not sent again (the answer would be the same) until a SetConnector or a SetComponent connect changes either.
     */
    synchronized Map<String, String> refusedNow(ClusterState state, PlatformComponentSpec workers) {
        refusals.entrySet().removeIf(e -> {
            ConnectorSpec spec = state.getConnectors().get(e.getKey());
            return spec == null || !ConnectorPlan.config(e.getKey(), spec).equals(e.getValue().config())
                    || !Objects.equals(workers, e.getValue().workers());
        });
        Map<String, String> now = new HashMap<>();
        refusals.forEach((name, r) -> now.put(name, r.message()));
        return now;
    }

    synchronized boolean backingOff(ConnectorAction action, Instant now) {
        Instant until = failedUntil.get(key(action));
        return until != null && now.isBefore(until);
    }

    synchronized void failed(ConnectorAction action, Instant now) {
        failedUntil.put(key(action), now.plus(BACK_OFF));
    }

    synchronized void succeeded(ConnectorAction action) {
        failedUntil.remove(key(action));
    }

    /** Whether this report was recorded at the state's version or later, so the log has it and the state will show it. */
    synchronized boolean pending(ConnectorsObserved observed, long stateVersion) {
        return lastReport != null && lastReport.observed().equals(observed) && stateVersion <= lastReport.atVersion();
    }

    synchronized void recorded(ConnectorsObserved observed, long stateVersion) {
        lastReport = new Report(observed, stateVersion);
    }

    private static String key(ConnectorAction action) {
        return action.kind() + "/" + action.name();
    }
}
