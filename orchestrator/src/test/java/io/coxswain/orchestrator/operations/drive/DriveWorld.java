package io.coxswain.orchestrator.operations.drive;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.tls.ClusterTrust;
import org.apache.kafka.clients.admin.Admin;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.executor.CommandLogSink;
import io.coxswain.orchestrator.executor.ExecutorConfig;
import io.coxswain.orchestrator.executor.KubernetesExecutor;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import io.coxswain.sandbox.kafka.SharedKafka;
import io.coxswain.sandbox.kafkapods.KafkaNodes;
import io.coxswain.sandbox.kafkapods.ManagedClusterPods;
import io.coxswain.sandbox.kube.PodRuntime;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.coxswain.commands.shape.PlatformComponent;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.concurrent.CompletionStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A Coxswain node, the sandbox Kubernetes with REAL Kafka nodes in its Kafka pods and REAL Connect workers in its
 * connect pods, and an executor with the operation drivers.
 */
final class DriveWorld implements AutoCloseable {

    final Topics topics;
    final Path root;
    final SandboxKubernetes kube;
    final CoxswainNode node;
    final CommandClient commands;
    private final AtomicReference<ManagedClusterPods> runtime = new AtomicReference<>();
    private final String groupId;
    private KubernetesExecutor executor;
    private OperationDrivers drivers;
    private CommandLogSink sink;
    private final List<Running> others = new ArrayList<>();
    private final ModelSettings model;

    /** An executor with its drivers and the sink they record through. */
    private record Running(KubernetesExecutor executor, OperationDrivers drivers, CommandLogSink sink) {
        void stop() {
            drivers.close();
            sink.close();
            executor.close();
        }
    }

    DriveWorld() throws Exception {
        this(1, true, ModelSettings.defaults());
    }

    /**
     * A world whose state topic has {@code partitions} partitions, for several executors ({@link #anotherExecutor}), and
     * whose connect pods run no Connect worker: ready at once, and their REST API never answers (Connect down), which is
     * all a test of what is decided before Connect is asked needs. Its executors build the clusters' objects with {@code model}.
     */
    static DriveWorld sharded(int partitions, ModelSettings model) throws Exception {
        return new DriveWorld(partitions, false, model);
    }

    private DriveWorld(int partitions, boolean connectWorkers, ModelSettings model) throws Exception {
        this.model = model;
        String unique = UUID.randomUUID().toString().substring(0, 8);
        this.topics = new Topics("d" + unique + ".");
        this.groupId = "drive-" + unique;
        this.root = Files.createTempDirectory("coxswain-drive");
        this.kube = SandboxKubernetes.start(0, client -> {
            runtime.set(new ManagedClusterPods(client, KafkaNodes.inProcess(), root.resolve("pvs")));
            return connectWorkers ? runtime.get() : withoutConnectWorkers(runtime.get());
        });
        this.node = CoxswainNode.start(NodeConfig.defaults(SharedKafka.bootstrapServers(), root.resolve("streams")).withTopics(topics)
                .withApplicationId("app-" + unique).withPartitions(partitions, (short) 1), Duration.ofSeconds(60));
        this.commands = CommandClient.builder(SharedKafka.bootstrapServers()).topics(topics).decisionTimeout(Duration.ofSeconds(30)).build();
    }

    /** A new world whose executor ({@code observer}) created cluster {@code clusterId}, Kafka 4.3.1 with 1 controller and 3 brokers, now Ready. */
    static DriveWorld withReadyCluster(String clusterId, String observer) throws Exception {
        return withReadyCluster(observer, Commands.on(clusterId).issuer("test").commandId("create").createCluster("4.3.1", 1, 3, "1Gi"));
    }

    /** A new world with a Ready cluster of one controller and {@code brokers} brokers that requires client certificates (clientAuthentication TLS). */
    static DriveWorld withReadyTlsCluster(String clusterId, String observer, int brokers) throws Exception {
        return withReadyCluster(observer, createTlsCluster(clusterId, "create", brokers));
    }

    /** The CreateCluster of a cluster of one controller and {@code brokers} brokers that requires client certificates. */
    static Command createTlsCluster(String clusterId, String commandId, int brokers) {
        return Commands.on(clusterId).issuer("test").commandId(commandId).createCluster(CreateCluster.newBuilder().setKafkaVersion("4.3.1")
                .setControllers(1).setBrokers(brokers).setStorage(StorageRequest.newBuilder().setSize("1Gi").build())
                .setClientAuthentication(ClientAuthentication.TLS).build());
    }

