package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import io.coxswain.orchestrator.operations.config.DynamicConfigs;
import io.coxswain.sandbox.kafka.AckedWriter;
import io.coxswain.sandbox.kube.PodWatch;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 5 end to end: one cluster of REAL Kafka nodes (3 controllers, 3 brokers) in the sandbox,
 * shared by the tests in order; each leaves it Ready. A producer writes with acks=all through the
 * rolling operations; every acknowledged record must be read back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriveEndToEndTest {

    private static final String CLUSTER = "pay";
    private static final String TOPIC = "orders";
    private static DriveWorld world;
    private static Admin admin;

    @BeforeAll
    static void createCluster() throws Exception {
        world = new DriveWorld();
        world.startExecutor("exec-a");
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("create").createCluster("4.2.0", 3, 3, "1Gi")))
                .isInstanceOf(Outcome.Accepted.class);
        world.awaitState(CLUSTER, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("topic").createTopic(TOPIC, 6, 3, Map.of("min.insync.replicas", "2"))))
                .isInstanceOf(Outcome.Accepted.class);
        admin = world.admin(CLUSTER, 3);
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic " + TOPIC + " created by the executor",
                () -> admin.listTopics().names().toCompletionStage().toCompletableFuture().join().contains(TOPIC));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    @Order(1)
    void rollingUpgradeKeepsEveryWriteAndResumesAfterTheExecutorIsKilled() throws Exception {
        try (AckedWriter writer = writer(); PodWatch down = brokersDown()) {
            Command upgrade = Commands.on(CLUSTER).issuer("test").commandId("upgrade-" + UUID.randomUUID()).upgradeKafka("4.3.1");
            assertThat(world.send(upgrade)).isInstanceOf(Outcome.Accepted.class);
            // kill the executor once it has started on the brokers, and let a fresh one take over
            world.awaitState(CLUSTER, Duration.ofSeconds(180), "restarting a broker", s -> s.getStatus().getOperation() != null
                    && s.getStatus().getOperation().getSteps().stream().anyMatch(st -> st.getStep().contains("-broker-")));
            world.killExecutor();
            world.startExecutor("exec-b");
            ClusterState done = awaitSucceeded("RollingUpgrade");
            assertThat(done.getStatus().getComponents().get("brokers").getVersions()).containsExactly("4.3.1");
            check(writer);
            assertThat(down.maxDown()).isLessThanOrEqualTo(1);
            Map<String, Long> restarts = restartsFor(upgrade.getCommandId());
            assertThat(restarts).hasSize(6).allSatisfy((pod, n) -> assertThat(n).as(pod).isEqualTo(1L));
            // one binary in the sandbox: the bump is recorded and leaves the binary's latest production level
            assertThat(done.getStatus().getOperation().getSteps()).anySatisfy(st -> {
                assertThat(st.getStep()).isEqualTo(MetadataVersionBump.STEP);
                assertThat(st.getState()).isEqualTo("FINISHED");
            });
            short level = admin.describeFeatures().featureMetadata().toCompletionStage().toCompletableFuture().join()
                    .finalizedFeatures().get(MetadataVersionBump.FEATURE).maxVersionLevel();
            assertThat(level).isEqualTo(MetadataVersion.latestProduction().featureLevel());
        }
    }

    @Test
    @Order(2)
    void rollingConfigChangeKeepsEveryWrite() throws Exception {
        try (AckedWriter writer = writer(); PodWatch down = brokersDown()) {
            Command change = Commands.on(CLUSTER).issuer("test").commandId("config-" + UUID.randomUUID())
                    .updateBrokerConfig(Map.of("log.roll.hours", "100"), List.of());
            assertThat(world.send(change)).isInstanceOf(Outcome.Accepted.class);
            awaitSucceeded("Reconfigure");
            check(writer);
            assertThat(down.maxDown()).isLessThanOrEqualTo(1);
            assertThat(restartsFor(change.getCommandId())).containsOnlyKeys("pay-broker-0", "pay-broker-1", "pay-broker-2");
            assertThat(world.actions(CLUSTER).stream().filter(a -> change.getCommandId().equals(a.getCauseCommandId()))
                    .filter(a -> a.getAction() == ResourceAction.RESTART)).allMatch(a -> "ConfigChanged".equals(a.getReason()));
        }
    }

    @Test
    @Order(3)
    void dynamicConfigChangeIsAppliedLiveWithoutRestartingAnyPod() {
        String key = "message.max.bytes";
        assertThat(DynamicConfigs.modeOf(key)).isEqualTo(DynamicConfigs.Mode.CLUSTER_WIDE);
        Map<String, String> uidsBefore = podUids();
        Command change = Commands.on(CLUSTER).issuer("test").commandId("live-" + UUID.randomUUID())
                .updateBrokerConfig(Map.of("log.roll.hours", "100", key, "2000000"), List.of()); // the restart key as test 2 left it
        assertThat(world.send(change)).isInstanceOf(Outcome.Accepted.class);
        DriveWorld.await(Duration.ofSeconds(60), () -> key + " live on every broker", () -> List.of(0, 1, 2).stream()
                .allMatch(b -> "2000000".equals(brokerConfig(b).get(key).value())));
        assertThat(world.actions(CLUSTER)).anySatisfy(a -> {
            assertThat(a.getAction()).isEqualTo(ResourceAction.APPLY);
            assertThat(a.getCauseCommandId()).isEqualTo(change.getCommandId());
            assertThat(a.getDetail()).contains(key);
        });
        // new pods get the value from their ConfigMap
        ClusterNames names = ClusterNames.of(CLUSTER, CLUSTER);
        Map<String, String> files = world.kube.client().configMaps().inNamespace(names.namespace()).withName(names.configMap(KafkaRole.BROKER))
                .get().getData();
        assertThat(files).containsKeys("server-0.properties", "server-1.properties", "server-2.properties");
        assertThat(files.entrySet().stream().filter(f -> f.getKey().startsWith("server-")))
                .allSatisfy(f -> assertThat(f.getValue()).as(f.getKey()).contains(key + "=2000000"));
        assertThat(restartsFor(change.getCommandId())).isEmpty();
        assertThat(podUids()).isEqualTo(uidsBefore);
        assertThat(world.state(CLUSTER).orElseThrow().getStatus().getOperation().getCauseCommandId()).isNotEqualTo(change.getCommandId());
    }

    @Test
    @Order(4)
    void scaleOutMovesDataToTheNewBrokers() {
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("out-" + UUID.randomUUID()).scaleBrokers(5)))
                .isInstanceOf(Outcome.Accepted.class);
        ClusterState s = awaitSucceeded("ScaleOut");
        assertThat(s.getStatus().getOperation().getTotal()).isPositive();
        ClusterSnapshot snap = ClusterSnapshot.read(admin, Duration.ofSeconds(15));
        assertThat(snap.partitionsOn(3)).isNotEmpty();
        assertThat(snap.partitionsOn(4)).isNotEmpty();
    }

    @Test
    @Order(5)
    void scaleInBelowTheReplicationFactorIsRefused() {
        Outcome o = world.send(Commands.on(CLUSTER).issuer("test").commandId("in2-" + UUID.randomUUID()).scaleBrokers(2));
        assertThat(o).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo(RejectionCode.REPLICAS_WOULD_NOT_FIT));
    }

    @Test
    @Order(6)
    void scaleInDrainsTheHighestBrokersWithoutLosingData() throws Exception {
        try (AckedWriter writer = writer()) {
            assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("in-" + UUID.randomUUID()).scaleBrokers(3)))
                    .isInstanceOf(Outcome.Accepted.class);
            awaitSucceeded("ScaleIn");
            world.awaitState(CLUSTER, Duration.ofSeconds(60), "3 brokers Ready", s -> "Ready".equals(s.getStatus().getPhase())
                    && s.getStatus().getComponents().get("brokers").getDesired() == 3);
            check(writer);
            ClusterSnapshot snap = ClusterSnapshot.read(admin, Duration.ofSeconds(15));
            assertThat(snap.brokers().keySet()).containsExactly(0, 1, 2);
            // the drained brokers' volumes go with them; the remaining brokers keep theirs
            assertThat(world.kube.client().persistentVolumeClaims().inNamespace(CLUSTER).list().getItems().stream()
                    .filter(c -> c.getMetadata().getDeletionTimestamp() == null).map(c -> c.getMetadata().getName())
                    .filter(n -> n.startsWith("data-pay-broker-"))).containsExactlyInAnyOrder("data-pay-broker-0", "data-pay-broker-1", "data-pay-broker-2");
            assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getAction() == ResourceAction.DELETE && "PersistentVolumeClaim".equals(a.getKind()))
                    .extracting(ResourceActionObserved::getName).containsExactlyInAnyOrder("data-pay-broker-3", "data-pay-broker-4");
            // and so do their certificates, once the StatefulSet no longer runs their pods
            DriveWorld.await(Duration.ofSeconds(60), () -> "the removed brokers' certificates recorded as removed", () -> world.actions(CLUSTER).stream()
                    .anyMatch(a -> a.getAction() == ResourceAction.UPDATE && "pay-kafka-tls".equals(a.getName())
                            && a.getReason().contains("removes the certificates of pods pay-broker-3, pay-broker-4")));
            assertThat(TlsSecrets.decoded(world.kube.client().secrets().inNamespace(CLUSTER).withName("pay-kafka-tls").get()))
                    .containsKeys("pay-broker-0.crt", "pay-broker-1.crt", "pay-broker-2.crt").doesNotContainKeys("pay-broker-3.crt", "pay-broker-4.crt");
        }
    }

    @Test
    @Order(7)
    void aRequestedRebalanceSpreadsReplicasAndLeadersEvenlyUnderItsThrottleAndSaysWhereTheDataIs() throws Exception {
        // a topic whose replicas sit on brokers 0 and 1 only, as hand-made reassignments or a broker replaced leave them
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("skewed").createTopic("skewed", 6, 2, Map.of())))
                .isInstanceOf(Outcome.Accepted.class);
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic skewed created",
                () -> admin.listTopics().names().toCompletionStage().toCompletableFuture().join().contains("skewed"));
        Map<TopicPartition, Optional<NewPartitionReassignment>> skew = new HashMap<>();
        for (int p = 0; p < 6; p++) {
            skew.put(new TopicPartition("skewed", p), Optional.of(new NewPartitionReassignment(p % 2 == 0 ? List.of(0, 1) : List.of(1, 0))));
        }
        admin.alterPartitionReassignments(skew).all().toCompletionStage().toCompletableFuture().join();
        DriveWorld.await(Duration.ofSeconds(60), () -> "skew in place", () -> ClusterSnapshot.read(admin, Duration.ofSeconds(15)).partitionsOn(2)
                .stream().noneMatch(p -> p.partition().topic().equals("skewed")) && admin.listPartitionReassignments().reassignments()
                .toCompletionStage().toCompletableFuture().join().isEmpty());
        assertThat(spread(perBroker(ClusterSnapshot.read(admin, Duration.ofSeconds(15)).assignments(), false))).as("replicas skewed").isGreaterThan(2);

        try (AckedWriter writer = writer()) {
            Command rebalance = Commands.on(CLUSTER).issuer("alice").commandId("rebalance-" + UUID.randomUUID())
                    .rebalanceCluster("skewed topic made by hand", 10L * 1024 * 1024);
            assertThat(world.send(rebalance)).isInstanceOf(Outcome.Accepted.class);
            ClusterState done = awaitSucceeded("Rebalance");
            check(writer);
            assertThat(done.getStatus().getOperation().getCauseCommandId()).isEqualTo(rebalance.getCommandId());
            assertThat(done.getSpec().getRebalance()).as("the request is settled").isNull();
            assertThat(done.getStatus().getOperation().getSteps()).anySatisfy(step -> {
                assertThat(step.getStep()).isEqualTo("rebalance");
                assertThat(step.getState()).isEqualTo("STARTED");
                assertThat(step.getReason()).contains("replica(s) copied", "throttled at 10485760 bytes/s per broker");
            });
            Map<TopicPartition, List<Integer>> now = ClusterSnapshot.read(admin, Duration.ofSeconds(15)).assignments();
            assertThat(spread(perBroker(now, false))).as("replicas per broker " + perBroker(now, false)).isLessThanOrEqualTo(1);
            assertThat(spread(perBroker(now, true))).as("preferred leaders per broker " + perBroker(now, true)).isLessThanOrEqualTo(1);
            assertThat(done.getStatus().getOperation().getReason()).as("where the data is now, for the person who asked")
                    .contains("replicas per broker " + perBroker(now, false), "leaders per broker " + perBroker(now, true));
        }
        DriveWorld.await(Duration.ofSeconds(30), () -> "throttles removed", () -> List.of(0, 1, 2).stream()
                .map(b -> brokerConfig(b).get(ReassignmentExecutor.FOLLOWER_RATE))
                .allMatch(rate -> rate == null || rate.source() != ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG));
        // one replica topics would stop the later rolls at CanRollBroker; two are fine, but the later tests count topics
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("drop-skewed").deleteTopic("skewed"))).isInstanceOf(Outcome.Accepted.class);
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic skewed deleted",
                () -> !admin.listTopics().names().toCompletionStage().toCompletableFuture().join().contains("skewed"));
    }

    /** Replicas (or preferred leaders) per broker, 0 to 2. */
    private static Map<Integer, Integer> perBroker(Map<TopicPartition, List<Integer>> assignments, boolean leadersOnly) {
        Map<Integer, Integer> counts = new TreeMap<>(Map.of(0, 0, 1, 0, 2, 0));
        assignments.values().forEach(rs -> (leadersOnly ? rs.subList(0, 1) : rs).forEach(b -> counts.merge(b, 1, Integer::sum)));
        return counts;
    }

    private static int spread(Map<Integer, Integer> counts) {
        return Collections.max(counts.values()) - Collections.min(counts.values());
    }

    @Test
    @Order(8)
    void aPodThatNeverBecomesReadyStopsTheRollInAFailedStep() {
        // it leaves the operation FAILED for the retry. A short step timeout, as a person would not wait 2 minutes in a test
        world.killExecutor();
        world.startExecutor("exec-c", Duration.ofSeconds(25));
        world.kube.setNeverReady(pod -> pod.equals("pay-broker-0")); // pods Ready now stay Ready; a re-created broker-0 never is
        Command change = Commands.on(CLUSTER).issuer("test").commandId("stuck-" + UUID.randomUUID())
                .updateBrokerConfig(Map.of("log.roll.hours", "101"), List.of());
        assertThat(world.send(change)).isInstanceOf(Outcome.Accepted.class);

        ClusterState failed = world.awaitState(CLUSTER, Duration.ofSeconds(90), "Reconfigure FAILED", s -> s.getStatus().getOperation() != null
                && change.getCommandId().equals(s.getStatus().getOperation().getCauseCommandId())
                && "FAILED".equals(s.getStatus().getOperation().getState()));
        assertThat(failed.getStatus().getOperation().getSteps()).anySatisfy(st -> {
            assertThat(st.getStep()).isEqualTo("restart pay-broker-0");
            assertThat(st.getState()).isEqualTo("FAILED");
            assertThat(st.getReason()).contains("gave up after 25 s").contains("pay-broker-0 Ready");
        });
        assertThat(restartsFor(change.getCommandId())).containsExactly(Map.entry("pay-broker-0", 1L));

        // released, the pod becomes Ready; the failed operation still waits for a person: no other broker rolls
        world.kube.setNeverReady(pod -> false);
        DriveWorld.await(Duration.ofSeconds(60), () -> "pay-broker-0 Ready again", () -> ClusterPods.read(world.kube.client(),
                ClusterNames.of(CLUSTER, CLUSTER)).named("pay-broker-0").filter(ClusterPods.NodePod::ready).isPresent());
        world.awaitState(CLUSTER, Duration.ofSeconds(30), "brokers observed Ready", s -> s.getStatus().getComponents().get("brokers").getReady() == 3);
        assertThat(restartsFor(change.getCommandId())).containsExactly(Map.entry("pay-broker-0", 1L));
        assertThat(world.state(CLUSTER).orElseThrow().getStatus().getOperation().getState()).isEqualTo("FAILED");
    }

    @Test
    @Order(9)
    void aRetriedOperationResumesAtTheFailedStepAndRestartsEachPodOnce() throws Exception {
        ClusterState failed = world.state(CLUSTER).orElseThrow();
        String operationId = failed.getStatus().getOperation().getOperationId();
        String cause = failed.getStatus().getOperation().getCauseCommandId();
        try (AckedWriter writer = writer(); PodWatch down = brokersDown()) {
            // the same executor that recorded the failure: it takes the retry as a new attempt, not as the attempt it ended
            assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("retry-" + UUID.randomUUID())
                    .retryOperation(operationId, "pay-broker-0 fixed"))).isInstanceOf(Outcome.Accepted.class);
            ClusterState done = awaitSucceeded("Reconfigure");
            assertThat(done.getStatus().getOperation().getOperationId()).isEqualTo(operationId);
            assertThat(done.getStatus().getOperation().getAttempt()).isEqualTo(2);
            check(writer);
            assertThat(down.maxDown()).isLessThanOrEqualTo(1);
        }
        // the failed step is finished (its pod was already restarted), then the rest: every broker restarted exactly once
        assertThat(restartsFor(cause)).containsOnlyKeys("pay-broker-0", "pay-broker-1", "pay-broker-2")
                .allSatisfy((pod, n) -> assertThat(n).as(pod).isEqualTo(1L));
        assertThat(world.state(CLUSTER).orElseThrow().getStatus().getOperation().getSteps()).anySatisfy(st -> {
            assertThat(st.getStep()).isEqualTo("restart pay-broker-0");
            assertThat(st.getState()).isEqualTo("FINISHED");
        });
    }

    @Test
    @Order(10)
    void aManualRestartRollsTheBrokersOneAtATimeWithReasonManual() throws Exception {
        Map<String, String> controllersBefore = podUids().entrySet().stream().filter(e -> e.getKey().contains("-controller-"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        Command restart = Commands.on(CLUSTER).issuer("test").commandId("restart-" + UUID.randomUUID()).restartCluster("brokers", "rotate JVMs");
        try (AckedWriter writer = writer(); PodWatch down = brokersDown()) {
            assertThat(world.send(restart)).isInstanceOf(Outcome.Accepted.class);
            awaitSucceeded("RollingRestart");
            check(writer);
            assertThat(down.maxDown()).isLessThanOrEqualTo(1);
        }
        assertThat(restartsFor(restart.getCommandId())).containsOnlyKeys("pay-broker-0", "pay-broker-1", "pay-broker-2")
                .allSatisfy((pod, n) -> assertThat(n).as(pod).isEqualTo(1L));
        assertThat(world.actions(CLUSTER)).filteredOn(a -> restart.getCommandId().equals(a.getCauseCommandId()) && a.getAction() == ResourceAction.RESTART)
                .allSatisfy(a -> assertThat(a.getReason()).isEqualTo("Manual"));
        assertThat(podUids()).containsAllEntriesOf(controllersBefore);
    }

    @Test
    @Order(11)
    void aNewBrokerSizingRollsTheBrokersOneAtATimeNamingTheChange() throws Exception {
        Map<String, String> controllersBefore = podUids().entrySet().stream().filter(e -> e.getKey().contains("-controller-"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        Command resize = Commands.on(CLUSTER).issuer("test").commandId("resize-" + UUID.randomUUID())
                .updateResources("brokers", null, null, "4Gi", "3g");
        try (AckedWriter writer = writer(); PodWatch down = brokersDown()) {
            assertThat(world.send(resize)).isInstanceOf(Outcome.Accepted.class);
            ClusterState done = awaitSucceeded("Reconfigure");
            check(writer);
            assertThat(down.maxDown()).as("one broker at a time").isLessThanOrEqualTo(1);
            assertThat(done.getStatus().getOperation().getCauseCommandId()).isEqualTo(resize.getCommandId());
            assertThat(done.getStatus().getOperation().getSteps()).filteredOn(st -> "STARTED".equals(st.getState()))
                    .extracting(st -> st.getStep()).containsExactly("restart pay-broker-0", "restart pay-broker-1", "restart pay-broker-2");
            assertThat(done.getStatus().getOperation().getSteps()).filteredOn(st -> "STARTED".equals(st.getState()))
                    .allSatisfy(st -> assertThat(st.getReason()).startsWith("resources changed: memory 2Gi → 4Gi, heap 1g → 3g; "));
        }
        assertThat(restartsFor(resize.getCommandId())).containsOnlyKeys("pay-broker-0", "pay-broker-1", "pay-broker-2")
                .allSatisfy((pod, n) -> assertThat(n).as(pod).isEqualTo(1L));
        assertThat(world.actions(CLUSTER)).filteredOn(a -> resize.getCommandId().equals(a.getCauseCommandId()) && a.getAction() == ResourceAction.RESTART)
                .allSatisfy(a -> {
                    assertThat(a.getReason()).isEqualTo("ResourcesChanged");
                    assertThat(a.getDetail()).contains("resources changed: memory 2Gi → 4Gi, heap 1g → 3g");
                });
        var template = world.kube.client().apps().statefulSets().inNamespace(CLUSTER).withName("pay-broker").get().getSpec().getTemplate();
        assertThat(template.getSpec().getContainers().get(0).getResources().getLimits().get("memory")).hasToString("4Gi");
        assertThat(template.getSpec().getContainers().get(0).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("KAFKA_HEAP_OPTS");
            assertThat(e.getValue()).isEqualTo("-Xms3g -Xmx3g");
        });
        assertThat(world.kube.client().pods().inNamespace(CLUSTER).list().getItems()).filteredOn(p -> p.getMetadata().getName().contains("-broker-"))
                .hasSize(3).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getResources().getRequests().get("memory")).hasToString("4Gi"));
        assertThat(podUids()).as("the controllers keep their sizing and are not restarted").containsAllEntriesOf(controllersBefore);
    }

    @Test
    @Order(12)
    void aTopicMadeBehindCoxswainsBackIsRecordedInTheStatusAndNeverDeleted() {
        // replication factor 3: a single-replica topic would (rightly) stop the later rolls at CanRollBroker
        admin.createTopics(List.of(new NewTopic("made-by-hand", 1, (short) 3))).all().toCompletionStage().toCompletableFuture().join();
        ClusterState s = world.awaitState(CLUSTER, Duration.ofSeconds(60), "made-by-hand unmanaged",
                st -> st.getStatus().getUnmanagedTopics().contains("made-by-hand"));
        assertThat(s.getStatus().getUnmanagedTopics()).containsExactly("made-by-hand");
        assertThat(unmanagedRecords()).as("recorded on change, once").isEqualTo(1);
        assertThat(admin.listTopics().names().toCompletionStage().toCompletableFuture().join()).contains("made-by-hand", TOPIC);
    }

    @Test
    @Order(13)
    void anAbandonedStuckRestartIsNeverContinued() {
        // last: it leaves a broker restarted by hand and the others not. A long step timeout: stuck, not FAILED
        world.killExecutor();
        world.startExecutor("exec-d", Duration.ofSeconds(300));
        world.kube.setNeverReady(pod -> pod.equals("pay-broker-0"));
        Command restart = Commands.on(CLUSTER).issuer("test").commandId("stuck-restart-" + UUID.randomUUID()).restartCluster("brokers", null);
        assertThat(world.send(restart)).isInstanceOf(Outcome.Accepted.class);
        ClusterState stuck = world.awaitState(CLUSTER, Duration.ofSeconds(120), "restart stuck on pay-broker-0", st -> st.getStatus().getOperation() != null
                && restart.getCommandId().equals(st.getStatus().getOperation().getCauseCommandId())
                && restartsFor(restart.getCommandId()).containsKey("pay-broker-0")
                && st.getStatus().getComponents().get("brokers").getReady() == 2);
        assertThat(stuck.getStatus().getOperation().getState()).isEqualTo("RUNNING");

        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("abandon-" + UUID.randomUUID())
                .abandonOperation(stuck.getStatus().getOperation().getOperationId(), "wait for the disk"))).isInstanceOf(Outcome.Accepted.class);
        ClusterState abandoned = world.awaitState(CLUSTER, Duration.ofSeconds(30), "ABANDONED",
                st -> "ABANDONED".equals(st.getStatus().getOperation().getState()));
        assertThat(abandoned.getSpec().getRestarts()).as("the restart is withdrawn").containsExactly(Map.entry("brokers", ""));
        assertThat(abandoned.getStatus().getPhase()).as("a broker is down: not Ready").isEqualTo("Degraded");

        world.kube.setNeverReady(pod -> false);
        world.awaitState(CLUSTER, Duration.ofSeconds(90), "Ready again", st -> "Ready".equals(st.getStatus().getPhase()));
        // a later change is carried out by a pass that continues nothing and starts no roll for the withdrawn restart
        assertThat(world.send(Commands.on(CLUSTER).issuer("test").commandId("after-" + UUID.randomUUID())
                .createTopic("after-abandon", 1, 1, Map.of()))).isInstanceOf(Outcome.Accepted.class);
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic after-abandon created",
                () -> admin.listTopics().names().toCompletionStage().toCompletableFuture().join().contains("after-abandon"));
        assertThat(restartsFor(restart.getCommandId())).containsExactly(Map.entry("pay-broker-0", 1L));
        assertThat(world.state(CLUSTER).orElseThrow().getStatus().getOperation().getState()).isEqualTo("ABANDONED");
        assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getAction() == ResourceAction.RESTART).last()
                .satisfies(a -> assertThat(a.getName()).isEqualTo("pay-broker-0"));
        assertThat(unmanagedRecords()).as("no heartbeat records of the unmanaged topics").isEqualTo(1);
    }

    private static long unmanagedRecords() {
        return world.commandLog().stream().filter(c -> c.getClusterId().equals(CLUSTER) && c.getPayload() instanceof RecordObservation o
                && o.getObservation() instanceof TopicsObserved).count();
    }

    private static ClusterState awaitSucceeded(String operation) {
        return world.awaitState(CLUSTER, Duration.ofSeconds(240), operation + " SUCCEEDED and Ready", s -> s.getStatus().getOperation() != null
                && operation.equals(s.getStatus().getOperation().getOperation()) && "SUCCEEDED".equals(s.getStatus().getOperation().getState())
                && "Ready".equals(s.getStatus().getPhase()));
    }

    private static Config brokerConfig(int broker) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker));
        return admin.describeConfigs(List.of(r)).all().toCompletionStage().toCompletableFuture().join().get(r);
    }

    /** Pod name → uid: a restarted pod is a new object with a new uid. */
    private static Map<String, String> podUids() {
        return world.kube.client().pods().inNamespace(CLUSTER).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    }

    private static Map<String, Long> restartsFor(String causeCommandId) {
        return world.actions(CLUSTER).stream().filter(a -> a.getAction() == ResourceAction.RESTART && causeCommandId.equals(a.getCauseCommandId()))
                .collect(Collectors.groupingBy(ResourceActionObserved::getName, Collectors.counting()));
    }

    private static AckedWriter writer() {
        AckedWriter w = new AckedWriter(world.bootstrap(CLUSTER, 3), TOPIC, world.clientSecurity(CLUSTER));
        w.awaitAcked(200, Duration.ofSeconds(60));
        return w;
    }

    /** Zero failed writes, zero acknowledged records lost. */
    private static void check(AckedWriter writer) throws InterruptedException {
        AckedWriter.Result r = writer.stopAndReadBack(Duration.ofSeconds(60));
        assertThat(r.failed()).as("failed writes").isZero();
        assertThat(r.missing()).as("acknowledged records not read back").isZero();
    }

    private static PodWatch brokersDown() {
        return new PodWatch(world.kube.client(), CLUSTER, List.of("pay-broker-0", "pay-broker-1", "pay-broker-2"));
    }
}
