package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.tls.ClusterTrust;
import io.coxswain.sandbox.kafka.AckedWriter;
import io.coxswain.sandbox.kafka.SharedKafka;
import io.coxswain.sandbox.kafkapods.KafkaNodes;
import io.coxswain.sandbox.kafkapods.KafkaPodRuntime;
import io.coxswain.sandbox.kube.PodWatch;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, crash and resume with a real crash: the Coxswain node (decide/fold, executor, operation
 * drivers) runs as a child JVM ({@code coxswain run}) and is killed with SIGKILL in the middle of a
 * rolling upgrade; a new one with the same application id finishes it. Kubernetes (the sandbox,
 * real Kafka nodes in its pods) and the bootstrap Kafka stay in this JVM, as they outlive a crashed
 * operator.
 *
 * <p>How the child reaches the managed cluster: the sandbox gives each (namespace, pod, listener) one
 * local port, kept from the first time it is asked. The test asks for the brokers' client ports
 * before the cluster exists and hands them to {@code run} as {@code --bootstrap-address-template};
 * the executor publishes that address in {@code status.bootstrapServers}, and the drivers reach the
 * cluster through it ({@code OperationDrivers.publishedBootstrap()}, as in production).
 */
class KillNineResumeTest {

    private static final String CLUSTER = "pay";
    private static final String TOPIC = "orders";
    private static final List<String> BROKERS = List.of("pay-broker-0", "pay-broker-1", "pay-broker-2");
    private static final List<String> CONTROLLERS = List.of("pay-controller-0", "pay-controller-1", "pay-controller-2");