    /** A new world whose executor ({@code observer}) created the cluster {@code create} asks for, now Ready. */
    static DriveWorld withReadyCluster(String observer, Command create) throws Exception {
        String clusterId = create.getClusterId();
        DriveWorld world = new DriveWorld();
        world.startExecutor(observer);
        Outcome created = world.send(create);
        if (!(created instanceof Outcome.Accepted)) {
            world.close();
            throw new AssertionError("CreateCluster " + clusterId + " not accepted: " + created);
        }
        world.awaitState(clusterId, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
        return world;
    }

    String bootstrap(String clusterId, int brokers) {
        return bootstrapOf(clusterId, brokers, "CLIENTS");
    }

    /** The local addresses of the brokers' {@code listener}. */
    String bootstrapOf(String clusterId, int brokers, String listener) {
        return runtime.get().bootstrapServers(clusterId, clusterId + "-" + KafkaRole.BROKER.component(), brokers, listener);
    }

    /** Where the executor reaches the cluster's Connect workers: pod -0 of its connect component. */
    String connectUrl(ClusterNames names) {
        return runtime.get().connectUrl(names.namespace(), names.component(io.coxswain.commands.shape.PlatformComponent.CONNECT));
    }

    /**
     * TLS settings of a client of the managed cluster, trusting its CA as an application would (the
     * ca.crt of {@code <cluster>-cluster-ca-cert}); host names unchecked, as nodes answer at 127.0.0.1.
     */
    Map<String, Object> clientSecurity(String clusterId) {
        ClusterNames names = ClusterNames.of(clusterId, ModelSettings.defaults().namespaceTemplate());
        String ca = ClusterTrust.caCertificate(kube.client(), names)
                .orElseThrow(() -> new IllegalStateException("cluster " + clusterId + " has no CA certificate Secret yet"));
        return ClusterTrust.clientConfig(ca, false);
    }

    /** An Admin client of the managed cluster, over TLS. */
    Admin admin(String clusterId, int brokers) {
        Map<String, Object> config = new HashMap<>(clientSecurity(clusterId));
        config.put("bootstrap.servers", bootstrap(clusterId, brokers));
        return Admin.create(config);
    }

    /** Starts an executor with the drivers (a fresh one each time: what a restarted Coxswain node does). */
    KubernetesExecutor startExecutor(String observer) {
        return startExecutor(observer, Duration.ofSeconds(120));
    }

    KubernetesExecutor startExecutor(String observer, Duration stepTimeout) {
        return startExecutor(observer, stepTimeout, DriveSettings.defaults().throttleBytes());
    }

    /** As {@link #startExecutor(String, Duration)}, its data moves throttled at {@code throttleBytes} per second per broker. */
    KubernetesExecutor startExecutor(String observer, Duration stepTimeout, long throttleBytes) {
        Running started = start(observer, stepTimeout, throttleBytes);
        sink = started.sink();
        drivers = started.drivers();
        executor = started.executor();
        return executor;
    }

    /** One more executor with the drivers, in the same group as the first: they share the clusters. Stopped with the world. */
    KubernetesExecutor anotherExecutor(String observer) {
        Running started = start(observer, Duration.ofSeconds(120), DriveSettings.defaults().throttleBytes());
        others.add(started);
        return started.executor();
    }

    private Running start(String observer, Duration stepTimeout, long throttleBytes) {
        ExecutorConfig config = ExecutorConfig.defaults(SharedKafka.bootstrapServers(), topics, observer).withGroupId(groupId)
                .withResync(Duration.ofSeconds(2)).withModel(model);
        CommandLogSink log = new CommandLogSink(config);
        OperationDrivers ops = new OperationDrivers(kube.client(), log, DriveSettings.defaults().withStepTimeout(stepTimeout).withThrottleBytes(throttleBytes)
                // a pass waiting on what only the next reconcile brings about (a StatefulSet shrunk by a scale-in) waits out
                // its budget: short here, where the world moves in seconds; the next pass continues the wait
                .withWaitBudget(Duration.ofSeconds(2))
                // the in-process nodes stop, start and catch up in fractions of a second: looking again every 500 ms, as in
                // production, was up to a second of each restart step of every roll
                .withPollInterval(Duration.ofMillis(100)).withoutHostnameVerification(), config.model().namespaceTemplate(),
                (state, names) -> bootstrap(state.getClusterId(), Math.min(3, state.getSpec().getBrokers())), Map.of(),
                (state, names) -> connectUrl(names));
        return new Running(KubernetesExecutor.start(config, kube.client(), ops), ops, log);
    }

    /** Kafka pods run real nodes; connect pods run nothing and are ready at once. */
    private static PodRuntime withoutConnectWorkers(ManagedClusterPods pods) {
        PodRuntime idle = PodRuntime.readyAtOnce();
        return new PodRuntime() {
            @Override
            public CompletionStage<Void> start(Pod pod) {
                return connectPod(pod) ? idle.start(pod) : pods.start(pod);
            }

            @Override
            public CompletionStage<Void> stop(Pod pod, Duration grace) {
                return connectPod(pod) ? idle.stop(pod, grace) : pods.stop(pod, grace);
            }

            @Override
            public CompletionStage<Void> stopAll(List<Pod> all, Duration grace) {
                return pods.stopAll(all.stream().filter(p -> !connectPod(p)).toList(), grace); // idle connect pods stop at once
            }

            private boolean connectPod(Pod pod) {
                Map<String, String> labels = pod.getMetadata().getLabels();
                return labels != null && PlatformComponent.CONNECT.componentName().equals(labels.get(ClusterNames.COMPONENT_LABEL));
            }
        };
    }

    /** Stops the executor without letting its operation finish: the drivers stop at their next look at the world. */
    void killExecutor() {
        drivers.close();
        sink.close();
        executor.close();
    }

    Outcome send(Command c) {
        return commands.send(c).toCompletableFuture().join();
    }

    /** The Secret of a user of a managed cluster ({@code <cluster>-user-<user>}), once the executor has made it. */
    io.fabric8.kubernetes.api.model.Secret awaitUserSecret(String clusterId, String user) {
        ClusterNames names = ClusterNames.of(clusterId, ModelSettings.defaults().namespaceTemplate());
        java.util.function.Supplier<io.fabric8.kubernetes.api.model.Secret> secret = () -> kube.client().secrets()
                .inNamespace(names.namespace()).withName(names.userSecret(user)).get();
        await(Duration.ofSeconds(60), () -> "Secret " + names.userSecret(user), () -> secret.get() != null);
        return secret.get();
    }

    /** Sends the command and fails the test unless it is accepted. */
    void accepted(Command c) {
        Outcome outcome = send(c);
        if (!(outcome instanceof Outcome.Accepted)) {
            throw new AssertionError(c.getPayload().getClass().getSimpleName() + " " + c.getCommandId() + " not accepted: " + outcome);
        }
    }

    /** Writes each value (its own key) to the topic of a managed cluster, as an application over TLS would, acks all. */
    void produce(String clusterId, int brokers, String topic, List<String> values) throws Exception {
        Map<String, Object> config = new HashMap<>(clientSecurity(clusterId));
        config.put("bootstrap.servers", bootstrap(clusterId, brokers));
        config.put("acks", "all");
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                config, new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            for (String v : values) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, v, v)).get();
            }
        }
    }

    Optional<ClusterState> state(String clusterId) {
        try {
            return node.localClusterState(clusterId);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    ClusterState awaitState(String clusterId, Duration timeout, String what, Predicate<ClusterState> condition) {
        await(timeout, () -> clusterId + " " + what + " (now " + state(clusterId).map(s -> s.getStatus().getPhase() + " "
                + s.getStatus().getOperation()).orElse("none") + ")", () -> state(clusterId).filter(condition).isPresent());
        return state(clusterId).orElseThrow();
    }

    List<ResourceActionObserved> actions(String clusterId) {
        List<ResourceActionObserved> out = new ArrayList<>();
        for (Command c : commandLog()) {
            if (c.getClusterId().equals(clusterId) && c.getPayload() instanceof RecordObservation o && o.getObservation() instanceof ResourceActionObserved a) {
                out.add(a);
            }
        }
        return out;
    }

    List<Command> commandLog() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
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

    static void await(Duration timeout, java.util.function.Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what.get());
            }
            try {
                Thread.sleep(200); // polling interval; the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Override
    public void close() {
        others.forEach(Running::stop);
        try {
            killExecutor();
        } catch (RuntimeException e) {
            // already stopped
        }
        commands.close();
        kube.close();
        node.close();
        SharedKafka.deleteQuietly(root);
    }
}
