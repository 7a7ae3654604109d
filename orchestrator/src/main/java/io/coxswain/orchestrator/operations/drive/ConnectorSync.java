package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ConnectorObservation;
import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.avro.state.ConnectorStatus;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.operations.connect.ConnectRest;
import io.coxswain.orchestrator.operations.connect.ConnectRestException;
import io.coxswain.orchestrator.operations.connect.ConnectorAction;
import io.coxswain.orchestrator.operations.connect.ConnectorPlan;
import io.coxswain.orchestrator.operations.connect.LiveConnector;
import io.coxswain.orchestrator.operations.connect.MirrorConnectors;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors of the state applied through the Connect REST API of the cluster's connect
 * component, level-triggered: observe (list them with their status) → {@link ConnectorPlan decide} →
 * act ({@link ConnectorCalls}: each call recorded before it is made), then what Connect reports recorded when it changed
 * ({@code ConnectorsObserved}). What must not be repeated at every pass (a state asked for, a restart
 * made, a configuration Connect refused, a call that failed) is kept in a {@link ConnectorLedger} per
 * cluster. When no connect pod is ready, or Connect does not answer, the reason is recorded once.
 */
final class ConnectorSync {

    private static final Logger log = LoggerFactory.getLogger(ConnectorSync.class);
    private static final String CONNECT = PlatformComponent.CONNECT.componentName();
    /** The reported state of a connector whose configuration Connect refused and which does not run at all. */
    static final String REFUSED = "REFUSED";
    /** How long a pass waits for Connect to report what it was asked; the resync sees the rest. */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    /**
     * How long a change waits for Connect's answer: longer than Connect's own REST request time-out (90 s, not
     * configurable), with a margin for the forward to its leader. Connect carries on with a change whose request timed
     * out, so an executor giving up first would count a change Connect then makes as failed; waiting longer, Connect
     * answers first (a 500 "Request timed out" at worst), and either way the next pass reads what Connect has before it
     * asks anything again.
     */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(90 + 30);

    private final OperationRecorder recorder;
    private final BiFunction<ClusterState, ClusterNames, String> url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration timeout;
    private final Duration writeTimeout;
    private final Clock clock;
    private final Map<String, ConnectorLedger> ledgers = new ConcurrentHashMap<>();
    private final ConnectorCalls calls;
    private final MirrorSource mirrors;

    /** The connectors of a cluster's mirrors, with why each mirror that runs none does not. */
    @FunctionalInterface
    interface MirrorSource {
        MirrorConnectors connectors(ClusterState state, ClusterNames names, String cause);
    }

    /** @param url where this machine reaches a cluster's Connect REST API */
    ConnectorSync(OperationRecorder recorder, BiFunction<ClusterState, ClusterNames, String> url, Duration timeout, Clock clock) {
        this(recorder, url, timeout, WRITE_TIMEOUT, clock);
    }

    /** @param writeTimeout of a change: {@link #WRITE_TIMEOUT} but in a test of a change Connect makes after it */
    ConnectorSync(OperationRecorder recorder, BiFunction<ClusterState, ClusterNames, String> url, Duration timeout,
                  Duration writeTimeout, Clock clock) {
        this(recorder, url, timeout, writeTimeout, clock, (state, names, cause) -> MirrorConnectors.of(state, names, null,
                id -> Optional.empty(), true));
    }

    /** @param mirrors the connectors a cluster's mirrors run as ({@link Mirrors#connectors}) */
    ConnectorSync(OperationRecorder recorder, BiFunction<ClusterState, ClusterNames, String> url, Duration timeout,
                  Duration writeTimeout, Clock clock, MirrorSource mirrors) {
        this.mirrors = mirrors;
        this.recorder = recorder;
        this.url = url;
        this.timeout = timeout;
        this.writeTimeout = writeTimeout;
        this.clock = clock;
        this.calls = new ConnectorCalls(recorder, clock);
    }

    /**
     * Forgets the cluster: deleted, or handed over to another executor. What this ledger held is in the log by then (each
     * pass records its report before it ends), and an executor that gets the cluster back starts from it, as a new owner does.
     */
    void forget(String clusterId) {
        ledgers.remove(clusterId);
    }

    /** The cluster's ledger, made empty the first time. */
    ConnectorLedger ledger(String clusterId) {
        return ledgers.computeIfAbsent(clusterId, k -> new ConnectorLedger());
    }

    /** The clusters this executor keeps a ledger of. */
    Set<String> remembered() {
        return Set.copyOf(ledgers.keySet());
    }