    @Test
    void aNodeKilledMidUpgradeIsReplacedAndTheUpgradeFinishesRestartingEachPodOnce() throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics("k" + unique + ".");
        Path root = Files.createTempDirectory("coxswain-kill9");
        AtomicReference<KafkaPodRuntime> runtime = new AtomicReference<>();
        try (SandboxKubernetes kube = SandboxKubernetes.start(0, client -> {
            runtime.set(new KafkaPodRuntime(client, KafkaNodes.inProcess(), root.resolve("pvs")));
            return runtime.get();
        })) {
            String brokers = runtime.get().bootstrapServers(CLUSTER, CLUSTER + "-broker", BROKERS.size(), "CLIENTS");
            NodeProcess.Launch launch = new NodeProcess.Launch(root, kube.writeKubeconfig(root.resolve("kubeconfig")), topics,
                    "app-" + unique, brokers);
            NodeProcess first = NodeProcess.start(launch, "coxswain-1");
            NodeProcess second = null;
            try (CommandClient commands = CommandClient.builder(SharedKafka.bootstrapServers()).topics(topics)
                    .decisionTimeout(Duration.ofSeconds(30)).build();
                 CommandLog log = new CommandLog(topics)) {
                send(commands, Commands.on(CLUSTER).issuer("test").commandId("create").createCluster("4.2.0", CONTROLLERS.size(), BROKERS.size(), "1Gi"));
                log.awaitState(CLUSTER, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
                assertThat(log.state(CLUSTER).orElseThrow().getStatus().getBootstrapServers()).isEqualTo(brokers);
                // the test's clients trust the cluster's CA as an application would; the nodes answer at 127.0.0.1
                String ca = ClusterTrust.caCertificate(kube.client(), ClusterNames.of(CLUSTER, ModelSettings.defaults().namespaceTemplate())).orElseThrow();
                Map<String, Object> security = ClusterTrust.clientConfig(ca, false);
                Map<String, Object> adminConfig = new HashMap<>(security);
                adminConfig.put("bootstrap.servers", brokers);
                try (Admin admin = Admin.create(adminConfig)) {
                    send(commands, Commands.on(CLUSTER).issuer("test").commandId("topic").createTopic(TOPIC, 6, 3, Map.of("min.insync.replicas", "2")));
                    Poll.until(Duration.ofSeconds(60), "topic " + TOPIC + " created on the managed cluster",
                            () -> admin.listTopics().names().toCompletionStage().toCompletableFuture().join().contains(TOPIC));

                    Command upgrade = Commands.on(CLUSTER).issuer("test").commandId("upgrade-" + unique).upgradeKafka("4.3.1");
                    try (AckedWriter writer = new AckedWriter(brokers, TOPIC, security);
                         PodWatch brokersDown = new PodWatch(kube.client(), CLUSTER, BROKERS);
                         PodWatch allPods = new PodWatch(kube.client(), CLUSTER, concat(CONTROLLERS, BROKERS))) {
                        writer.awaitAcked(200, Duration.ofSeconds(60));
                        send(commands, upgrade);
                        // mid-way: one broker restarted and back, the next one started
                        ClusterState midway = log.awaitState(CLUSTER, Duration.ofSeconds(180), "one broker restarted, the next one started",
                                s -> running(s, upgrade) && brokerSteps(s, st -> true) >= 2 && brokerSteps(s, st -> "FINISHED".equals(st.getState())) >= 1);
                        first.kill();

                        second = NodeProcess.start(launch, "coxswain-2");
                        ClusterState done = log.awaitState(CLUSTER, Duration.ofSeconds(240), "the upgrade SUCCEEDED and Ready", s -> s.getStatus().getOperation() != null
                                && upgrade.getCommandId().equals(s.getStatus().getOperation().getCauseCommandId())
                                && "SUCCEEDED".equals(s.getStatus().getOperation().getState()) && "Ready".equals(s.getStatus().getPhase()));
                        assertThat(done.getStatus().getOperation().getOperationId()).as("the same operation, resumed")
                                .isEqualTo(midway.getStatus().getOperation().getOperationId());
                        assertThat(done.getStatus().getComponents().get("brokers").getVersions()).containsExactly("4.3.1");

                        AckedWriter.Result written = writer.stopAndReadBack(Duration.ofSeconds(60));
                        assertThat(written.failed()).as("failed writes").isZero();
                        assertThat(written.missing()).as("acknowledged records not read back").isZero();
                        assertThat(brokersDown.maxDown()).as("brokers down at once").isLessThanOrEqualTo(1);
                        // every pod restarted exactly once: one RESTART recorded, and one new pod object (uid) in Kubernetes
                        Map<String, Long> restarts = log.actions(CLUSTER).stream()
                                .filter(a -> a.getAction() == ResourceAction.RESTART && upgrade.getCommandId().equals(a.getCauseCommandId()))
                                .collect(Collectors.groupingBy(ResourceActionObserved::getName, Collectors.counting()));
                        assertThat(restarts).containsOnlyKeys(concat(CONTROLLERS, BROKERS)).allSatisfy((pod, n) -> assertThat(n).as(pod).isEqualTo(1L));
                        assertThat(allPods.incarnations()).hasSize(6).allSatisfy((pod, n) -> assertThat(n).as(pod + " objects").isEqualTo(2));
                    }
                }
            } finally {
                first.stop();
                if (second != null) {
                    second.stop();
                }
            }
        } finally {
            SharedKafka.deleteQuietly(root);
        }
    }

    private static void send(CommandClient commands, Command c) {
        assertThat(commands.send(c).toCompletableFuture().join()).as(c.getCommandId()).isInstanceOf(Outcome.Accepted.class);
    }

    private static boolean running(ClusterState s, Command cause) {
        OperationStatus op = s.getStatus().getOperation();
        return op != null && cause.getCommandId().equals(op.getCauseCommandId()) && "RUNNING".equals(op.getState());
    }

    /** Distinct brokers with a restart step matching {@code which} in the operation's recent steps. */
    private static long brokerSteps(ClusterState s, Predicate<io.coxswain.avro.state.StepStatus> which) {
        return s.getStatus().getOperation().getSteps().stream().filter(st -> st.getStep().startsWith("restart pay-broker-")).filter(which)
                .map(io.coxswain.avro.state.StepStatus::getStep).distinct().count();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
