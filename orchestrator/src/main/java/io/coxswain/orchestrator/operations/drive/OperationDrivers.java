package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.commands.shape.UserShape;
import io.coxswain.orchestrator.executor.CauseTracker;
import io.coxswain.orchestrator.executor.ObservationSink;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ComponentProfile;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.executor.tls.ClusterAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coxswain's day-2 operations, plugged into the Kubernetes executor's reconcile loop. Each pass:
 *
 * <pre>
 *   find the running operation (log first, own memory for what the fold has not caught up with)
 *   → or start one the world (or a pending request) calls for: ScaleIn, ExpandStorage, RollingUpgrade / Reconfigure /
 *     RollingRestart, ScaleOut, ReplaceClusterCa, Rebalance; all but ExpandStorage only inside the cluster's maintenance windows
 *   → advance it step by step until it waits (or the pass's wait budget is spent),
 *     aligning the users with the state beside it whenever they change
 *   → with no operation running, apply the broker keys Kafka changes live, align the topics and the users with the state
 *   → beside or without an operation: the connectors, and a step of each pending consumer group offset reset
 * </pre>
 *
 * Decisions come from the world (which pods are outdated, where the data is), the log says which
 * operation and which step; so an executor that replaces a killed one resumes where it stood.
 */
public final class OperationDrivers implements ClusterOperations, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperationDrivers.class);

    private final KubernetesClient kube;
    private final OperationRecorder recorder;
    private final DriveSettings settings;
    private final BiFunction<ClusterState, ClusterNames, String> bootstrap;
    private final String namespaceTemplate;
    private final ManagedAdmins admins;
    private final StepClock clock = new StepClock();
    private final RollingRestart roll = new RollingRestart();
    private final ScaleOut scaleOut = new ScaleOut();
    private final ScaleIn scaleIn = new ScaleIn();
    private final VolumeExpansion volumes = new VolumeExpansion();
    private final RequestedRebalance rebalance = new RequestedRebalance();
    private final RequestedCaReplacement caReplacement = new RequestedCaReplacement(roll);
    private final TopicSync topics;
    private final UserSync users;
    private final BrokerConfigSync brokerConfig;
    private final ConnectorSync connectors;
    private final Mirrors mirrors;
    private final OffsetResets offsetResets;
    private final BesideOperation beside;
    private final OperationChoice choice;
    /** Operations recorded RUNNING (or ended) that the folded state may not show yet. */
    private final Map<String, RunningOperation> started = new ConcurrentHashMap<>();
    /** Per cluster, the {@link RunningOperation#attemptKey attempt} this driver ended last: the log may still show it RUNNING. */
    private final Map<String, RunningOperation.Attempt> ended = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param namespaceTemplate the executor's (its model settings'), to find a cluster's pods
     * @param bootstrap where this machine reaches a managed cluster: {@link #publishedBootstrap()} in a cluster,
     *                  the sandbox's local ports in dev and tests
     */
    public OperationDrivers(KubernetesClient kube, ObservationSink sink, DriveSettings settings, String namespaceTemplate,
                            BiFunction<ClusterState, ClusterNames, String> bootstrap, Map<String, Object> adminOverrides) {
        this(kube, sink, settings, namespaceTemplate, bootstrap, adminOverrides, inClusterConnect());
    }

    /** @param connect where this machine reaches a cluster's Connect REST API: {@link #inClusterConnect()} in a cluster */
    public OperationDrivers(KubernetesClient kube, ObservationSink sink, DriveSettings settings, String namespaceTemplate,
                            BiFunction<ClusterState, ClusterNames, String> bootstrap, Map<String, Object> adminOverrides,
                            BiFunction<ClusterState, ClusterNames, String> connect) {
        this.kube = kube;
        this.namespaceTemplate = namespaceTemplate;
        this.recorder = new OperationRecorder(sink);
        this.settings = settings;
        this.bootstrap = bootstrap;
        this.admins = new ManagedAdmins(adminOverrides, settings.verifyBrokerHostnames());
        this.topics = new TopicSync(recorder, settings.throttleBytes(), System::nanoTime);
        this.users = new UserSync(recorder, Clock.systemUTC());
        this.choice = new OperationChoice(kube, recorder, clock, settings, topics, volumes, new MaintenanceGate(Clock.systemUTC(), recorder));
        this.brokerConfig = new BrokerConfigSync(recorder);
        this.mirrors = new Mirrors(kube, recorder, bootstrap, namespaceTemplate, settings.verifyBrokerHostnames());
        this.connectors = new ConnectorSync(recorder, connect, settings.callTimeout(), ConnectorSync.WRITE_TIMEOUT, Clock.systemUTC(),
                mirrors::connectors);
        this.offsetResets = new OffsetResets(recorder, Clock.systemUTC());
        this.beside = new BesideOperation(users, connectors, offsetResets, kube, settings.callTimeout());
    }

    /** The connect component's Service, as pods of the cluster reach it. */
    public static BiFunction<ClusterState, ClusterNames, String> inClusterConnect() {
        return (state, names) -> ComponentProfile.of(PlatformComponent.CONNECT).url(names);
    }

    /** The address the executor published in {@code status.bootstrapServers}. */
    public static BiFunction<ClusterState, ClusterNames, String> publishedBootstrap() {
        return (state, names) -> state.getStatus().getBootstrapServers();
    }

    /**
     * {@inheritDoc} True only once the state's change is weighed whole: the operation it calls for started in this pass (or held
     * for a window), or none called for and live keys, topics and users aligned. An operation that was already running when the
     * pass began may be for an earlier change, and topics and live keys wait for it: false until it ends.
     */
    @Override
    public boolean drive(ReconcilePass pass, ClusterNames names, Optional<ClusterAccess> access) {
        Optional<Admin> admin = admin(pass, names, access);
        if (admin.isEmpty() || pass.state().getStatus().getComponents().isEmpty()) {
            return false; // not created yet: nothing to operate on
        }
        long deadline = System.nanoTime() + settings.waitBudget().toNanos();
        BesideOperation.Pass beside = this.beside.pass(); // users, connectors and offset resets beside a running operation
        boolean startedHere = false;
        while (!closed && System.nanoTime() < deadline) {
            // each step on the newest state, with the intent last known: an abandon or a retry counts at once, and the
            // actions a CreateTopic or a CreateUser folded meanwhile brings about answer that command
            ReconcilePass now = pass.refreshed();
            Optional<RunningOperation> op = running(now);
            if (op.isEmpty()) {
                OperationChoice.Start start = start(now, names, admin.get());
                if (start.op().isEmpty()) {
                    offsetResets.sync(now, admin.get(), settings.callTimeout()); // first: what fails below holds up no reset
                    // dynamic keys wait while an operation runs: a roll brings them anyway, and a broker down cannot take them
                    boolean live = brokerConfig.sync(now.state(), now.cause(), admin.get(), settings.callTimeout());
                    boolean topicsAsAsked = topics.sync(now.state(), now.cause(), admin.get(), settings.callTimeout()); // false: Kafka refuses one
                    users.sync(now.state(), names, now.cause(), kube, admin.get(), access.orElseThrow(), settings.callTimeout());
                    boolean connected = connectors.sync(now.state(), names, now.cause());
                    return start.weighed() && live && topicsAsAsked && connected;
                }
                op = start.op();
                startedHere = true;
            }
            beside.step(op.get(), now, names, admin.get(), access.orElseThrow());
            DriveContext c = new DriveContext(now.state(), names, op.get(), kube, admin.get(), recorder, clock, settings);
            Outcome outcome = advance(c);
            if (outcome == Outcome.ENDED) {
                ended.put(now.clusterId(), op.get().attemptKey());
                started.remove(now.clusterId());
                forgetOperation(op.get().id());
            } else if (outcome == Outcome.WAITING) {
                pause();
            } else if (outcome == Outcome.NEEDS_PASS) {
                return startedHere && nothingRefused(pass); // the reconcile step writes what comes next; this pass's events queued the next
            }
        }
        return startedHere && !closed && nothingRefused(pass); // an operation runs on: the log says so
    }

    /**
     * A topic or a live broker key Kafka refuses is a change not acted on, though a later change starts an operation: it
     * stays so until fixed (or the topic deleted).
     */
    private boolean nothingRefused(ReconcilePass pass) {
        return pass.refreshed().state().getStatus().getTopicRefusals().isEmpty() && !brokerConfig.refusing(pass.clusterId());
    }

    @Override
    public Map<String, ExecutorRefusalObserved> refusals(ClusterState state) {
        return brokerConfig.refusals(state);
    }

    @Override
    public Optional<String> issueIdentities(ReconcilePass pass, ClusterNames names, ClusterAccess access) {
        if (UserShape.authenticatesClients(pass.state().getSpec().getClientAuthentication())) {
            // the components' users: the only Secrets a pod of ours mounts
            users.issueMissing(pass.state(), names, pass.state().getSpec().getComponents().keySet(), pass.cause(), kube, access);
        }
        if (pass.state().getSpec().getComponents().containsKey(PlatformComponent.CONNECT.componentName())) {
            // before the connect pods that mount it are built
            return Optional.ofNullable(mirrors.writeSecret(pass.state(), names, pass.cause()));
        }
        return Optional.empty();
    }

    @Override
    public void seeClusters(java.util.function.Function<String, Optional<ClusterState>> states) {
        mirrors.see(states);
    }

    private Outcome advance(DriveContext c) {
        return switch (c.op().type()) {
            case RunningOperation.ROLLING_UPGRADE, RunningOperation.RECONFIGURE, RunningOperation.ROLLING_RESTART -> roll.step(c);
            case RunningOperation.SCALE_OUT -> scaleOut.step(c);
            case RunningOperation.SCALE_IN -> scaleIn.step(c);
            case RunningOperation.EXPAND_STORAGE -> volumes.step(c);
            case RunningOperation.REBALANCE -> rebalance.step(c);
            case RunningOperation.REPLACE_CA -> caReplacement.step(c);
            default -> {
                log.warn("cluster {}: operation {} of unknown type {}; left alone", c.clusterId(), c.op().id(), c.op().type());
                yield Outcome.WAITING;
            }
        };
    }

    /**
     * The operation the log shows RUNNING (a retried one too: a new attempt), else the one this
     * driver recorded and the fold has not shown yet, unless the log shows that one ended (abandoned).
     */
    private Optional<RunningOperation> running(ReconcilePass pass) {
        OperationStatus op = pass.state().getStatus().getOperation();
        if (op != null && "RUNNING".equals(op.getState()) && !RunningOperation.Attempt.of(op).equals(ended.get(pass.clusterId()))) {
            return Optional.of(RunningOperation.of(pass.clusterId(), op));
        }
        RunningOperation mine = started.get(pass.clusterId());
        if (mine != null && op != null && op.getOperationId().equals(mine.id()) && !"RUNNING".equals(op.getState())) {
            log.info("cluster {}: operation {} is {} in the log; not continued", pass.clusterId(), mine.id(), op.getState());
            started.remove(pass.clusterId());
            forgetOperation(mine.id());
            return Optional.empty();
        }
        return Optional.ofNullable(mine);
    }

    /** Starts the operation the world calls for ({@link OperationChoice}), if any: recorded RUNNING before any step. */
    private OperationChoice.Start start(ReconcilePass pass, ClusterNames names, Admin admin) {
        OperationChoice.Start start = choice.choose(pass, names, admin, ended.get(pass.clusterId()));
        start.op().ifPresent(op -> {
            recorder.operation(op, OperationState.RUNNING, start.description());
            started.put(pass.clusterId(), op);
            ended.remove(pass.clusterId());
        });
        return start;
    }

    @Override
    public int brokersAllowed(ReconcilePass pass, int running, Optional<ClusterAccess> access) {
        ClusterNames names = ClusterNames.of(pass.clusterId(), namespaceTemplate);
        if (!OperationChoice.brokerPodsBeyondSpec(kube, pass.state(), names)) {
            // the folded count lags a finished scale-in: no pod beyond the spec is left to keep, so growing back would re-create drained brokers
            return pass.state().getSpec().getBrokers();
        }
        Optional<RunningOperation> op = running(pass);
        if (op.isEmpty() || !RunningOperation.SCALE_IN.equals(op.get().type())) {
            return running;
        }
        Optional<Admin> admin = admin(pass, names, access);
        if (admin.isEmpty()) {
            return running;
        }
        return scaleIn.brokersAllowed(new DriveContext(pass.state(), names, op.get(), kube, admin.get(), recorder, clock, settings), running);
    }

    /** The clusters an Admin client is kept open for: those driven since start and not forgotten. */
    java.util.Set<String> adminsKept() {
        return admins.clusters();
    }

    /** The cluster's Admin client, once it has an address and the executor has made its CA. */
    private Optional<Admin> admin(ReconcilePass pass, ClusterNames names, Optional<ClusterAccess> access) {
        String address = bootstrap.apply(pass.state(), names);
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        return admins.of(pass.clusterId(), address, access);
    }

    /**
     * {@inheritDoc} The operation this driver started or ended there (a cluster deleted mid-operation and created again
     * under its id, or handed back after another executor ran it, must be driven from its log, never resumed from here),
     * what the steps beside the operations remember of it (connectors, topics, offset resets), and its Admin client,
     * closed: it keeps no connections or threads here (a later pass makes a new client).
     */
    @Override
    public void forget(String clusterId) {
        RunningOperation mine = started.remove(clusterId);
        if (mine != null) {
            forgetOperation(mine.id());
        }
        ended.remove(clusterId);
        connectors.forget(clusterId);
        brokerConfig.forget(clusterId);
        topics.forget(clusterId);
        offsetResets.forget(clusterId);
        users.forget(clusterId);
        admins.forget(clusterId);
    }

    private void forgetOperation(String operationId) {
        roll.forget(operationId);
        scaleOut.forget(operationId);
        scaleIn.forget(operationId);
        volumes.forget(operationId);
        rebalance.forget(operationId);
        caReplacement.forget(operationId);
        clock.clear(operationId);
    }

    /** Between two looks at a world that has not moved yet: a poll interval, not synchronisation. */
    private void pause() {
        try {
            Thread.sleep(settings.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        admins.close();
    }
}
