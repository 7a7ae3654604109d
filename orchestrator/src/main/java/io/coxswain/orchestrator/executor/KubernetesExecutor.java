package io.coxswain.orchestrator.executor;

import io.coxswain.avro.Topics;
import io.coxswain.avro.registry.SchemaRegistries;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.orchestrator.audit.LogLocation;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.LegacyIntentVersions;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.executor.reconcile.ActionEvents;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.ClusterReconciler;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.orchestrator.executor.reconcile.NotOwnedException;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.fold.Phases;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes executor of one Coxswain node: owns the clusters of its state-topic partitions
 * and reconciles each on every state change, on every change of its pods and StatefulSets, and on
 * a periodic resync. Two workers reconcile different clusters at once; one cluster is never
 * reconciled twice at the same time.
 */
public final class KubernetesExecutor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesExecutor.class);
    private static final Duration WAITING_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(30);

    private final ExecutorConfig config;
    /** The registry this executor opened and so closes; null when it reads through its node's. */
    private final SchemaRegistry ownedRegistry;
    private final ObservationSink sink;
    private final AutoCloseable ownedSink;
    private final WorkQueue queue = new WorkQueue();
    private final CauseTracker causes = new CauseTracker();
    private final ClusterReconciler reconciler;
    private final StateSchemaHolds holds;
    private final StateFeed feed;
    private final FleetStateView fleet;
    private final KubeWatch watch;
    private final ActionEvents events;
    private final ScheduledExecutorService timers;
    private final List<Thread> workers = new ArrayList<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final LongAdder passes = new LongAdder();
    private final LegacyIntentVersions legacy;

    private KubernetesExecutor(ExecutorConfig config, KubernetesClient client, ClusterOperations operations, ObservationSink sink,
                               AutoCloseable ownedSink, SchemaRegistry registry, SchemaRegistry ownedRegistry) {
        this.config = config;
        this.sink = sink;
        this.ownedSink = ownedSink;
        this.ownedRegistry = ownedRegistry;
        // one decode of a record serves both readers of the state topic
        StateDecodes states = new StateDecodes(new AvroWireCodec<>(registry, Topics.valueSubject(config.topics().state()), ClusterState.class),
                config.observerId());
        this.feed = new StateFeed(config, states, causes::saw, queue::add, this::handOver);
        // a mirror's source cluster, whichever executor owns it; its targets here are looked at again when it changes
        this.fleet = new FleetStateView(config, states, this::requeueMirrorsOf);
        operations.seeClusters(fleet::state);
        this.watch = new KubeWatch(client, config.model(), cluster -> {
            if (feed.owns(cluster)) {
                queue.add(cluster);
            }
        });
        KubeObjects kube = new KubeObjects(client, watch);
        this.events = new ActionEvents(client, config.observerId(), java.time.Clock.systemUTC());
        ActionRecorder recorder = new ActionRecorder(sink, feed::owns, events);
        StatusReporter status = new StatusReporter(new ComponentObserver(kube), sink, Duration.ofSeconds(10));
        this.reconciler = new ClusterReconciler(kube, config.model(), recorder, status, operations, bootstrapAddress(config));
        this.holds = new StateSchemaHolds(config.observerId(), status, causes);
        this.legacy = new LegacyIntentVersions(LegacyIntentVersions.replayOf(new LogLocation(config.bootstrapServers(), config.topics(),
                config.clientOverrides(), config.schemaRegistryUrl()), config.signatures().verifier(), registry), status,
                () -> feed.ownedClusters().forEach(queue::add));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coxswain-executor-timers-" + config.observerId());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts an executor on its own (no node in its process) that records its observations on the command topic: it opens
     * a schema registry of its own, as the config says, and closes it.
     */
    public static KubernetesExecutor start(ExecutorConfig config, KubernetesClient client, ClusterOperations operations) {
        SchemaRegistry registry = openRegistry(config);
        CommandLogSink sink;
        try {
            sink = new CommandLogSink(config, registry);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        return start(config, client, operations, sink, sink, registry, registry);
    }

    /**
     * Starts the executor of a node, which records its observations on the command topic: it reads and writes every schema
     * through {@code registry}, the node's, and opens none of its own (each would be another consumer reading the whole
     * schemas topic, and another copy of every schema). The registry stays the node's to close, after this executor.
     */
    public static KubernetesExecutor start(ExecutorConfig config, KubernetesClient client, ClusterOperations operations,
                                           SchemaRegistry registry) {
        CommandLogSink sink = new CommandLogSink(config, registry);
        return start(config, client, operations, sink, sink, registry, null);
    }

    /** An executor on its own whose observations go to {@code sink}; {@code ownedSink} (may be null) is closed with it. */
    static KubernetesExecutor start(ExecutorConfig config, KubernetesClient client, ClusterOperations operations,
                                    ObservationSink sink, AutoCloseable ownedSink) {
        SchemaRegistry registry = openRegistry(config);
        return start(config, client, operations, sink, ownedSink, registry, registry);
    }

    /** Takes {@code ownedSink} and {@code ownedRegistry} (each may be null): they are closed with the executor, or now if it fails to start. */
    private static KubernetesExecutor start(ExecutorConfig config, KubernetesClient client, ClusterOperations operations,
                                            ObservationSink sink, AutoCloseable ownedSink, SchemaRegistry registry,
                                            SchemaRegistry ownedRegistry) {
        KubernetesExecutor executor;
        try {
            executor = new KubernetesExecutor(config, client, operations, sink, ownedSink, registry, ownedRegistry);
        } catch (RuntimeException e) {
            closeOwned(config, ownedSink, ownedRegistry);
            throw e;
        }
        try {
            executor.watch.start();
            for (int i = 0; i < config.workers(); i++) {
                Thread t = new Thread(executor::work, "coxswain-executor-" + config.observerId() + "-" + i);
                t.setDaemon(true);
                executor.workers.add(t);
                t.start();
            }
            long resync = config.resync().toMillis();
            executor.timers.scheduleWithFixedDelay(() -> executor.feed.ownedClusters().forEach(executor.queue::add),
                    resync, resync, TimeUnit.MILLISECONDS);
            executor.feed.start();
            executor.fleet.start();
        } catch (RuntimeException e) {
            executor.close();
            throw e;
        }
        String coxswainNamespace = config.model().coxswainNamespace();
        log.info("Kubernetes executor {} started (group {}, state topic {}, namespaces {}{})", config.observerId(), config.groupId(),
                config.topics().state(), config.model().namespaceTemplate(), coxswainNamespace == null ? "" : ", never " + coxswainNamespace);
        if (coxswainNamespace == null) {
            log.warn("Kubernetes executor {}: the namespace Coxswain runs in is not known, so a cluster the namespace template {} maps there"
                    + " would be reconciled among Coxswain's gateway tokens and TLS keys (and its DeleteCluster could delete the namespace)."
                    + " Set POD_NAMESPACE from the downward API (fieldPath: metadata.namespace) or give --own-namespace NS",
                    config.observerId(), config.model().namespaceTemplate());
        }
        return executor;
    }

    /** Clusters this executor owns right now (their partitions are assigned to it and caught up). */
    public List<String> ownedClusters() {
        return feed.ownedClusters();
    }

    /** Partitions of the state topic this executor owns right now. */
    public java.util.Set<Integer> ownedPartitions() {
        return feed.ownedPartitions();
    }

    /** Reconcile passes finished since start (whatever their outcome): how much work a resync really does. */
    public long passes() {
        return passes.sum();
    }

    public String observerId() {
        return config.observerId();
    }

    private void work() {
        while (true) {
            String clusterId;
            try {
                clusterId = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (clusterId == null) {
                return;
            }
            try {
                reconcileOnce(clusterId);
            } finally {
                passes.increment();
                queue.done(clusterId);
            }
        }
    }

    private void reconcileOnce(String clusterId) {
        Optional<NewerState> held = feed.held(clusterId);
        if (held.isPresent()) {
            try {
                holds.hold(held.get());
                failures.remove(clusterId);
            } catch (RuntimeException e) {
                retryLater(clusterId, "report of the hold on state v" + held.get().version(), e);
            }
            return;
        }
        Optional<ClusterState> state = feed.owned(clusterId);
        if (state.isEmpty() || Phases.DELETED.equals(state.get().getStatus().getPhase())) {
            reconciler.forget(clusterId);
            holds.forget(clusterId);
            return;
        }
        ClusterState s = state.get();
        try {
            holds.release(s);
            legacy.backfill(s);
            ClusterReconciler.Result result = reconciler.reconcile(passOn(s));
            failures.remove(clusterId);
            if (result == ClusterReconciler.Result.WAITING) {
                later(clusterId, WAITING_RETRY);
            }
        } catch (NotOwnedException e) {
            log.info("cluster {}: {} mid-pass; stopped", clusterId, feed.held(clusterId).isPresent()
                    ? "its newest state is one this executor cannot read (held)" : "handed over to another executor");
        } catch (RuntimeException e) {
            retryLater(clusterId, "reconcile of state v" + s.getVersion() + " (cause " + causes.causeOf(s) + ")", e);
        }
    }

    private void retryLater(String clusterId, String what, RuntimeException e) {
        int n = failures.merge(clusterId, 1, Integer::sum);
        Duration backoff = Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(n, 10)));
        log.warn("cluster {}: {} failed, retrying in {} ms: {}", clusterId, what, backoff.toMillis(), e.toString());
        later(clusterId, backoff);
    }

    /** A pass on {@code state} that refreshes to the newest owned state, each with the intent last seen by then. */
    private ReconcilePass passOn(ClusterState state) {
        return new ReconcilePass(state, causes.causeOf(state), () -> feed.owned(state.getClusterId()).map(this::passOn).orElse(null));
    }

    /**
     * Queues the clusters owned here that mirror {@code source}: its state just arrived in the fleet view or changed there,
     * and a mirror that found it unknown (the view lagging behind) or found it as it was runs on what it is now, without
     * waiting for the resync.
     */
    private void requeueMirrorsOf(String source) {
        feed.mirrorsOf(source).forEach(queue::add);
    }

    private void later(String clusterId, Duration delay) {
        try {
            timers.schedule(() -> queue.add(clusterId), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Called by the state feed during a rebalance: returns once no worker acts on these clusters. */
    private void handOver(Collection<String> clusters) {
        if (clusters.isEmpty()) {
            return;
        }
        try {
            if (!queue.drain(clusters, HANDOVER_TIMEOUT)) {
                log.warn("executor {}: a reconcile of {} still runs after {}s; it stops at its next action", config.observerId(),
                        clusters, HANDOVER_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clusters.forEach(c -> {
            reconciler.forget(c);
            holds.forget(c);
            causes.forget(c);
            failures.remove(c);
        });
    }

    private static Function<ClusterNames, String> bootstrapAddress(ExecutorConfig config) {
        if (config.bootstrapOverride() == null) {
            return ClusterNames::bootstrapServers;
        }
        return names -> config.bootstrapOverride().replace("{cluster}", names.clusterId()).replace("{namespace}", names.namespace());
    }

    @Override
    public void close() {
        feed.close(); // first: hands the clusters over (waits for running passes)
        fleet.close();
        queue.close();
        timers.shutdownNow();
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        watch.close();
        events.close();
        closeOwned(config, ownedSink, ownedRegistry);
        log.info("Kubernetes executor {} stopped", config.observerId());
    }

    /** The registry an executor on its own reads through: Coxswain's on the schemas topic, or the one the config's URL names. */
    private static SchemaRegistry openRegistry(ExecutorConfig config) {
        Map<String, Object> registryConfig = new HashMap<>(config.clientOverrides());
        registryConfig.put("bootstrap.servers", config.bootstrapServers());
        registryConfig.put(SchemaRegistries.TOPIC_PREFIX, config.topics().prefix());
        if (config.schemaRegistryUrl() != null) {
            registryConfig.put(SchemaRegistries.REGISTRY_URL, config.schemaRegistryUrl());
        }
        return SchemaRegistries.fromConfig(registryConfig);
    }

    /** The sink first: it may still encode through the registry. */
    private static void closeOwned(ExecutorConfig config, AutoCloseable ownedSink, SchemaRegistry ownedRegistry) {
        try {
            if (ownedSink != null) {
                ownedSink.close();
            }
        } catch (Exception e) {
            log.warn("executor {}: closing the observation sink: {}", config.observerId(), e.toString());
        }
        if (ownedRegistry != null) {
            ownedRegistry.close();
        }
    }
}
