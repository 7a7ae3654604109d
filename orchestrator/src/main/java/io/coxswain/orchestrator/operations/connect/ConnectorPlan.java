package io.coxswain.orchestrator.operations.connect;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.avro.state.ConnectorStatus;
import io.coxswain.commands.shape.PlatformComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DECIDE for connectors, pure: what the Connect cluster must be asked so that it runs what the state
 * names. Create what is missing, replace a configuration that differs, bring each connector to its
 * asked state, carry out a restart asked for once, remove what a DeleteConnector retired; a
 * connector nobody asked Coxswain for is only listed.
 *
 * @param actions   in the order to make them
 * @param restarted per connector, the RestartConnector this plan carries out (by a restart, or by a creation, which starts it anew)
 * @param unmanaged connectors on Connect the state never named, sorted
 */
public record ConnectorPlan(List<ConnectorAction> actions, Map<String, String> restarted, List<String> unmanaged) {

    /** The ResetConnectorOffsets this plan carries out for a connector, if its action is in the plan. */
    public Optional<String> offsetReset(ClusterState state, ConnectorAction action) {
        return action.kind() == ConnectorAction.Kind.RESET_OFFSETS
                ? Optional.of(state.getConnectors().get(action.name()).getOffsetReset().getCommandId()) : Optional.empty();
    }

    public static final String RUNNING = "RUNNING";
    public static final String PAUSED = "PAUSED";
    public static final String STOPPED = "STOPPED";
    private static final String CONNECT = PlatformComponent.CONNECT.componentName();
    /** Why a connector is created RUNNING when the state's version is older than 7.7. */
    private static final String OLDER_CONNECT = "Connect before Confluent Platform 7.7 takes no initial state";

    /**
     * @param recentlyAsked per connector, the state this executor asked Connect for a moment ago: Connect
     *                      reports the change only once its workers made it, and it is not asked twice
     * @param carriedOut    the RestartConnector and ResetConnectorOffsets ids this executor carried out (the folded state may
     *                      not show them yet)
     */
    public static ConnectorPlan of(ClusterState state, Map<String, LiveConnector> live, Map<String, String> recentlyAsked,
                                   Set<String> carriedOut) {
        return of(state, live, recentlyAsked, carriedOut, Set.of(), Set.of());
    }

    /**
     * @param leftAlone connectors the state does not name now but Coxswain manages (a mirror's that waits): not acted on, not
     *                  unmanaged
     * @param stopped   connectors the state does not name now but Coxswain manages and must not run (a mirror's that cannot):
     *                  stopped where Connect has them, never created or deleted, not unmanaged
     */
    public static ConnectorPlan of(ClusterState state, Map<String, LiveConnector> live, Map<String, String> recentlyAsked,
                                   Set<String> carriedOut, Set<String> leftAlone, Set<String> stopped) {
        List<ConnectorAction> actions = new ArrayList<>();
        Map<String, String> restarted = new TreeMap<>();
        boolean inState = createsInState(state);
        for (Map.Entry<String, ConnectorSpec> e : state.getConnectors().entrySet()) {
            String name = e.getKey();
            ConnectorSpec spec = e.getValue();
            LiveConnector now = live.get(name);
            Map<String, String> config = config(name, spec);
            if (now == null) {
                actions.addAll(inState ? List.of(createdInState(name, spec)) : createdRunning(name, spec, OLDER_CONNECT));
            } else {
                Optional<ConnectorAction> update = now.config().equals(config) ? Optional.empty()
                        : Optional.of(new ConnectorAction(ConnectorAction.Kind.UPDATE, name, "SetConnector: the configuration of connector "
                        + name + " on the Connect cluster differs from the state's", changedKeys(now.config(), config)));
                actions.addAll(inOrder(spec.getState(), state(name, spec.getState(), now.state(), recentlyAsked.get(name),
                        "SetConnector: connector " + name + " is asked to be " + spec.getState()), update));
            }
            if (spec.getRestart() != null) {
                String id = spec.getRestart().getCommandId();
                ConnectorStatus folded = state.getStatus().getConnectors().get(name);
                boolean done = restartCarriedOut(name, spec, carriedOut) || (folded != null && id.equals(folded.getRestarted()));
                if (!done && now == null) {
                    restarted.put(name, id); // created now: it starts anew
                } else if (!done && !STOPPED.equals(spec.getState())) {
                    restarted.put(name, id);
                    actions.add(new ConnectorAction(ConnectorAction.Kind.RESTART, name, "RestartConnector " + id
                            + (spec.getRestart().getReason() == null ? "" : ": " + spec.getRestart().getReason()),
                            spec.getRestart().getOnlyFailed() ? "the connector or tasks that FAILED" : "the connector and all its tasks"));
                }
            }
        }
        state.getConnectors().forEach((name, spec) -> offsetReset(name, spec, live.get(name), carriedOut).ifPresent(actions::add));
        for (String name : stopped) {
            LiveConnector now = live.get(name);
            if (now != null && !state.getConnectors().containsKey(name)) {
                state(name, STOPPED, now.state(), recentlyAsked.get(name), "SetMirror: connector " + name + " belongs to a mirror that"
                        + " cannot run now (status.mirrorsNotRunnable says why): stopped, kept for when it can").ifPresent(actions::add);
            }
        }
        for (String name : state.getRetiredConnectors()) {
            if (live.containsKey(name) && !state.getConnectors().containsKey(name)) {
                actions.add(new ConnectorAction(ConnectorAction.Kind.DELETE, name, "DeleteConnector: the state no longer has connector " + name,
                        null));
            }
        }
        Set<String> unmanaged = new TreeSet<>(live.keySet());
        unmanaged.removeAll(state.getConnectors().keySet());
        unmanaged.removeAll(state.getRetiredConnectors());
        unmanaged.removeAll(leftAlone);
        unmanaged.removeAll(stopped);
        return new ConnectorPlan(List.copyOf(actions), Map.copyOf(restarted), List.copyOf(unmanaged));
    }

