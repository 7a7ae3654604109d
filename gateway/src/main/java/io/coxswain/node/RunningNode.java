package io.coxswain.node;

import io.coxswain.avro.Topics;
import io.coxswain.gateway.Gateway;
import io.coxswain.gateway.GatewayConfig;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the parts of a node in order and stops them in reverse order, once, on Ctrl-C. */
final class RunningNode {

    private static final Logger log = LoggerFactory.getLogger(RunningNode.class);

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Parts started by {@link #startAside} and not yet {@link #await awaited}: a stop waits for them and closes them. */
    private final List<CompletableFuture<? extends AutoCloseable>> aside = new ArrayList<>();

    /** A part started, to stop with the others; a part started aside may add its own parts from its thread. */
    synchronized <T extends AutoCloseable> T add(T part) {
        parts.push(part);
        return part;
    }

    /**
     * Starts a part on a thread of its own while the caller starts others; {@link #await} takes it in. A part that needs
     * none of the others need not wait for them.
     */
    <T extends AutoCloseable> CompletableFuture<T> startAside(String name, Supplier<T> start) {
        CompletableFuture<T> started = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                started.complete(start.get());
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "coxswain-start-" + name);
        thread.setDaemon(true);
        synchronized (this) {
            aside.add(started);
        }
        thread.start();
        return started;
    }

    /** Waits for a part {@link #startAside started aside} and adds it; rethrows what stopped its start. */
    <T extends AutoCloseable> T await(CompletableFuture<T> started) {
        T part;
        try {
            part = started.join();
        } catch (CompletionException e) {
            synchronized (this) {
                aside.remove(started); // its failure is the caller's to report: a stop has nothing of it to close
            }
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        synchronized (this) {
            aside.remove(started);
            return add(part);
        }
    }

    /**
     * Starts the node: its topics and schemas are there when this returns, its Kafka Streams still joining the group and
     * restoring stores ({@link #awaitRunning}); what needs only the topics and schemas, the executor, starts meanwhile.
     * The parts added after it (gateway, executor, sinks) borrow its schema registry: they stop first, then the node closes it.
     */
    CoxswainNode startNode(String bootstrap, Path stateDir, NodeOptions options, short replicationFactor) {
        NodeConfig config = NodeConfig.defaults(bootstrap, stateDir)
                .withSignatures(options.signatures())
                .withTopics(new Topics(options.topicPrefix))
                .withApplicationId(options.applicationId)
                .withPartitions(options.partitions, replicationFactor)
                .withSchemaRegistryUrl(options.schemaRegistryUrl)
                .withSessionTimeout(options.sessionTimeout);
        return add(CoxswainNode.starting(config));
    }

    /** Waits until the node {@link #startNode started} runs its topology. */
    CoxswainNode awaitRunning(CoxswainNode node) {
        return node.awaitRunning(Duration.ofMinutes(2));
    }

    /**
     * Starts the HTTP gateway of {@code node} on a thread of its own ({@link #await} takes it in): it needs the node's topics,
     * schemas and codecs, not its Streams running, so it starts while they join and restore. The URL it prints is the
     * loopback one for a wildcard bind.
     */
    CompletableFuture<Gateway> startGateway(CoxswainNode node, GatewayConfig config) {
        return startAside("gateway", () -> Gateway.start(node, config, Duration.ofMinutes(2)));
    }

    static boolean loopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    static String httpUrl(GatewayConfig config, Gateway gateway) {
        String host = config.host();
        boolean local = host.equals("0.0.0.0") || host.equals("::") || loopback(host);
        return config.scheme() + "://" + (local ? "127.0.0.1" : host) + ":" + gateway.port();
    }

    /** Blocks until the JVM is asked to stop, then closes every part. */
    int awaitShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop();
            stopped.countDown();
        }, "coxswain-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    synchronized void stop() {
        for (CompletableFuture<? extends AutoCloseable> started : aside) {
            AutoCloseable part;
            try {
                part = started.join(); // still starting when the start failed elsewhere: it would run on, unstopped
            } catch (CompletionException e) {
                // never awaited, as another part's start failed first: nothing to close, but its own failure is news too
                log.warn("A part starting beside the one that failed did not start either: {}",
                        e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                log.warn("Error stopping a part started aside: {}", e.toString());
            }
        }
        aside.clear();
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("Error stopping {}: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
