package io.coxswain.orchestrator.executor;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import io.coxswain.sandbox.kafka.SharedKafka;
import io.coxswain.sandbox.kube.PodRuntime;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real Coxswain node on the shared embedded Kafka (own topics), the sandbox Kubernetes, and
 * executors against both: everything the executor meets in production, in one JVM.
 */
final class ExecutorWorld implements AutoCloseable {

    final Topics topics;
    final String groupId;
    final SandboxKubernetes kube;
    private final NodeConfig nodeConfig;
    volatile CoxswainNode node;
    final CommandClient commands;
    private final Path stateDir;
    private final List<KubernetesExecutor> executors = new ArrayList<>();

    ExecutorWorld(int partitions) {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        this.topics = new Topics("x" + unique + ".");
        this.groupId = "exec-" + unique;
        try {
            this.stateDir = Files.createTempDirectory("coxswain-exec-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.kube = SandboxKubernetes.start(0, PodRuntime.readyAtOnce());
        this.nodeConfig = NodeConfig.defaults(SharedKafka.bootstrapServers(), stateDir).withTopics(topics)
                .withApplicationId("app-" + unique).withPartitions(partitions, (short) 1);
        this.node = CoxswainNode.start(nodeConfig, Duration.ofSeconds(60));
        this.commands = CommandClient.builder(SharedKafka.bootstrapServers()).topics(topics).decisionTimeout(Duration.ofSeconds(30)).build();
    }

    ExecutorConfig config(String observer) {
        return ExecutorConfig.defaults(SharedKafka.bootstrapServers(), topics, observer).withGroupId(groupId).withResync(Duration.ofSeconds(3));
    }

    KubernetesExecutor executor(String observer) {
        return track(KubernetesExecutor.start(config(observer), kube.client(), ClusterOperations.none()));
    }

    /** An executor as a node's process starts it: reading and writing schemas through {@code registry}, the node's. */
    KubernetesExecutor executor(String observer, io.coxswain.avro.registry.SchemaRegistry registry) {
        return track(KubernetesExecutor.start(config(observer), kube.client(), ClusterOperations.none(), registry));
    }

    /** An executor whose observations pass through {@code wrap} on their way to the log. */
    KubernetesExecutor executor(String observer, Function<ObservationSink, ObservationSink> wrap) {
        CommandLogSink sink = new CommandLogSink(config(observer));
        return track(KubernetesExecutor.start(config(observer), kube.client(), ClusterOperations.none(), wrap.apply(sink), sink));
    }

    private KubernetesExecutor track(KubernetesExecutor e) {
        executors.add(e);
        return e;
    }

    KubernetesClient client() {
        return kube.client();
    }

    Outcome send(Command c) {
        return commands.send(c).toCompletableFuture().join();
    }

    Optional<ClusterState> state(String clusterId) {
        try {
            return node.localClusterState(clusterId);
        } catch (RuntimeException e) {
            return Optional.empty(); // store not queryable during a rebalance
        }
    }

    ClusterState awaitState(String clusterId, String what, java.util.function.Predicate<ClusterState> condition) {
        await(Duration.ofSeconds(60), clusterId + " " + what + " (now " + state(clusterId).map(s -> s.getStatus().toString()).orElse("none") + ")",
                () -> state(clusterId).filter(condition).isPresent());
        return state(clusterId).orElseThrow();
    }

    ClusterState awaitPhase(String clusterId, String phase) {
        return awaitState(clusterId, "phase " + phase, s -> phase.equals(s.getStatus().getPhase()));
    }

    /** Every command on the log so far, in order per cluster. */
    List<Command> commandLog() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Command> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topics.commands()).stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(node.codecs().commands().decode(r.headers(), r.value()));
                }
            }
        }
        return out;
    }

    /** Resource actions recorded for a cluster, with the executor that recorded each. */
    List<Map.Entry<String, ResourceActionObserved>> actions(String clusterId) {
        List<Map.Entry<String, ResourceActionObserved>> out = new ArrayList<>();
        for (Command c : commandLog()) {
            if (c.getClusterId().equals(clusterId) && c.getPayload() instanceof RecordObservation o
                    && o.getObservation() instanceof ResourceActionObserved a) {
                out.add(Map.entry(o.getObserver(), a));
            }
        }
        return out;
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what);
            }
            try {
                Thread.sleep(100); // polling interval, not synchronisation: the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /**
     * Stops the node, drops its local state, runs {@code whileStopped} (which may write its store's changelog, as an older
     * Coxswain would have left it) and starts it again: its stores are restored from the changelog.
     */
    void restartNodeFromChangelog(Runnable whileStopped) {
        node.close();
        SharedKafka.deleteQuietly(stateDir);
        whileStopped.run();
        node = CoxswainNode.start(nodeConfig, Duration.ofSeconds(60));
    }

    /** The changelog topic of the node's cluster-state store. */
    String stateChangelog() {
        return nodeConfig.applicationId() + "-" + io.coxswain.orchestrator.topology.CoxswainTopology.STATE_STORE + "-changelog";
    }

    void stop(KubernetesExecutor e) {
        executors.remove(e);
        e.close();
    }

    /** Stops every executor still running, leaving the node and the sandbox for the next test of a class that shares them. */
    void stopExecutors() {
        new ArrayList<>(executors).forEach(this::stop);
    }

    @Override
    public void close() {
        stopExecutors();
        commands.close();
        node.close();
        kube.close();
        SharedKafka.deleteQuietly(stateDir);
    }
}
