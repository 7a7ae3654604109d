package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ConnectorObservation;
import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.avro.state.ConnectorStatus;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.operations.connect.ConnectRest;
import io.coxswain.orchestrator.operations.connect.ConnectRestException;
import io.coxswain.orchestrator.operations.connect.ConnectorAction;
import io.coxswain.orchestrator.operations.connect.ConnectorPlan;
import io.coxswain.orchestrator.operations.connect.LiveConnector;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors of the state applied through the Connect REST API of the cluster's connect
 * component, level-triggered (observe → {@link ConnectorPlan decide} → act, each action recorded
 * before it is made), then what Connect reports recorded when it changed ({@code ConnectorsObserved}).
 * Connect is asked only once a pod of the component is ready; when it does not answer, the reason is
 * recorded once and the next pass (an event, the resync) asks again.
 */
final class ConnectorSync {

    private static final Logger log = LoggerFactory.getLogger(ConnectorSync.class);
    private static final String CONNECT = PlatformComponent.CONNECT.componentName();
    /** The reported state of a connector whose configuration Connect refused and which does not run at all. */
    static final String REFUSED = "REFUSED";
    /** A state asked for and not yet reported is asked again after this: Connect may have lost the request in a rebalance. */
    private static final Duration ASK_AGAIN = Duration.ofMinutes(1);
    /** How long a pass waits for Connect to report what it was asked; the resync sees the rest. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private record Asked(String state, Instant at) {
    }

    /** A configuration Connect refused (400), and what it said. */
    private record Refusal(Map<String, String> config, String message) {
    }

    private final OperationRecorder recorder;
    private final BiFunction<ClusterState, ClusterNames, String> url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Map<String, Asked>> asked = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> restartsDone = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Refusal>> refused = new ConcurrentHashMap<>();
    /** The observation this executor recorded last per cluster: the folded state may not show it yet, and it is not recorded twice. */
    private final Map<String, ConnectorsObserved> reported = new ConcurrentHashMap<>();

