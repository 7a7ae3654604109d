package io.coxswain.sandbox.kafkapods;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A managed cluster laid out as Coxswain lays one out on Kubernetes (separate controller and
 * broker StatefulSets, pod DNS names, container ports and paths in each pod's
 * {@code server.properties}), run on {@link KafkaNodes}: for tests and demos that need a real
 * multi-node cluster without the simulated Kubernetes. Controllers have ids 1000+, brokers 0+.
 */
public final class LocalCluster {

    private final KafkaNodes nodes;
    private final String namespace;
    private final String name;
    private final int controllers;
    private final Path root;
    private final Map<String, String> brokerOverrides;

    public LocalCluster(KafkaNodes nodes, String namespace, String name, int controllers, Path root, Map<String, String> brokerOverrides) {
        this.nodes = nodes;
        this.namespace = namespace;
        this.name = name;
        this.controllers = controllers;
        this.root = root;
        this.brokerOverrides = new TreeMap<>(brokerOverrides);
    }

    public String controllerPod(int ordinal) {
        return name + "-controller-" + ordinal;
    }

    public String brokerPod(int ordinal) {
        return name + "-broker-" + ordinal;
    }

    public PodKey controllerKey(int ordinal) {
        return new PodKey(namespace, controllerPod(ordinal));
    }

    public PodKey brokerKey(int ordinal) {
        return new PodKey(namespace, brokerPod(ordinal));
    }

    private String voters() {
        return IntStream.range(0, controllers).mapToObj(i -> (1000 + i) + "@" + controllerPod(i) + "." + name + "-controller."
                + namespace + ".svc.cluster.local:9093").collect(Collectors.joining(","));
    }

    private String common() {
        return "controller.listener.names=CONTROLLER\n"
                + "listener.security.protocol.map=CONTROLLER:PLAINTEXT,REPLICATION:PLAINTEXT,CLIENT:PLAINTEXT\n"
                + "controller.quorum.voters=" + voters() + "\n"
                + "log.dirs=/var/lib/kafka/data\n";
    }

    public String controllerProperties(int ordinal) {
        return "process.roles=controller\nnode.id=" + (1000 + ordinal) + "\nlisteners=CONTROLLER://0.0.0.0:9093\n" + common();
    }

    public String brokerProperties(int ordinal) {
        String host = brokerPod(ordinal) + "." + name + "-broker." + namespace + ".svc.cluster.local";
        StringBuilder b = new StringBuilder("process.roles=broker\nnode.id=" + ordinal + "\n"
                + "listeners=REPLICATION://0.0.0.0:9091,CLIENT://0.0.0.0:9092\n"
                + "advertised.listeners=REPLICATION://" + host + ":9091,CLIENT://" + host + ":9092\n"
                + "inter.broker.listener.name=REPLICATION\n" + common());
        brokerOverrides.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    public CompletionStage<Void> startController(int ordinal) {
        return nodes.start(NodeSpec.of(namespace, controllerPod(ordinal), controllerProperties(ordinal), root.resolve("pvc-" + controllerPod(ordinal))));
    }

    public CompletionStage<Void> startBroker(int ordinal) {
        return nodes.start(NodeSpec.of(namespace, brokerPod(ordinal), brokerProperties(ordinal), root.resolve("pvc-" + brokerPod(ordinal))));
    }

    public CompletionStage<Void> stopBroker(int ordinal, Duration grace) {
        return nodes.stop(brokerKey(ordinal), grace);
    }

    /** Starts every controller and the given brokers together and waits until all are ready. */
    public void startAll(int brokers, Duration timeout) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int i = 0; i < controllers; i++) {
            ready.add(startController(i).toCompletableFuture());
        }
        for (int i = 0; i < brokers; i++) {
            ready.add(startBroker(i).toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cluster " + name + " did not become ready within " + timeout + ": " + e, e);
        }
    }

    public String clusterId() {
        return nodes.node(controllerKey(0)).orElseThrow().clusterId();
    }

    public String bootstrapServers() {
        return nodes.bootstrapServers(clusterId());
    }
}