    /**
     * Whether the connect component's Connect creates a connector in the state asked for (KIP-980: Kafka 3.7, Confluent
     * Platform 7.7, and later): an older one creates it RUNNING, and a connector asked PAUSED or STOPPED runs until the
     * call after pauses or stops it. Decided from the version the state asks for; workers that answer they do not know
     * {@code initial_state} all the same (an image older than that version, an old worker during a roll) have their
     * connectors created the older way by the executor, which says why.
     */
    public static boolean createsInState(ClusterState state) {
        return !PlatformComponent.releasedBefore(state.getSpec().getComponents().get(CONNECT).getVersion(), 7, 7);
    }

    private static ConnectorAction createdInState(String name, ConnectorSpec spec) {
        return new ConnectorAction(ConnectorAction.Kind.CREATE, name, missing(name), what(spec) + "created " + spec.getState()
                + " (POST /connectors with initial_state)", spec.getState());
    }

    /**
     * A missing connector created the only way Connect before Kafka 3.7 knows: RUNNING ({@code PUT /connectors/<name>/config}),
     * then paused or stopped by the next call; it runs in between, which the CREATE's detail says.
     *
     * @param why Connect takes no initial state: its version, or what it answered
     */
    public static List<ConnectorAction> createdRunning(String name, ConnectorSpec spec, String why) {
        List<ConnectorAction> actions = new ArrayList<>();
        actions.add(new ConnectorAction(ConnectorAction.Kind.CREATE, name, missing(name), what(spec) + "created RUNNING (PUT /connectors/"
                + name + "/config: " + why + ")" + (RUNNING.equals(spec.getState()) ? "" : ", then " + spec.getState()
                + ": it runs until then")));
        state(name, spec.getState(), RUNNING, null, "SetConnector: connector " + name + ", just created RUNNING, is asked to be "
                + spec.getState()).ifPresent(actions::add);
        return actions;
    }

    /**
     * A connector Connect had when asked to create it (409: made since the pass looked, by an executor that died before
     * recording it, or by hand): brought to its asked state and given the state's configuration in place of the one it has,
     * in the order of {@link #inOrder}. Each call says so in its reason.
     */
    public static List<ConnectorAction> found(String name, ConnectorSpec spec, LiveConnector now) {
        String there = "SetConnector: connector " + name + " was on the Connect cluster when created (Connect answered 409: made"
                + " since the pass looked, by an executor that did not record it or by hand)";
        Map<String, String> config = config(name, spec);
        Optional<ConnectorAction> update = now.config().equals(config) ? Optional.empty()
                : Optional.of(new ConnectorAction(ConnectorAction.Kind.UPDATE, name, there + ": its configuration replaced by the state's",
                changedKeys(now.config(), config)));
        return inOrder(spec.getState(), state(name, spec.getState(), now.state(), null, there + ": asked to be " + spec.getState()), update);
    }

    /**
     * A state call and a configuration change of one connector, in the order that never runs what nobody asked for: a
     * connector asked PAUSED or STOPPED is held so first (a new configuration would restart its tasks); one asked RUNNING
     * gets its configuration first (resumed first, it would run the configuration it has).
     */
    private static List<ConnectorAction> inOrder(String asked, Optional<ConnectorAction> state, Optional<ConnectorAction> update) {
        List<ConnectorAction> actions = new ArrayList<>();
        (RUNNING.equals(asked) ? update : state).ifPresent(actions::add);
        (RUNNING.equals(asked) ? state : update).ifPresent(actions::add);
        return actions;
    }

    private static String missing(String name) {
        return "SetConnector: connector " + name + " is not on the Connect cluster";
    }

    private static String what(ConnectorSpec spec) {
        return spec.getConnectorClass() + ", " + spec.getTasksMax() + " task(s), ";
    }