    /** @param url where this machine reaches a cluster's Connect REST API */
    ConnectorSync(OperationRecorder recorder, BiFunction<ClusterState, ClusterNames, String> url, Duration timeout, Clock clock) {
        this.recorder = recorder;
        this.url = url;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** @return whether Connect runs what the state names (true when the state names nothing for it to run or remove) */
    boolean sync(ClusterState state, ClusterNames names, String cause) {
        String cluster = state.getClusterId();
        if (!state.getSpec().getComponents().containsKey(CONNECT)) {
            return true; // no Connect cluster: no connector to run (the fold refuses one without it) or to remove
        }
        boolean work = !state.getConnectors().isEmpty() || !state.getRetiredConnectors().isEmpty();
        ComponentStatus connect = state.getStatus().getComponents().get(CONNECT);
        if (connect == null || connect.getReady() < 1) {
            return !work; // no worker to ask yet: its pods' readiness brings the next pass
        }
        ConnectRest rest = new ConnectRest(http, url.apply(state, names), timeout);
        Map<String, LiveConnector> live;
        try {
            live = rest.connectors();
        } catch (ConnectRestException e) {
            log.warn("cluster {}: {}; its connectors stay as they are until Connect answers (asked again at the next pass, cause {})",
                    cluster, e.getMessage(), cause);
            report(state, new ConnectorsObserved(Map.of(), List.of(), e.getMessage()));
            return !work;
        }
        ConnectorPlan plan = plan(state, live);
        Set<String> refusedNow = refusedNow(state);
        try {
            Set<String> skip = new HashSet<>(refusedNow);
            for (ConnectorAction action : plan.actions()) {
                if (!skip.contains(action.name()) && !act(state, rest, action, cause)) {
                    skip.add(action.name());
                    refusedNow.add(action.name());
                }
            }
            restartsDone.computeIfAbsent(cluster, k -> ConcurrentHashMap.newKeySet()).addAll(plan.restarted().values());
            if (!plan.actions().isEmpty()) {
                live = settle(state, rest, plan.restarted().keySet(), refusedNow);
            }
        } catch (ConnectRestException e) {
            // Connect answered the list but refused a change (a rebalance under way, a class its workers lack): the next pass asks again
            log.warn("cluster {}: {}; the connectors' remaining changes wait for the next pass (cause {})", cluster, e.getMessage(), cause);
            return false;
        }
        ConnectorPlan after = plan(state, live);
        report(state, observation(state, live, after.unmanaged()));
        return refusedNow.isEmpty() && after.actions().isEmpty();
    }

    /**
     * The connectors whose configuration Connect refused as the state has it now: not sent again (the answer would be
     * the same, and each try would add an action to the log) until a SetConnector changes it.
     */
    private Set<String> refusedNow(ClusterState state) {
        Map<String, Refusal> mine = refused.getOrDefault(state.getClusterId(), Map.of());
        Set<String> now = new HashSet<>();
        mine.forEach((name, r) -> {
            ConnectorSpec spec = state.getConnectors().get(name);
            if (spec != null && ConnectorPlan.config(name, spec).equals(r.config())) {
                now.add(name);
            }
        });
        mine.keySet().retainAll(now);
        return now;
    }

    private ConnectorPlan plan(ClusterState state, Map<String, LiveConnector> live) {
        Instant now = clock.instant();
        Map<String, String> recent = new HashMap<>();
        asked.getOrDefault(state.getClusterId(), Map.of()).forEach((name, a) -> {
            if (a.at().plus(ASK_AGAIN).isAfter(now)) {
                recent.put(name, a.state());
            }
        });
        return ConnectorPlan.of(state, live, recent, restartsDone.getOrDefault(state.getClusterId(), Set.of()));
    }

    /** @return false when Connect refused the connector's configuration (remembered, see {@link #refusedNow}) */
    private boolean act(ClusterState state, ConnectRest rest, ConnectorAction action, String cause) {
        String cluster = state.getClusterId();
        recorder.clusterAction(cluster, action.kind().recorded(), ConnectorAction.RESOURCE_KIND, null, action.name(), action.reason(),
                cause, action.detail());
        ConnectorSpec spec = state.getConnectors().get(action.name());
        Map<String, String> config = spec == null ? Map.of() : ConnectorPlan.config(action.name(), spec);
        try {
            action.apply(rest, config, spec != null && spec.getRestart() != null && spec.getRestart().getOnlyFailed());
        } catch (ConnectRestException e) {
            boolean configuration = action.kind() == ConnectorAction.Kind.CREATE || action.kind() == ConnectorAction.Kind.UPDATE;
            if (!configuration || !e.refused()) {
                throw e;
            }
            log.warn("cluster {}: connector {}: {}; it is not sent again until a SetConnector changes it (cause {})", cluster,
                    action.name(), e.getMessage(), cause);
            refused.computeIfAbsent(cluster, k -> new ConcurrentHashMap<>()).put(action.name(), new Refusal(config, e.getMessage()));
            return false;
        }
        switch (action.kind()) {
            case PAUSE, STOP, RESUME -> asked.computeIfAbsent(cluster, k -> new ConcurrentHashMap<>())
                    .put(action.name(), new Asked(spec.getState(), clock.instant()));
            case DELETE -> asked.getOrDefault(cluster, new HashMap<>()).remove(action.name());
            default -> {
            }
        }
        return true;
    }

    /**
     * Polls Connect until it reports every connector as asked (or failed: a failure is what it reports, except
     * of one just restarted, whose failure is the one before the restart), at most {@link #SETTLE}; a connector
     * whose configuration it refused is not waited for.
     */
    private Map<String, LiveConnector> settle(ClusterState state, ConnectRest rest, Set<String> restarted, Set<String> refused) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            Map<String, LiveConnector> live = rest.connectors();
            boolean settled = state.getConnectors().entrySet().stream().filter(e -> !refused.contains(e.getKey()))
                    .allMatch(e -> ConnectorPlan.settled(e.getKey(), e.getValue(), live.get(e.getKey()))
                            && !(restarted.contains(e.getKey()) && live.get(e.getKey()).failedTasks() > 0))
                    && state.getRetiredConnectors().stream().noneMatch(live::containsKey);
            if (settled || System.nanoTime() > deadline) {
                return live;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return live;
            }
        }
    }

    private ConnectorsObserved observation(ClusterState state, Map<String, LiveConnector> live, List<String> unmanaged) {
        Map<String, ConnectorObservation> connectors = new TreeMap<>();
        Set<String> done = restartsDone.getOrDefault(state.getClusterId(), Set.of());
        Map<String, Refusal> refusals = refused.getOrDefault(state.getClusterId(), Map.of());
        state.getConnectors().forEach((name, spec) -> {
            LiveConnector now = live.get(name);
            Refusal refusal = refusals.get(name);
            ConnectorStatus folded = state.getStatus().getConnectors().get(name);
            String restarted = spec.getRestart() != null && done.contains(spec.getRestart().getCommandId())
                    ? spec.getRestart().getCommandId() : folded == null ? null : folded.getRestarted();
            if (refusal != null) {
                // what runs (if anything) is an older configuration; the error says why the state's is not running
                connectors.put(name, new ConnectorObservation(now == null ? REFUSED : now.state(), now == null ? 0 : now.tasks(),
                        now == null ? 0 : now.failedTasks(), "configuration refused: " + refusal.message(), restarted));
            } else if (now != null) {
                connectors.put(name, new ConnectorObservation(now.state(), now.tasks(), now.failedTasks(), now.error(), restarted));
            }
        });
        return new ConnectorsObserved(connectors, unmanaged, null);
    }

    /** Recorded when it differs from what this executor recorded last and from what the state shows. */
    private void report(ClusterState state, ConnectorsObserved o) {
        String cluster = state.getClusterId();
        if (o.equals(reported.get(cluster))) {
            return;
        }
        reported.put(cluster, o);
        if (!foldedAs(state, o)) {
            recorder.connectors(cluster, o);
        }
    }

    /** "orders RUNNING 2 task(s), jdbc RUNNING 1 task(s) 1 FAILED (task 0: ...)". */
    static String describe(Map<String, ConnectorObservation> connectors) {
        if (connectors.isEmpty()) {
            return "none running";
        }
        return connectors.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().getState() + " " + e.getValue().getTasks() + " task(s)"
                + (e.getValue().getFailedTasks() == 0 ? "" : " " + e.getValue().getFailedTasks() + " FAILED")
                + (e.getValue().getError() == null ? "" : " (" + e.getValue().getError() + ")"))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static boolean foldedAs(ClusterState state, ConnectorsObserved o) {
        if (!Objects.equals(state.getStatus().getConnectUnreachable(), o.getUnreachable())) {
            return false;
        }
        if (o.getUnreachable() != null) {
            return true; // the connectors stay as last observed
        }
        Map<String, ConnectorStatus> folded = state.getStatus().getConnectors();
        if (!folded.keySet().equals(o.getConnectors().keySet()) || !new HashSet<>(state.getStatus().getUnmanagedConnectors()).equals(new HashSet<>(o.getUnmanaged()))) {
            return false;
        }
        return o.getConnectors().entrySet().stream().allMatch(e -> {
            ConnectorStatus f = folded.get(e.getKey());
            ConnectorObservation c = e.getValue();
            return f.getState().equals(c.getState()) && f.getTasks() == c.getTasks() && f.getFailedTasks() == c.getFailedTasks()
                    && Objects.equals(f.getError(), c.getError()) && Objects.equals(f.getRestarted(), c.getRestarted());
        });
    }
}
