package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.orchestrator.operations.connect.ConnectorAction;
import io.coxswain.orchestrator.operations.connect.ConnectorPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What this executor did on one cluster's Connect that the folded state may not show yet, or that must not be
 * done again: each entry keeps an action or a report from being recorded at every pass (the log records
 * changes, not heartbeats). Lost with the executor; the next owner starts from the log, at worst repeating one
 * action or report. Bounded by the state: {@link #prune} keeps only what is about the connectors it still names
 * and the calls still to be made, and the whole ledger goes when the cluster does ({@link ConnectorSync#forget}).
 */
final class ConnectorLedger {

    /** A configuration Connect refused (400) on workers as they were (their spec and what ran), and what it said. */
    private record Refusal(Map<String, String> config, List<Object> workers, String message) {
    }

    /** A report recorded while the state showed {@code folded} of the connectors. */
    private record Report(ConnectorsObserved observed, List<Object> folded) {
    }

    /** Failures in a row of one call (kind, connector, configuration), and when it may be tried again. */
    private record Failures(int count, Instant until) {
    }

    /** Connect answered a creation in a state that it does not know {@code initial_state}, on workers as they were. */
    private record NoInitialState(List<Object> workers, String answer) {
    }

    /** The first wait after a failed call, doubled at each failure in a row up to {@link #MAX_BACK_OFF}. */
    static final Duration BACK_OFF = Duration.ofSeconds(30);
    static final Duration MAX_BACK_OFF = Duration.ofHours(1);

    /** Per connector, the state asked for and not yet reported by Connect: pause, resume and stop are durable in Connect. */
    private final Map<String, String> asked = new HashMap<>();
    /**
     * The restarts carried out, each on its connector ({@link ConnectorPlan#restartKey}), and the ids of the ResetConnectorOffsets
     * commands carried out (command ids are unique per cluster).
     */
    private final Set<String> carriedOut = new HashSet<>();
    private final Map<String, String> resetRefusals = new HashMap<>();
    /** Restarts ({@link ConnectorPlan#restartKey}) whose call timed out, counted carried out, with what the operator is told. */
    private final Map<String, String> restartsTimedOut = new HashMap<>();
    /** Connectors created RUNNING since Connect said it takes no initial state. */
    private final Set<String> createdRunning = new HashSet<>();
    private NoInitialState noInitialState;
    private final Map<String, Refusal> refusals = new HashMap<>();
    private final Map<String, Failures> failures = new HashMap<>();
    private Report lastReport;

    /**
     * Forgets what the state no longer asks about: a connector it does not name (deleted), a RestartConnector or
     * ResetConnectorOffsets its connector's spec no longer names (a later one replaced it, or the connector went), and a
     * failed call not in this pass's plan (Connect made it after all, or the state changed). A restart or reset is never
     * made twice for that: the plan asks about the spec's own command only, and the spec's done-marks
     * ({@code restart.carriedOutAt}, {@code offsetReset.settledAt}) answer for it once a report is folded.
     *
     * @param planned the actions of this pass's plan, with the state they were planned from
     */
    synchronized void prune(ClusterState state, List<ConnectorAction> planned) {
        asked.keySet().retainAll(state.getConnectors().keySet());
        Set<String> named = new HashSet<>();
        state.getConnectors().forEach((name, spec) -> {
            if (spec.getRestart() != null) {
                named.add(ConnectorPlan.restartKey(name, spec.getRestart().getCommandId()));
            }
            if (spec.getOffsetReset() != null) {
                named.add(spec.getOffsetReset().getCommandId());
            }
        });
        carriedOut.retainAll(named);
        resetRefusals.keySet().retainAll(named);
        restartsTimedOut.keySet().retainAll(named);
        createdRunning.retainAll(state.getConnectors().keySet());
        failures.keySet().retainAll(planned.stream().map(a -> key(a, sent(state, a))).collect(Collectors.toSet()));
    }

    /** What a call sends, as its back-off is keyed: a changed configuration is tried at once. */
    static Map<String, String> sent(ClusterState state, ConnectorAction action) {
        ConnectorSpec spec = state.getConnectors().get(action.name());
        return spec == null ? Map.of() : ConnectorPlan.config(action.name(), spec);
    }

    /** How many entries it holds, all kinds together: what {@link #prune} bounds. */
    synchronized int size() {
        return asked.size() + carriedOut.size() + resetRefusals.size() + restartsTimedOut.size() + createdRunning.size()
                + refusals.size() + failures.size() + (noInitialState == null ? 0 : 1);
    }

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

    synchronized Set<String> carriedOut() {
        return Set.copyOf(carriedOut);
    }

    synchronized void carriedOut(String commandId) {
        carriedOut.add(commandId);
    }

    /** A ResetConnectorOffsets Connect refused for good: settled, with why. */
    synchronized void resetRefused(String commandId, String why) {
        carriedOut.add(commandId);
        resetRefusals.put(commandId, why);
    }

    synchronized Optional<String> resetRefusal(String commandId) {
        return Optional.ofNullable(resetRefusals.get(commandId));
    }

    /**
     * A RestartConnector whose call timed out: Connect carries on with a request it timed out, so it counts as carried
     * out and is never sent twice (a connector restarted twice); the note says it may not have been made.
     */
    synchronized void restartTimedOut(String connector, String commandId, String note) {
        carriedOut.add(ConnectorPlan.restartKey(connector, commandId));
        restartsTimedOut.put(ConnectorPlan.restartKey(connector, commandId), note);
    }

    synchronized Optional<String> restartTimedOut(String connector, String commandId) {
        return Optional.ofNullable(restartsTimedOut.get(ConnectorPlan.restartKey(connector, commandId)));
    }

    /** Connect, its workers as they are, answered a creation in a state that it does not know {@code initial_state}. */
    synchronized void initialStateUnknown(List<Object> workers, String answer) {
        noInitialState = new NoInitialState(workers, answer);
    }

    /**
     * What Connect answered a creation in a state, when it did not know {@code initial_state} on the workers as they are
     * now; forgotten once they change (a SetComponent connect, a roll), and a creation in a state is tried again.
     */
    synchronized Optional<String> initialStateUnknown(List<Object> workers) {
        if (noInitialState != null && !Objects.equals(workers, noInitialState.workers())) {
            noInitialState = null;
            createdRunning.clear();
        }
        return Optional.ofNullable(noInitialState).map(NoInitialState::answer);
    }

    synchronized void createdRunning(String connector) {
        createdRunning.add(connector);
    }

    /** Whether the connector was created RUNNING, on the workers as they are now, because they take no initial state. */
    synchronized boolean createdRunning(String connector, List<Object> workers) {
        return initialStateUnknown(workers).isPresent() && createdRunning.contains(connector);
    }

    synchronized void refused(String connector, Map<String, String> config, List<Object> workers, String message) {
        refusals.put(connector, new Refusal(Map.copyOf(config), workers, message));
    }

    /**
     * The connectors whose configuration Connect refused as the state has it now, on the workers as they are now (see
     * {@link #workers}): not sent again (the answer would be the same) until a SetConnector changes it or the workers change.
     */
    synchronized Map<String, String> refusedNow(ClusterState state, List<Object> workers) {
        refusals.entrySet().removeIf(e -> {
            ConnectorSpec spec = state.getConnectors().get(e.getKey());
            return spec == null || !ConnectorPlan.config(e.getKey(), spec).equals(e.getValue().config())
                    || !Objects.equals(workers, e.getValue().workers());
        });
        Map<String, String> now = new HashMap<>();
        refusals.forEach((name, r) -> now.put(name, r.message()));
        return now;
    }

    /** @param config what the call sends: a SetConnector that changes it is tried at once */
    synchronized boolean backingOff(ConnectorAction action, Map<String, String> config, Instant now) {
        Failures f = failures.get(key(action, config));
        return f != null && now.isBefore(f.until());
    }

    /** @return how long the call now waits */
    synchronized Duration failed(ConnectorAction action, Map<String, String> config, Instant now) {
        Failures before = failures.get(key(action, config));
        int count = before == null ? 1 : before.count() + 1;
        Duration wait = BACK_OFF.multipliedBy(1L << Math.min(count - 1, 7));
        wait = wait.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : wait;
        failures.put(key(action, config), new Failures(count, now.plus(wait)));
        return wait;
    }

    synchronized void succeeded(ConnectorAction action, Map<String, String> config) {
        failures.remove(key(action, config));
    }

    /**
     * Whether this report was recorded while the state showed what it shows of the connectors now: the log has it, and the
     * state will show it. Once the state shows something else (a DeleteConnector dropped a status, another report), it is not.
     */
    synchronized boolean pending(ConnectorsObserved observed, ClusterState state) {
        return lastReport != null && lastReport.observed().equals(observed) && lastReport.folded().equals(folded(state));
    }

    synchronized void recorded(ConnectorsObserved observed, ClusterState state) {
        lastReport = new Report(observed, folded(state));
    }

    /** What a report changes in the state. */
    private static List<Object> folded(ClusterState state) {
        return Arrays.asList(state.getStatus().getConnectors(), state.getStatus().getUnmanagedConnectors(),
                state.getStatus().getConnectUnreachable());
    }

    /**
     * The connect workers as a refusal depends on them: their spec and what the pods run (a SetComponent connect changes
     * the spec at once, while old workers still answer for a while; the refusal stands until what runs changes too).
     */
    static List<Object> workers(ClusterState state, String component) {
        ComponentStatus pods = state.getStatus().getComponents().get(component);
        return Arrays.asList(state.getSpec().getComponents().get(component), pods == null ? null : pods.getImage(),
                pods == null ? null : pods.getVersions(), pods == null ? 0 : pods.getReady(), pods == null ? 0 : pods.getDesired());
    }

    private static String key(ConnectorAction action, Map<String, String> config) {
        return action.kind() + "/" + action.name() + "/" + config.hashCode();
    }
}