    /** @return whether Connect was asked for everything the state names (true when it names nothing to run or remove) */
    boolean sync(ClusterState asked, ClusterNames names, String cause) {
        String cluster = asked.getClusterId();
        if (!asked.getSpec().getComponents().containsKey(CONNECT)) {
            return true; // no Connect cluster: no connector to run (the fold refuses one without it) or to remove
        }
        // a mirror's connectors are driven as the state's own are, each action recorded for its SetMirror
        MirrorConnectors mirrored = mirrors.connectors(asked, names, cause);
        ClusterState state = mirrored.merged(asked);
        Map<String, String> notRunnable = mirrored.notRunnable();
        ConnectorLedger ledger = ledger(cluster);
        // a mirror that runs nothing is work too: why is reported, and the pass is not done
        boolean work = !state.getConnectors().isEmpty() || !state.getRetiredConnectors().isEmpty() || !notRunnable.isEmpty();
        ComponentStatus pods = state.getStatus().getComponents().get(CONNECT);
        if (pods == null || pods.getReady() < 1) {
            if (work && pods != null) { // said once: what runs on the connectors' workers is unknown while none is up
                report(state, ledger, new ConnectorsObserved(Map.of(), List.of(), "no connect pod is ready (0 of " + pods.getDesired() + ")", notRunnable));
            }
            return !work; // the pods' readiness brings the next pass
        }
        ConnectRest rest = new ConnectRest(http, url.apply(state, names), timeout, writeTimeout);
        Map<String, LiveConnector> live;
        try {
            live = rest.connectors();
        } catch (ConnectRestException e) {
            log.warn("cluster {}: {}; its connectors stay as they are until Connect answers (asked again at the next pass, cause {})",
                    cluster, e.getMessage(), cause);
            report(state, ledger, new ConnectorsObserved(Map.of(), List.of(), e.getMessage(), notRunnable));
            return !work;
        }
        live.forEach((name, now) -> ledger.reported(name, now.state()));
        List<Object> running = ConnectorLedger.workers(state, CONNECT);
        Map<String, String> refused = ledger.refusedNow(state, running);
        ConnectorPlan plan = ConnectorPlan.of(state, live, ledger.asked(), ledger.carriedOut(), mirrored.leftAlone(),
                mirrored.stopped());
        ledger.prune(state, plan.actions());
        ConnectorCalls.Pass pass = new ConnectorCalls.Pass(state, ledger, rest, running, cause, mirrored.causes());
        // connectors not (all) acted on in this pass: those refused, then each whose call is held back or fails
        Set<String> held = new HashSet<>(refused.keySet());
        boolean acted = false;
        boolean answering = true;
        for (ConnectorAction action : plan.actions()) {
            if (!answering || held.contains(action.name()) || ledger.backingOff(action, ConnectorLedger.sent(state, action), clock.instant())) {
                held.add(action.name());
                continue;
            }
            ConnectorCalls.Outcome outcome = calls.act(pass, action);
            if (outcome == ConnectorCalls.Outcome.DONE) {
                plan.offsetReset(state, action).ifPresent(ledger::carriedOut);
                acted = true;
            } else {
                held.add(action.name());
                answering = outcome != ConnectorCalls.Outcome.NO_ANSWER; // a Connect that does not answer is not asked the rest: each wait is long
            }
        }
        // a reset not yet made holds its connector: the pass that stops it cannot make it, and the change is not acted on before
        state.getConnectors().forEach((name, spec) -> {
            if (ConnectorPlan.resetPending(spec, ledger.carriedOut())) {
                held.add(name);
            }
        });
        if (acted) {
            live = settle(state, rest, plan.restarted().keySet(), held, live);
        }
        refused = ledger.refusedNow(state, running);
        Set<String> idle = new HashSet<>(mirrored.leftAlone());
        idle.addAll(mirrored.stopped());
        report(state, ledger, observation(pass, live, refused, plan.unmanaged(), notRunnable, idle));
        return held.isEmpty(); // a refusal made in this pass holds its connector too
    }

