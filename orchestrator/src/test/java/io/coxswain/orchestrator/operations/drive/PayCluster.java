package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.sandbox.kafka.AckedWriter;
import io.coxswain.sandbox.kube.PodWatch;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The cluster {@link DriveEndToEndTest} drives: "pay", of REAL Kafka nodes (3 controllers, 3 brokers) in a
 * {@link DriveWorld} with an executor, and its topic "orders"; with what its tests read it through (the
 * executor's actions, restarts by cause, pods and their uids, broker configs) and the acks=all writer
 * whose every acknowledged record must be read back.
 */
final class PayCluster implements AutoCloseable {

    static final String CLUSTER = "pay";
    static final String TOPIC = "orders";
    /** The brokers it is created with, and has again after the scale-in. */
    static final List<String> BROKERS = List.of("pay-broker-0", "pay-broker-1", "pay-broker-2");

    final DriveWorld world;
    Admin admin;

    PayCluster() throws Exception {
        world = new DriveWorld();
    }

    /** Creates the cluster through its executor "exec-a", waits until it is Ready and its topic exists. */
    void createReady() {
        world.startExecutor("exec-a");
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("create").createCluster("4.2.0", 3, 3, "1Gi")))
                .isInstanceOf(Outcome.Accepted.class);
        world.awaitState(CLUSTER, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("topic").createTopic(TOPIC, 6, 3, Map.of("min.insync.replicas", "2"))))
                .isInstanceOf(Outcome.Accepted.class);
        admin = world.admin(CLUSTER, 3);
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic " + TOPIC + " created by the executor", () -> topics().contains(TOPIC));
    }

    /** A command on the cluster by issuer "test", its id {@code idPrefix} and a random suffix. */
    static CommandBuilder command(String idPrefix) {
        return Commands.on(CLUSTER).issuer("test").commandId(idPrefix + UUID.randomUUID());
    }

    void sendAccepted(Command command) {
        assertThat(world.send(command)).isInstanceOf(Outcome.Accepted.class);
    }

    ClusterState state() {
        return world.state(CLUSTER).orElseThrow();
    }

    ClusterState awaitState(Duration timeout, String what, Predicate<ClusterState> condition) {
        return world.awaitState(CLUSTER, timeout, what, condition);
    }

    ClusterState awaitSucceeded(String operation) {
        return awaitState(Duration.ofSeconds(240), operation + " SUCCEEDED and Ready", s -> s.getStatus().getOperation() != null
                && operation.equals(s.getStatus().getOperation().getOperation()) && "SUCCEEDED".equals(s.getStatus().getOperation().getState())
                && "Ready".equals(s.getStatus().getPhase()));
    }

    List<ResourceActionObserved> actions() {
        return world.actions(CLUSTER);
    }

    Set<String> topics() {
        return admin.listTopics().names().toCompletionStage().toCompletableFuture().join();
    }

    Config brokerConfig(int broker) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker));
        return admin.describeConfigs(List.of(r)).all().toCompletionStage().toCompletableFuture().join().get(r);
    }

    /** Pod name → uid: a restarted pod is a new object with a new uid. */
    Map<String, String> podUids() {
        return world.kube.client().pods().inNamespace(CLUSTER).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    }

    Map<String, String> controllerUids() {
        return podUids().entrySet().stream().filter(e -> e.getKey().contains("-controller-"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    Map<String, Long> restartsFor(String causeCommandId) {
        return actions().stream().filter(a -> a.getAction() == ResourceAction.RESTART && causeCommandId.equals(a.getCauseCommandId()))
                .collect(Collectors.groupingBy(ResourceActionObserved::getName, Collectors.counting()));
    }

    /** Every broker, and nothing else, restarted exactly once for {@code causeCommandId}. */
    void assertEachBrokerRestartedOnce(String causeCommandId) {
        assertThat(restartsFor(causeCommandId)).containsOnlyKeys(BROKERS).allSatisfy((pod, n) -> assertThat(n).as(pod).isEqualTo(1L));
    }

    /** How many times the topics made behind Coxswain's back were recorded (RecordObservation of a TopicsObserved). */
    long unmanagedRecords() {
        return world.commandLog().stream().filter(c -> c.getClusterId().equals(CLUSTER) && c.getPayload() instanceof RecordObservation o
                && o.getObservation() instanceof TopicsObserved).count();
    }

    /** Writing to "orders" with acks=all, its first 200 records acknowledged. */
    AckedWriter writer() {
        AckedWriter w = new AckedWriter(world.bootstrap(CLUSTER, 3), TOPIC, world.clientSecurity(CLUSTER));
        w.awaitAcked(200, Duration.ofSeconds(60));
        return w;
    }

    /** Zero failed writes, zero acknowledged records lost. */
    static void check(AckedWriter writer) throws InterruptedException {
        AckedWriter.Result r = writer.stopAndReadBack(Duration.ofSeconds(60));
        assertThat(r.failed()).as("failed writes").isZero();
        assertThat(r.missing()).as("acknowledged records not read back").isZero();
    }

    PodWatch brokersDown() {
        return new PodWatch(world.kube.client(), CLUSTER, BROKERS);
    }

    /**
     * Creates {@code topic} (6 partitions, 2 replicas) and moves its replicas onto brokers 0 and 1 only, as
     * hand-made reassignments or a broker replaced leave them; returns once the reassignment is done.
     */
    void createSkewedTopic(String topic) {
        sendAccepted(Commands.on(CLUSTER).issuer("test").commandId(topic).createTopic(topic, 6, 2, Map.of()));
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic " + topic + " created", () -> topics().contains(topic));
        Map<TopicPartition, Optional<NewPartitionReassignment>> skew = new HashMap<>();
        for (int p = 0; p < 6; p++) {
            skew.put(new TopicPartition(topic, p), Optional.of(new NewPartitionReassignment(p % 2 == 0 ? List.of(0, 1) : List.of(1, 0))));
        }
        admin.alterPartitionReassignments(skew).all().toCompletionStage().toCompletableFuture().join();
        DriveWorld.await(Duration.ofSeconds(60), () -> "skew in place", () -> ClusterSnapshot.read(admin, Duration.ofSeconds(15)).partitionsOn(2)
                .stream().noneMatch(p -> p.partition().topic().equals(topic)) && admin.listPartitionReassignments().reassignments()
                .toCompletionStage().toCompletableFuture().join().isEmpty());
    }

    /** Replicas (or preferred leaders) per broker, 0 to 2. */
    static Map<Integer, Integer> perBroker(Map<TopicPartition, List<Integer>> assignments, boolean leadersOnly) {
        Map<Integer, Integer> counts = new TreeMap<>(Map.of(0, 0, 1, 0, 2, 0));
        assignments.values().forEach(rs -> (leadersOnly ? rs.subList(0, 1) : rs).forEach(b -> counts.merge(b, 1, Integer::sum)));
        return counts;
    }

    static int spread(Map<Integer, Integer> counts) {
        return Collections.max(counts.values()) - Collections.min(counts.values());
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        world.close();
    }
}
