package io.coxswain.sandbox.kafkapods;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Kafka nodes for the pods of managed clusters, started from each pod's own
 * {@code server.properties} (see {@link LocalNodeConfig} for what is translated). Calls return at
 * once, as a kubelet's runtime must; the work happens on this object's threads, one incarnation
 * after another per pod, so a pod re-created while its old node is still shutting down starts
 * only when the old one has let go of its ports and files.
 */
public final class KafkaNodes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaNodes.class);
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PROBE_EVERY = Duration.ofMillis(200);
    /**
     * Controllers answer a direct Admin call only once the quorum has a metadata version, and log
     * an ERROR for each call before that: probing them less often keeps the log readable.
     */
    private static final Duration CONTROLLER_PROBE_EVERY = Duration.ofMillis(500);

    private final PortBook ports = new PortBook();
    private final Function<LocalNodeConfig, NodeProcess> launcher;
    private final Duration readyTimeout;
    private final Map<PodKey, Incarnation> running = new ConcurrentHashMap<>();
    private final PodSteps steps = new PodSteps("kafka-pods");

    /** A running (or starting) node of one pod. */
    public record RunningNode(PodKey pod, int nodeId, boolean broker, boolean controller, String clusterId,
            Map<String, String> addresses, Optional<String> clientAddress) {
    }

    private static final class Incarnation {
        final LocalNodeConfig config;
        final NodeProcess process;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile boolean stopping;

        Incarnation(LocalNodeConfig config, NodeProcess process) {
            this.config = config;
            this.process = process;
        }
    }

    private KafkaNodes(Function<LocalNodeConfig, NodeProcess> launcher, Duration readyTimeout) {
        this.launcher = launcher;
        this.readyTimeout = readyTimeout;
    }

    /** Nodes as {@code KafkaRaftServer}s in this JVM: the default, see the measurements in the report. */
    public static KafkaNodes inProcess() {
        return new KafkaNodes(InProcessNode::new, DEFAULT_READY_TIMEOUT);
    }

    /** Nodes as child JVMs with these options (e.g. {@code -Xmx192m}), their files beside the node's data. */
    public static KafkaNodes childJvms(List<String> jvmOptions) {
        return new KafkaNodes(c -> new ChildJvmNode(c, c.metadataDir().getParent().resolve(".sandbox-jvm"), jvmOptions), DEFAULT_READY_TIMEOUT);
    }

    /**
     * Starts the pod's node. The stage completes when the node is ready (broker registered and
     * unfenced, controller in the quorum) and fails if it cannot start or is not ready in time.
     */
    public CompletionStage<Void> start(NodeSpec spec) {
        LocalNodeConfig config;
        try {
            config = LocalNodeConfig.of(spec, ports);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Incarnation node = new Incarnation(config, launcher.apply(config));
        Incarnation previous = running.put(spec.pod(), node);
        if (previous != null && !previous.stopping) {
            log.warn("pod {} started again while its node was running; stopping the old one first", spec.pod());
            stopIncarnation(spec.pod(), previous, Duration.ofSeconds(30));
        }
        steps.then(spec.pod(), () -> {
            if (node.stopping) {
                return;
            }
            log.info("starting Kafka node {} ({}) for pod {} at {}", config.nodeId(), config.roles(), spec.pod(), config.addresses());
            node.process.start();
        }).whenComplete((ok, error) -> {
            if (error != null) {
                node.ready.completeExceptionally(error);
            } else {
                steps.execute(() -> awaitReady(spec.pod(), node));
            }
        });
        return node.ready.copy();
    }

    /** Stops the pod's node: gracefully, then forced after {@code grace}. Completes when it is down. */
    public CompletionStage<Void> stop(PodKey pod, Duration grace) {
        Incarnation node = running.remove(pod);
        if (node == null) {
            return CompletableFuture.completedFuture(null);
        }
        return stopIncarnation(pod, node, grace);
    }

    private CompletableFuture<Void> stopIncarnation(PodKey pod, Incarnation node, Duration grace) {
        node.stopping = true;
        node.ready.completeExceptionally(new IllegalStateException("pod " + pod + " was stopped before its node was ready"));
        return steps.then(pod, () -> {
            log.info("stopping Kafka node {} of pod {} (grace {})", node.config.nodeId(), pod, grace);
            node.process.stop(grace);
        });
    }

    private void awaitReady(PodKey pod, Incarnation node) {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        try (ReadinessProbe probe = new ReadinessProbe(node.config)) {
            while (!node.stopping && !node.ready.isDone()) {
                if (probe.ready()) {
                    log.info("Kafka node {} of pod {} is ready", node.config.nodeId(), pod);
                    node.ready.complete(null);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    node.ready.completeExceptionally(new IllegalStateException("Kafka node " + node.config.nodeId() + " of pod " + pod
                            + " was not ready within " + readyTimeout.toSeconds() + " s"));
                    return;
                }
                TimeUnit.MILLISECONDS.sleep((node.config.broker() ? PROBE_EVERY : CONTROLLER_PROBE_EVERY).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.ready.completeExceptionally(e);
        }
    }

    public Optional<RunningNode> node(PodKey pod) {
        Incarnation i = running.get(pod);
        if (i == null) {
            return Optional.empty();
        }
        LocalNodeConfig c = i.config;
        return Optional.of(new RunningNode(pod, c.nodeId(), c.broker(), c.controller(), c.clusterId(), c.addresses(), c.clientAddress()));
    }

    /** The local port that stands for this pod's listener (allocated now if the pod has not started yet). */
    public int port(PodKey pod, String listener) {
        return ports.port(pod.namespace(), pod.pod(), listener);
    }

    /**
     * The bootstrap address of a managed cluster, reachable from this machine: the client
     * addresses of its brokers that are running (ready or not), in node id order.
     */
    public String bootstrapServers(String clusterId) {
        List<RunningNode> brokers = new ArrayList<>();
        running.keySet().forEach(p -> node(p).filter(n -> n.broker() && n.clusterId().equals(clusterId)).ifPresent(brokers::add));
        brokers.sort((a, b) -> Integer.compare(a.nodeId(), b.nodeId()));
        return String.join(",", brokers.stream().map(n -> n.clientAddress().orElseThrow()).toList());
    }

    public Collection<PodKey> pods() {
        return List.copyOf(running.keySet());
    }

    /**
     * Stops these pods' nodes, brokers first: a broker's controlled shutdown needs its controllers' answer, and with them gone
     * it waits out its whole grace period instead. Completes when all are down.
     */
    public CompletionStage<Void> stopBrokersFirst(Collection<PodKey> pods, Duration grace) {
        List<PodKey> brokers = pods.stream().filter(p -> node(p).map(RunningNode::broker).orElse(false)).toList();
        List<PodKey> rest = pods.stream().filter(p -> !brokers.contains(p)).toList();
        return stopEach(brokers, grace).thenCompose(ok -> stopEach(rest, grace));
    }

    private CompletableFuture<Void> stopEach(List<PodKey> pods, Duration grace) {
        return CompletableFuture.allOf(pods.stream().map(p -> stop(p, grace).toCompletableFuture().handle((ok, e) -> null))
                .toArray(CompletableFuture[]::new));
    }

    /** Stops every node, brokers first ({@link #stopBrokersFirst}). */
    @Override
    public void close() {
        stopBrokersFirst(pods(), Duration.ofSeconds(10)).toCompletableFuture().join();
        steps.shutdown();
    }
}