    /**
     * Polls Connect until it reports every connector acted on as asked (or failed: a failure is what it reports, except of
     * one just restarted, whose failure is the one before the restart), at most {@link #SETTLE}; the rest is seen at the resync.
     */
    private Map<String, LiveConnector> settle(ClusterState state, ConnectRest rest, Set<String> restarted, Set<String> held,
                                              Map<String, LiveConnector> before) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Map<String, LiveConnector> live = before;
        while (true) {
            try {
                live = rest.connectors();
            } catch (ConnectRestException e) {
                return live; // what it reported last; the next pass asks again
            }
            Map<String, LiveConnector> now = live;
            boolean settled = state.getConnectors().entrySet().stream().filter(e -> !held.contains(e.getKey()))
                    .allMatch(e -> ConnectorPlan.settled(e.getKey(), e.getValue(), now.get(e.getKey()))
                            && !(restarted.contains(e.getKey()) && now.get(e.getKey()).failedTasks() > 0))
                    && state.getRetiredConnectors().stream().filter(n -> !held.contains(n)).noneMatch(now::containsKey);
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

    private ConnectorsObserved observation(ConnectorCalls.Pass pass, Map<String, LiveConnector> live, Map<String, String> refused,
                                           List<String> unmanaged, Map<String, String> notRunnable, Set<String> idle) {
        ClusterState state = pass.state();
        ConnectorLedger ledger = pass.ledger();
        Map<String, ConnectorObservation> connectors = new TreeMap<>();
        Set<String> done = ledger.carriedOut();
        state.getConnectors().forEach((name, spec) -> {
            LiveConnector now = live.get(name);
            ConnectorStatus folded = state.getStatus().getConnectors().get(name);
            String restarted = ConnectorPlan.restartCarriedOut(name, spec, done) ? spec.getRestart().getCommandId()
                    : folded == null ? null : folded.getRestarted();
            String offsetsReset = spec.getOffsetReset() != null && !ConnectorPlan.resetPending(spec, done) ? spec.getOffsetReset().getCommandId()
                    : folded == null ? null : folded.getOffsetsReset();
            String resetRefused = offsetsReset == null ? null : ledger.resetRefusal(offsetsReset)
                    .orElse(folded != null && offsetsReset.equals(folded.getOffsetsReset()) ? folded.getOffsetsResetRefused() : null);
            if (refused.containsKey(name)) {
                // what runs (if anything) is an older configuration; the error says why the state's is not running
                connectors.put(name, new ConnectorObservation(now == null ? REFUSED : now.state(), now == null ? 0 : now.tasks(),
                        now == null ? 0 : now.failedTasks(), "configuration refused: " + refused.get(name), restarted, offsetsReset,
                        resetRefused));
            } else if (now != null) {
                connectors.put(name, new ConnectorObservation(now.state(), now.tasks(), now.failedTasks(), error(pass, name, now, restarted),
                        restarted, offsetsReset, resetRefused));
            }
        });
        // a mirror's that waits or cannot run: what Connect reports of it still, though the state does not ask for it now
        idle.stream().filter(name -> live.containsKey(name) && !connectors.containsKey(name)).forEach(name -> {
            LiveConnector now = live.get(name);
            connectors.put(name, new ConnectorObservation(now.state(), now.tasks(), now.failedTasks(), now.error(), null, null, null));
        });
        return new ConnectorsObserved(connectors, unmanaged, null, notRunnable);
    }

    /**
     * What Connect reports of the connector's error, then what the operator must know that Connect does not say: a restart
     * that timed out (it may not have been made), a connector created the older way because these workers take no initial state.
     */
    private static String error(ConnectorCalls.Pass pass, String name, LiveConnector now, String restarted) {
        List<String> said = new ArrayList<>();
        if (now.error() != null) {
            said.add(now.error());
        }
        if (restarted != null) {
            pass.ledger().restartTimedOut(name, restarted).ifPresent(said::add);
        }
        if (pass.ledger().createdRunning(name, pass.workers())) {
            said.add("created the older way: this Connect does not create connectors in a state (KIP-980: Kafka Connect 3.7, Confluent"
                    + " Platform 7.7), though SetComponent connect names Confluent Platform "
                    + pass.state().getSpec().getComponents().get(CONNECT).getVersion() + "; set that version to the release its image is built"
                    + " on (connectors asked PAUSED or STOPPED are not created until then)");
        }
        return said.isEmpty() ? null : String.join("; ", said);
    }

    /** Recorded unless the state shows it already, or this executor recorded it while the state showed what it shows now. */
    private void report(ClusterState state, ConnectorLedger ledger, ConnectorsObserved o) {
        if (foldedAs(state, o) || ledger.pending(o, state)) {
            return;
        }
        recorder.connectors(state.getClusterId(), o);
        ledger.recorded(o, state);
    }

    /** "orders RUNNING 2 task(s), jdbc RUNNING 1 task(s) 1 FAILED (task 0: ...)". */
    static String describe(Map<String, ConnectorObservation> connectors) {
        if (connectors.isEmpty()) {
            return "none running";
        }
        return connectors.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().getState() + " " + e.getValue().getTasks() + " task(s)"
                + (e.getValue().getFailedTasks() == 0 ? "" : " " + e.getValue().getFailedTasks() + " FAILED")
                + (e.getValue().getError() == null ? "" : " (" + e.getValue().getError() + ")"))
                .collect(Collectors.joining(", "));
    }

    private static boolean foldedAs(ClusterState state, ConnectorsObserved o) {
        if (!Objects.equals(state.getStatus().getConnectUnreachable(), o.getUnreachable())
                || !state.getStatus().getMirrorsNotRunnable().equals(o.getMirrorsNotRunnable())) {
            return false;
        }
        if (o.getUnreachable() != null) {
            return true; // the connectors stay as last observed
        }
        Map<String, ConnectorStatus> folded = state.getStatus().getConnectors();
        if (!folded.keySet().equals(o.getConnectors().keySet())
                || !new HashSet<>(state.getStatus().getUnmanagedConnectors()).equals(new HashSet<>(o.getUnmanaged()))) {
            return false;
        }
        return o.getConnectors().entrySet().stream().allMatch(e -> {
            ConnectorStatus f = folded.get(e.getKey());
            ConnectorObservation c = e.getValue();
            return f.getState().equals(c.getState()) && f.getTasks() == c.getTasks() && f.getFailedTasks() == c.getFailedTasks()
                    && Objects.equals(f.getError(), c.getError()) && Objects.equals(f.getRestarted(), c.getRestarted())
                    && Objects.equals(f.getOffsetsReset(), c.getOffsetsReset())
                    && Objects.equals(f.getOffsetsResetRefused(), c.getOffsetsResetRefused());
        });
    }
}