    /**
     * A ResetConnectorOffsets not yet carried out, once Connect reports the connector STOPPED (it resets no other's
     * offsets): a connector asked to stop in this plan is reset on the pass after its workers stopped it.
     */
    private static Optional<ConnectorAction> offsetReset(String name, ConnectorSpec spec, LiveConnector now, Set<String> carriedOut) {
        if (!resetPending(spec, carriedOut) || !STOPPED.equals(spec.getState()) || now == null || !STOPPED.equals(now.state())) {
            return Optional.empty();
        }
        String id = spec.getOffsetReset().getCommandId();
        return Optional.of(new ConnectorAction(ConnectorAction.Kind.RESET_OFFSETS, name, "ResetConnectorOffsets " + id
                + (spec.getOffsetReset().getReason() == null ? "" : ": " + spec.getOffsetReset().getReason()),
                "every offset of the stopped connector erased: a source reads from its start, a sink's group from its auto.offset.reset"));
    }

    /**
     * A RestartConnector carried out on this connector: marked so in the state, or by this executor (the folded state may not
     * show it yet).
     */
    public static boolean restartCarriedOut(String connector, ConnectorSpec spec, Set<String> carriedOut) {
        return spec.getRestart() != null && (spec.getRestart().getCarriedOutAt() != null
                || carriedOut.contains(restartKey(connector, spec.getRestart().getCommandId())));
    }

    /**
     * How an executor remembers a restart made on one connector: a RestartMirror restarts each of the mirror's connectors
     * under its one id, and one restarted does not make the other's done (its call may fail and be tried again).
     */
    public static String restartKey(String connector, String commandId) {
        return commandId + " on " + connector;
    }

    /** A ResetConnectorOffsets neither settled in the state nor carried out (or refused for good) by this executor yet. */
    public static boolean resetPending(ConnectorSpec spec, Set<String> carriedOut) {
        return spec.getOffsetReset() != null && spec.getOffsetReset().getSettledAt() == null
                && !carriedOut.contains(spec.getOffsetReset().getCommandId());
    }

    /** What Connect is given: the state's properties with the three that are fields of their own. */
    public static Map<String, String> config(String name, ConnectorSpec spec) {
        Map<String, String> config = new TreeMap<>(spec.getConfig());
        config.put("name", name);
        config.put("connector.class", spec.getConnectorClass());
        config.put("tasks.max", Integer.toString(spec.getTasksMax()));
        return config;
    }

    /** Whether the connector as reported is as the state asks: its configuration, and its state once its workers made it. */
    public static boolean settled(String name, ConnectorSpec spec, LiveConnector now) {
        if (now == null || !now.config().equals(config(name, spec))) {
            return false;
        }
        if (LiveConnector.FAILED.equals(now.state())) {
            return true;
        }
        // a running connector has started once its tasks have: until then Connect reports it RUNNING with none
        return now.state().equals(spec.getState()) && (!RUNNING.equals(spec.getState()) || now.tasks() > 0 || mayRunNoTask(spec));
    }

    /**
     * MirrorMaker's checkpoint connector gives no task while none of its groups has committed offsets on the source
     * (MirrorCheckpointConnector.taskConfigs), and Connect then reports it RUNNING with 0 tasks for as long: waiting for a
     * task would wait the whole settle time for nothing. Running, it is as asked; a task it gets later is in the next report.
     */
    private static boolean mayRunNoTask(ConnectorSpec spec) {
        return MirrorConnectors.CHECKPOINT_CLASS.equals(spec.getConnectorClass());
    }

    private static Optional<ConnectorAction> state(String name, String wanted, String now, String asked, String reason) {
        if (wanted.equals(asked) || wanted.equals(now)) {
            return Optional.empty(); // asked once: a FAILED connector stays FAILED (its tasks pause or stop) until restarted
        }
        ConnectorAction.Kind kind = switch (wanted) {
            case PAUSED -> ConnectorAction.Kind.PAUSE;
            case STOPPED -> ConnectorAction.Kind.STOP;
            default -> PAUSED.equals(now) || STOPPED.equals(now) ? ConnectorAction.Kind.RESUME : null;
        };
        return kind == null ? Optional.empty() : Optional.of(new ConnectorAction(kind, name, reason, now + " → " + wanted));
    }

    /** "set a, b; removed c": the keys only, never a value. */
    private static String changedKeys(Map<String, String> before, Map<String, String> after) {
        List<String> set = after.entrySet().stream().filter(e -> !Objects.equals(before.get(e.getKey()), e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
        List<String> removed = before.keySet().stream().filter(k -> !after.containsKey(k)).sorted().toList();
        StringBuilder s = new StringBuilder();
        if (!set.isEmpty()) {
            s.append("set ").append(String.join(", ", set));
        }
        if (!removed.isEmpty()) {
            s.append(s.isEmpty() ? "" : "; ").append("removed ").append(String.join(", ", removed));
        }
        return s.toString();
    }
}
