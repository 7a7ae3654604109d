package io.coxswain.orchestrator.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.operations.Decision.Verdict;
import io.coxswain.orchestrator.operations.balance.BalancePlan;
import io.coxswain.orchestrator.operations.balance.BalancePlanner;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import io.coxswain.orchestrator.operations.balance.ReassignmentProgress;
import io.coxswain.orchestrator.operations.checks.ActiveController;
import io.coxswain.orchestrator.operations.checks.BrokerHoldsNoReplicas;
import io.coxswain.orchestrator.operations.checks.CanRollBroker;
import io.coxswain.orchestrator.operations.checks.ClusterHealthy;
import io.coxswain.orchestrator.operations.checks.ControllerQuorumCaughtUp;
import io.coxswain.sandbox.kafka.SharedKafka;
import io.coxswain.sandbox.kafkapods.KafkaNodes;
import io.coxswain.sandbox.kafkapods.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checks and the reassignment executor against a REAL cluster of separate controllers and
 * brokers (sandbox's in-process Kafka nodes), shared by the tests of this class. Each test leaves
 * the cluster healthy.
 */
class RealClusterOperationsTest {

    private static final Duration T = Duration.ofSeconds(15);
    private static Path root;
    private static KafkaNodes nodes;
    private static LocalCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() throws Exception {
        root = Files.createTempDirectory("ops-cluster");
        nodes = KafkaNodes.inProcess();
        cluster = new LocalCluster(nodes, "ops", "orders", 3, root, Map.of("min.insync.replicas", "2"));
        cluster.startAll(3, Duration.ofSeconds(90));
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        nodes.close();
        SharedKafka.deleteQuietly(root);
    }

    @Test
    void canRollAnyBrokerOfAHealthyRf3Cluster() throws Exception {
        createTopic("healthy", 3);
        awaitTrue("cluster healthy", () -> ClusterHealthy.expecting(brokersNow()).check(admin, T).allowed());
        for (int b : brokersNow()) {
            Decision d = CanRollBroker.of(b).check(admin, T);
            assertThat(d.verdict()).as(d.toString()).isEqualTo(Verdict.GO);
        }
    }

    @Test
    void cannotRollASecondBrokerWhileOneIsDown() throws Exception {
        createTopic("guarded", 3);
        awaitTrue("cluster healthy", () -> ClusterHealthy.expecting(brokersNow()).check(admin, T).allowed());
        cluster.stopBroker(2, Duration.ofSeconds(20)).toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            awaitTrue("broker 2 out of the ISR of guarded-0", () -> !CanRollBroker.of(0).check(admin, T).allowed());
            Decision d = CanRollBroker.of(0).check(admin, T);
            assertThat(d.verdict()).isEqualTo(Verdict.BLOCKED);
            assertThat(d.reason()).contains("guarded-0", "brokers [2] out of sync", "min.insync.replicas=2");
            // a stopped broker stays registered, fenced, until it is unregistered
            assertThat(ClusterHealthy.expecting(Set.of(0, 1, 2)).check(admin, T).reason()).contains("broker 2 is registered but fenced");
            // the broker that is down may restart: it is the only one missing, so no ISR can shrink
            assertThat(CanRollBroker.of(2).check(admin, T).allowed()).isTrue();
        } finally {
            cluster.startBroker(2).toCompletableFuture().get(90, TimeUnit.SECONDS);
        }
        awaitTrue("cluster healthy again", () -> ClusterHealthy.expecting(brokersNow()).check(admin, T).allowed());
        assertThat(CanRollBroker.of(0).check(admin, T).allowed()).isTrue();
    }

    @Test
    void theQuorumIsCaughtUpAndItsLeaderRollsLast() {
        ActiveController active = ActiveController.find(admin, T);
        assertThat(active.known()).as(active.reason()).isTrue();
        int leader = active.leader().getAsInt();
        assertThat(active.rollOrder(List.of(1000, 1001, 1002))).endsWith(leader).hasSize(3);
        for (int c : List.of(1000, 1001, 1002)) {
            awaitTrue("controller " + c + " may roll", () -> ControllerQuorumCaughtUp.of(c).check(admin, T).allowed());
        }
    }

    @Test
    void aThrottledReassignmentMovesReplicasToANewBrokerAndRemovesTheThrottle() throws Exception {
        createTopic("moving", 3);
        produce("moving", 200);
        cluster.startBroker(3).toCompletableFuture().get(90, TimeUnit.SECONDS);
        awaitTrue("broker 3 registered", () -> ClusterHealthy.expecting(Set.of(0, 1, 2, 3)).check(admin, T).allowed());
        assertThat(BrokerHoldsNoReplicas.of(3).check(admin, T).allowed()).isTrue();

        ClusterSnapshot snapshot = ClusterSnapshot.read(admin, T);
        BalancePlan plan = BalancePlanner.over(snapshot.brokers().keySet()).plan(snapshot.assignments());
        assertThat(plan.replicaMoves()).as(plan.summary()).isPositive();
        assertThat(plan.replicasPerBroker().get(3)).isPositive();

        ReassignmentExecutor executor = ReassignmentExecutor.of(admin, plan, T);
        executor.throttle(5_000_000);
        awaitTrue("throttle visible on broker 3, has " + brokerConfig(3).keySet(),
                () -> brokerConfig(3).containsKey(ReassignmentExecutor.FOLLOWER_RATE));
        assertThat(brokerConfig(3).get(ReassignmentExecutor.FOLLOWER_RATE).value()).isEqualTo("5000000");
        assertThat(executor.submit()).isNotEmpty();
        List<ReassignmentProgress> seen = new ArrayList<>();
        ReassignmentProgress end = executor.awaitDone(Duration.ofSeconds(60), Duration.ofMillis(200), seen::add);
        assertThat(end.done()).as(end.toString()).isTrue();
        executor.removeThrottle();
        executor.electPreferredLeaders();

        // each broker's metadata cache, which describeConfigs reads, takes the removal shortly after the controller does
        awaitTrue("throttle gone from brokers 3 and 0", () -> brokerConfig(3).get(ReassignmentExecutor.FOLLOWER_RATE) == null
                && brokerConfig(0).get(ReassignmentExecutor.LEADER_RATE) == null);
        awaitTrue("throttled replicas gone from topic moving", () -> {
            Config topic = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "moving"))).all()
                    .toCompletionStage().toCompletableFuture().join().values().iterator().next();
            return topic.get(ReassignmentExecutor.LEADER_REPLICAS).value().isEmpty();
        });
        assertThat(BrokerHoldsNoReplicas.of(3).check(admin, T).allowed()).isFalse();
        ClusterSnapshot after = ClusterSnapshot.read(admin, T);
        plan.changes().forEach((tp, target) -> assertThat(after.partitions().get(tp).replicas()).isEqualTo(target));
        awaitTrue("healthy after the move", () -> ClusterHealthy.expecting(Set.of(0, 1, 2, 3)).check(admin, T).allowed());
    }

    private static Set<Integer> brokersNow() {
        return ClusterSnapshot.read(admin, T).brokers().keySet();
    }

    private static Map<String, org.apache.kafka.clients.admin.ConfigEntry> brokerConfig(int broker) {
        Config config;
        try {
            config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker))))
                    .all().get().values().iterator().next();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Map<String, org.apache.kafka.clients.admin.ConfigEntry> entries = new java.util.HashMap<>();
        config.entries().stream().filter(e -> e.value() != null).forEach(e -> entries.put(e.name(), e));
        return entries;
    }

    private static void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
    }

    private static void produce(String topic, int records) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "x".repeat(1000)));
            }
            producer.flush();
        }
    }

    /** Polls until true or 60 s have passed: Kafka settles asynchronously (ISR changes, registrations). */
    private static void awaitTrue(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

}
