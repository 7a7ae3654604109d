package io.coxswain.orchestrator.operations.drive;

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
    private final MaintenanceGate maintenance;
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
        this.maintenance = new MaintenanceGate(Clock.systemUTC(), recorder);
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
                Start start = start(now, names, admin.get());
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
    public void issueIdentities(ReconcilePass pass, ClusterNames names, ClusterAccess access) {
        if (UserShape.authenticatesClients(pass.state().getSpec().getClientAuthentication())) {
            // the components' users: the only Secrets a pod of ours mounts
            users.issueMissing(pass.state(), names, pass.state().getSpec().getComponents().keySet(), pass.cause(), kube, access);
        }
        if (pass.state().getSpec().getComponents().containsKey(PlatformComponent.CONNECT.componentName())) {
            mirrors.writeSecret(pass.state(), names, pass.cause()); // before the connect pods that mount it are built
        }
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

    /**
     * What a pass's look at the world started: the operation, if any, and whether every operation was weighed (false while
     * a pod is missing or not Ready: whether data must move to new brokers is not known until they all are).
     */
    private record Start(Optional<RunningOperation> op, boolean weighed) {
        static final Start NONE = new Start(Optional.empty(), true);
    }

    /** Starts the operation the world calls for, if any; never again one that failed for the same cause. */
    private Start start(ReconcilePass pass, ClusterNames names, Admin admin) {
        ClusterState state = pass.state();
        OperationStatus last = state.getStatus().getOperation();
        boolean lastUnfinished = last != null && !"SUCCEEDED".equals(last.getState());
        if (lastUnfinished && (CauseTracker.isObservation(pass.cause()) || pass.cause().equals(last.getCauseCommandId())
                || pass.cause().equals(last.getControlledBy()))) {
            // a failed or abandoned operation waits for a person (RetryOperation, or a new command) instead of starting again and again
            return Start.NONE;
        }
        DriveContext probe = new DriveContext(state, names, null, kube, admin, recorder, clock, settings);
        String type = null;
        ClusterPods pods = probe.pods();
        if (state.getSpec().getBrokers() < ScaleIn.running(probe) && brokerPodsBeyondSpec(state, names)) {
            // a factor lowered to make the scale-in fit is applied first, though topics otherwise wait for operations to end
            topics.dropExtraReplicas(state, pass.cause(), admin, settings.callTimeout());
            type = RunningOperation.SCALE_IN;
        } else if (volumes.needed(probe)) {
            // before a roll: it restarts no pod and is over in minutes, and the rolled pods find their volumes grown
            type = RunningOperation.EXPAND_STORAGE;
        } else if (pods.anyOutdated()) {
            // a new sizing is a change of the pods' configuration too: the same roll, its steps naming what changed
            type = pods.anyImageChanged() ? RunningOperation.ROLLING_UPGRADE
                    : pods.anyConfigChanged() || pods.firstResourcesChange().isPresent() ? RunningOperation.RECONFIGURE
                    : RunningOperation.ROLLING_RESTART;
        } else if (pods.firstUnavailable().isEmpty() && ScaleOut.needed(probe)) {
            type = RunningOperation.SCALE_OUT;
        } else if (requestPending(state, RunningOperation.REPLACE_CA, ended.get(pass.clusterId()))) {
            // before a rebalance: a key that may be compromised is the more urgent
            type = RunningOperation.REPLACE_CA;
        } else if (requestPending(state, RunningOperation.REBALANCE, ended.get(pass.clusterId()))) {
            // last: an operation above may move the same data, and a rebalance after it finds less to move
            type = RunningOperation.REBALANCE;
        }
        if (type == null) {
            maintenance.nothingWaits(state, pods);
            return new Start(Optional.empty(), pods.firstUnavailable().isEmpty());
        }
        // a rebalance or a CA replacement answers the command that asked for it, and an operation held back for a window the
        // command that called for it, whatever command brought this pass (the SetMaintenanceWindows that opened the way, say)
        String cause = causeOf(state, type, pass.cause());
        if (!maintenance.mayStart(state, type, cause)) {
            return Start.NONE; // recorded in status.deferred; topics and users are kept in line meanwhile
        }
        RunningOperation op = RunningOperation.start(pass.clusterId(), type, cause);
        RunningOperation.Attempt endedLast = ended.get(pass.clusterId());
        boolean idTaken = last != null && last.getOperationId().equals(op.id()) || endedLast != null && endedLast.operationId().equals(op.id());
        if (idTaken) {
            // a new operation, never mistaken by the fold for the ended one of that id (nor for its retries)
            op = RunningOperation.startAgain(pass.clusterId(), type, cause, state.getVersion());
        }
        recorder.operation(op, OperationState.RUNNING, describe(type, state, pods));
        started.put(pass.clusterId(), op);
        ended.remove(pass.clusterId());
        return new Start(Optional.of(op), true);
    }

    /**
     * A rebalance or a CA replacement ({@code type}) is asked for and not done: the log settles the
     * request when its operation ends, but this driver may end it before the fold shows that, so the
     * one it ended last does not count. An operation of this request that FAILED waits for a person
     * (RetryOperation, or a new request): unlike a roll, whose outdated pods are the change itself,
     * nothing about an unrelated later command says the data should move, or the CA change, now.
     */
    static boolean requestPending(ClusterState state, String type, RunningOperation.Attempt endedLast) {
        Optional<String> request = request(state, type);
        if (request.isEmpty()) {
            return false;
        }
        OperationStatus last = state.getStatus().getOperation();
        if (last != null && type.equals(last.getOperation()) && "FAILED".equals(last.getState()) && request.get().equals(last.getCauseCommandId())) {
            return false;
        }
        String id = RunningOperation.start(state.getClusterId(), type, request.get()).id();
        // the id itself, or a later attempt's (id + "/" + version): "Rebalance/rb-1" must not match "Rebalance/rb-10"
        return endedLast == null || !(endedLast.operationId().equals(id) || endedLast.operationId().startsWith(id + "/"));
    }

    /** The pending request an operation of {@code type} answers, if it is one a person asks for by a request of its own. */
    private static Optional<String> request(ClusterState state, String type) {
        return switch (type) {
            case RunningOperation.REBALANCE -> Optional.ofNullable(state.getSpec().getRebalance()).map(r -> r.getCommandId());
            case RunningOperation.REPLACE_CA -> Optional.ofNullable(state.getSpec().getCaReplacement()).map(r -> r.getCommandId());
            default -> Optional.empty();
        };
    }

    /** The request it answers, else the command it was held back for a window under, else the pass's. */
    private static String causeOf(ClusterState state, String type, String passCause) {
        return request(state, type).or(() -> deferredCause(state, type)).orElse(passCause);
    }

    /** The command that called for an operation of {@code type} the log shows held back for a maintenance window. */
    private static Optional<String> deferredCause(ClusterState state, String type) {
        return Optional.ofNullable(state.getStatus().getDeferred()).filter(d -> d.getOperation().equals(type))
                .map(d -> d.getCauseCommandId());
    }

    /** The folded broker count lags the world right after a scale-in: only pods that still exist call for one. */
    private boolean brokerPodsBeyondSpec(ClusterState state, ClusterNames names) {
        String pod = names.pod(io.coxswain.orchestrator.executor.model.KafkaRole.BROKER, state.getSpec().getBrokers());
        return kube.pods().inNamespace(names.namespace()).withName(pod).get() != null;
    }

    private static String describe(String type, ClusterState state, ClusterPods pods) {
        return switch (type) {
            case RunningOperation.ROLLING_UPGRADE -> "rolling upgrade to Kafka " + state.getSpec().getKafkaVersion();
            case RunningOperation.RECONFIGURE -> pods.anyConfigChanged() ? "rolling configuration change"
                    : "rolling restart, " + pods.firstResourcesChange().orElse(ResourcesChange.PREFIX);
            case RunningOperation.ROLLING_RESTART -> "manual rolling restart of " + String.join(" and ", state.getSpec().getRestarts().entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList());
            case RunningOperation.SCALE_OUT -> "scale out to " + state.getSpec().getBrokers() + " brokers";
            case RunningOperation.EXPAND_STORAGE -> "grow every data volume to " + state.getSpec().getStorage().getSize();
            case RunningOperation.REBALANCE -> "rebalance asked for by " + state.getSpec().getRebalance().getIssuer()
                    + Optional.ofNullable(state.getSpec().getRebalance().getReason()).map(r -> ": " + r).orElse("");
            case RunningOperation.REPLACE_CA -> "replace the cluster CA with one of a new key, in three rolls, asked for by "
                    + state.getSpec().getCaReplacement().getIssuer() + Optional.ofNullable(state.getSpec().getCaReplacement().getReason())
                    .map(r -> ": " + r).orElse("");
            default -> "scale in to " + state.getSpec().getBrokers() + " brokers";
        };
    }

    @Override
    public int brokersAllowed(ReconcilePass pass, int running, Optional<ClusterAccess> access) {
        ClusterNames names = ClusterNames.of(pass.clusterId(), namespaceTemplate);
        if (!brokerPodsBeyondSpec(pass.state(), names)) {
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
            Thread.sleep(500);
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
