package io.coxswain.orchestrator.operations.drive;

import static io.coxswain.orchestrator.operations.drive.PayCluster.CLUSTER;
import static io.coxswain.orchestrator.operations.drive.PayCluster.TOPIC;
import static io.coxswain.orchestrator.operations.drive.PayCluster.check;
import static io.coxswain.orchestrator.operations.drive.PayCluster.command;
import static io.coxswain.orchestrator.operations.drive.PayCluster.perBroker;
import static io.coxswain.orchestrator.operations.drive.PayCluster.spread;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.ReconciledObserved;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 5 end to end: one cluster of REAL Kafka nodes (3 controllers, 3 brokers) in the sandbox
 * ({@link PayCluster}), shared by the tests in order; each leaves it Ready. A producer writes with
 * acks=all through the rolling operations; every acknowledged record must be read back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriveEndToEndTest {

    private static PayCluster pay;

    @BeforeAll
    static void createCluster() throws Exception {
        pay = new PayCluster();
        pay.createReady();
    }

    @AfterAll
    static void stop() {
        if (pay != null) {
            pay.close();
        }
    }

    @Test
    @Order(1)
    void rollingUpgradeKeepsEveryWriteAndResumesAfterTheExecutorIsKilled() throws Exception {
        try (AckedWriter writer = pay.writer(); PodWatch down = pay.brokersDown()) {
            Command upgrade = command("upgrade-").upgradeKafka("4.3.1");
            pay.sendAccepted(upgrade);
            // kill the executor once it has started on the brokers, and let a fresh one take over
            pay.awaitState(Duration.ofSeconds(180), "restarting a broker", s -> s.getStatus().getOperation() != null
                    && s.getStatus().getOperation().getSteps().stream().anyMatch(st -> st.getStep().contains("-broker-")));
            pay.world.killExecutor();
            pay.world.startExecutor("exec-b");
            ClusterState done = pay.awaitSucceeded("RollingUpgrade");
            assertThat(done.getStatus().getComponents().get("brokers").getVersions()).containsExactly("4.3.1");
            check(writer);
            assertThat(down.maxDown()).isLessThanOrEqualTo(1);
            Map<String, Long> restarts = pay.restartsFor(upgrade.getCommandId());
            assertThat(restarts).hasSize(6).allSatisfy((pod, n) -> assertThat(n).as(pod).isEqualTo(1L));
            // one binary in the sandbox: the bump is recorded and leaves the binary's latest production level
            assertThat(done.getStatus().getOperation().getSteps()).anySatisfy(st -> {
                assertThat(st.getStep()).isEqualTo(MetadataVersionBump.STEP);
                assertThat(st.getState()).isEqualTo("FINISHED");
            });
            short level = pay.admin.describeFeatures().featureMetadata().toCompletionStage().toCompletableFuture().join()
                    .finalizedFeatures().get(MetadataVersionBump.FEATURE).maxVersionLevel();
            assertThat(level).isEqualTo(MetadataVersion.latestProduction().featureLevel());
        }
    }

    @Test
    @Order(3)
    void dynamicConfigChangeIsAppliedLiveWithoutRestartingAnyPod() {
        String key = "message.max.bytes";
        assertThat(DynamicConfigs.modeOf(key)).isEqualTo(DynamicConfigs.Mode.CLUSTER_WIDE);
        Map<String, String> uidsBefore = pay.podUids();
        Command change = command("live-").updateBrokerConfig(Map.of(key, "2000000"), List.of());
        pay.sendAccepted(change);
        DriveWorld.await(Duration.ofSeconds(60), () -> key + " live on every broker", () -> List.of(0, 1, 2).stream()
                .allMatch(b -> "2000000".equals(pay.brokerConfig(b).get(key).value())));
        assertThat(pay.actions()).anySatisfy(a -> {
            assertThat(a.getAction()).isEqualTo(ResourceAction.APPLY);
            assertThat(a.getCauseCommandId()).isEqualTo(change.getCommandId());
            assertThat(a.getDetail()).contains(key);
        });
        // new pods get the value from their ConfigMap
        ClusterNames names = ClusterNames.of(CLUSTER, CLUSTER);
        Map<String, String> files = pay.world.kube.client().configMaps().inNamespace(names.namespace()).withName(names.configMap(KafkaRole.BROKER))
                .get().getData();
        assertThat(files).containsKeys("server-0.properties", "server-1.properties", "server-2.properties");
        assertThat(files.entrySet().stream().filter(f -> f.getKey().startsWith("server-")))
                .allSatisfy(f -> assertThat(f.getValue()).as(f.getKey()).contains(key + "=2000000"));
        assertThat(pay.restartsFor(change.getCommandId())).isEmpty();
        assertThat(pay.podUids()).isEqualTo(uidsBefore);
        assertThat(pay.state().getStatus().getOperation().getCauseCommandId()).isNotEqualTo(change.getCommandId());
    }

    @Test
    @Order(4)
    void scaleOutMovesDataToTheNewBrokers() {
        Command out = command("out-").scaleBrokers(5);
        pay.sendAccepted(out);
        ClusterState s = pay.awaitSucceeded("ScaleOut");
        assertThat(s.getStatus().getOperation().getTotal()).isPositive();
        // the scale-out is recorded as acted on only once the data move it calls for has started, never when the pods alone
        // are asked for: cox wait would otherwise say done before any partition moved (the pass that ran it records it last)
        pay.awaitState(Duration.ofSeconds(30), "the scale-out acted on", st -> st.getStatus().getReconciledIntentVersion() >= s.getIntentVersion());
        List<Object> observed = pay.world.commandLog().stream().filter(c -> CLUSTER.equals(c.getClusterId()))
                .filter(c -> c.getPayload() instanceof RecordObservation).map(c -> ((RecordObservation) c.getPayload()).getObservation()).toList();
        int started = IntStream.range(0, observed.size()).filter(i -> observed.get(i) instanceof OperationObserved o
                && out.getCommandId().equals(o.getCauseCommandId()) && o.getState() == OperationState.RUNNING).findFirst().orElse(-1);
        int actedOn = IntStream.range(0, observed.size()).filter(i -> observed.get(i) instanceof ReconciledObserved r
                && r.getIntentVersion() >= s.getIntentVersion()).findFirst().orElse(-1);
        assertThat(started).as("ScaleOut RUNNING recorded").isNotNegative();
        assertThat(actedOn).as("acted on recorded after the ScaleOut started").isGreaterThan(started);
        ClusterSnapshot snap = ClusterSnapshot.read(pay.admin, Duration.ofSeconds(15));
        assertThat(snap.partitionsOn(3)).isNotEmpty();
        assertThat(snap.partitionsOn(4)).isNotEmpty();
    }

    @Test
    @Order(5)
    void scaleInBelowTheReplicationFactorIsRefused() {
        Outcome o = pay.world.send(command("in2-").scaleBrokers(2));
        assertThat(o).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo(RejectionCode.REPLICAS_WOULD_NOT_FIT));
    }

    @Test
    @Order(6)
    void scaleInDrainsTheHighestBrokersWithoutLosingDataAndDrainsAgainATopicPlacedThereDuringTheDrain() throws Exception {
        // the drain throttled so that it lasts seconds (2 MB of "bulk" to move at 100 KB/s per broker): time to create a topic
        // on a leaving broker while it runs, as an application would. A short step timeout: stuck would fail, not wait 2 minutes
        pay.world.killExecutor();
        pay.world.startExecutor("exec-in", Duration.ofSeconds(30), 100 * 1024);
        pay.sendAccepted(command("bulk-").createTopic("bulk", 6, 2, Map.of()));
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic bulk created by the executor", () -> pay.topics().contains("bulk"));
        pay.world.produce(CLUSTER, 3, "bulk", IntStream.range(0, 200).mapToObj(i -> i + "x".repeat(10_000)).toList());
        try (AckedWriter writer = pay.writer()) {
            Command in = command("in-").scaleBrokers(3);
            pay.sendAccepted(in);
            pay.awaitState(Duration.ofSeconds(60), "the drain moving", s -> s.getStatus().getOperation() != null
                    && in.getCommandId().equals(s.getStatus().getOperation().getCauseCommandId())
                    && s.getStatus().getOperation().getSteps().stream().anyMatch(st -> ScaleIn.DRAIN.equals(st.getStep())));
            // Kafka's cordon (KIP-1066) is on the leaving brokers while they drain
            DriveWorld.await(Duration.ofSeconds(30), () -> "brokers 3 and 4 report their log directory cordoned", () -> cordoned(3) && cordoned(4));
            pay.admin.createTopics(List.of(new NewTopic("late", Map.of(0, List.of(4, 0), 1, List.of(4, 1))))).all()
                    .toCompletionStage().toCompletableFuture().join();
            pay.sendAccepted(command("late-").createTopic("late", 2, 2, Map.of())); // adopted, so that it is not an unmanaged topic
            pay.awaitSucceeded("ScaleIn");
            pay.awaitState(Duration.ofSeconds(60), "3 brokers Ready", s -> "Ready".equals(s.getStatus().getPhase())
                    && s.getStatus().getComponents().get("brokers").getDesired() == 3);
            check(writer);
            ClusterSnapshot snap = ClusterSnapshot.read(pay.admin, Duration.ofSeconds(15));
            assertThat(snap.brokers().keySet()).containsExactly(0, 1, 2);
            assertThat(snap.partitions().values()).allSatisfy(p -> assertThat(p.replicas()).as(p.describe()).allMatch(b -> b < 3));
            List<OperationStepObserved> steps = pay.world.commandLog().stream().map(c -> c.getPayload() instanceof RecordObservation o
                    && o.getObservation() instanceof OperationStepObserved st && st.getOperationId().contains(in.getCommandId()) ? st : null)
                    .filter(java.util.Objects::nonNull).toList();
            assertThat(steps).filteredOn(st -> st.getStep().equals(ScaleIn.CORDON)).first().extracting(OperationStepObserved::getReason)
                    .asString().startsWith("brokers [3, 4] cordoned");
            assertThat(steps).filteredOn(st -> st.getStep().equals(Redrain.STEP)).first().extracting(OperationStepObserved::getReason)
                    .asString().startsWith("2 partitions of topic late (late-0, late-1) were placed on leaving broker 4 after the drain; moving them");
            assertThat(steps).filteredOn(st -> st.getStep().equals(ScaleIn.VERIFY)).last().extracting(OperationStepObserved::getReason)
                    .asString().isEqualTo("brokers [3, 4] hold no replica; their cordon lifted");
            // the drained brokers' volumes go with them; the remaining brokers keep theirs
            assertThat(pay.world.kube.client().persistentVolumeClaims().inNamespace(CLUSTER).list().getItems().stream()
                    .filter(c -> c.getMetadata().getDeletionTimestamp() == null).map(c -> c.getMetadata().getName())
                    .filter(n -> n.startsWith("data-pay-broker-"))).containsExactlyInAnyOrder("data-pay-broker-0", "data-pay-broker-1", "data-pay-broker-2");
            assertThat(pay.actions()).filteredOn(a -> a.getAction() == ResourceAction.DELETE && "PersistentVolumeClaim".equals(a.getKind()))
                    .extracting(ResourceActionObserved::getName).containsExactlyInAnyOrder("data-pay-broker-3", "data-pay-broker-4");
            // and so do their certificates, once the StatefulSet no longer runs their pods
            DriveWorld.await(Duration.ofSeconds(60), () -> "the removed brokers' certificates recorded as removed", () -> pay.actions().stream()
                    .anyMatch(a -> a.getAction() == ResourceAction.UPDATE && "pay-kafka-tls".equals(a.getName())
                            && a.getReason().contains("removes the certificates of pods pay-broker-3, pay-broker-4")));
            assertThat(TlsSecrets.decoded(pay.world.kube.client().secrets().inNamespace(CLUSTER).withName("pay-kafka-tls").get()))
                    .containsKeys("pay-broker-0.crt", "pay-broker-1.crt", "pay-broker-2.crt").doesNotContainKeys("pay-broker-3.crt", "pay-broker-4.crt");
        }
        // exec-in drives the next test's rebalance too: the rebalance names its own throttle, and its steps wait far less
        // than 30 s; test 8 starts the executor it needs
    }

    /** Whether the broker's log directories are all cordoned, as it reports them. */
    private static boolean cordoned(int broker) {
        return pay.admin.describeLogDirs(List.of(broker)).allDescriptions().toCompletionStage().toCompletableFuture().join().get(broker)
                .values().stream().allMatch(d -> d.isCordoned());
    }

    @Test
    @Order(7)
    void aRequestedRebalanceSpreadsReplicasAndLeadersEvenlyUnderItsThrottleAndSaysWhereTheDataIs() throws Exception {
        pay.createSkewedTopic("skewed");
        assertThat(spread(perBroker(ClusterSnapshot.read(pay.admin, Duration.ofSeconds(15)).assignments(), false))).as("replicas skewed").isGreaterThan(2);

        try (AckedWriter writer = pay.writer()) {
            Command rebalance = Commands.on(CLUSTER).issuer("alice").commandId("rebalance-" + UUID.randomUUID())
                    .rebalanceCluster("skewed topic made by hand", 10L * 1024 * 1024);
            pay.sendAccepted(rebalance);
            ClusterState done = pay.awaitSucceeded("Rebalance");
            check(writer);
            assertThat(done.getStatus().getOperation().getCauseCommandId()).isEqualTo(rebalance.getCommandId());
            assertThat(done.getSpec().getRebalance()).as("the request is settled").isNull();
            assertThat(done.getStatus().getOperation().getSteps()).anySatisfy(step -> {
                assertThat(step.getStep()).isEqualTo("rebalance");
                assertThat(step.getState()).isEqualTo("STARTED");
                assertThat(step.getReason()).contains("replica(s) copied", "throttled at 10485760 bytes/s per broker");
            });
            Map<TopicPartition, List<Integer>> now = ClusterSnapshot.read(pay.admin, Duration.ofSeconds(15)).assignments();
            assertThat(spread(perBroker(now, false))).as("replicas per broker " + perBroker(now, false)).isLessThanOrEqualTo(1);
            assertThat(spread(perBroker(now, true))).as("preferred leaders per broker " + perBroker(now, true)).isLessThanOrEqualTo(1);
            assertThat(done.getStatus().getOperation().getReason()).as("where the data is now, for the person who asked")
                    .contains("replicas per broker " + perBroker(now, false), "leaders per broker " + perBroker(now, true));
        }
        DriveWorld.await(Duration.ofSeconds(30), () -> "throttles removed", () -> List.of(0, 1, 2).stream()
                .map(b -> pay.brokerConfig(b).get(ReassignmentExecutor.FOLLOWER_RATE))
                .allMatch(rate -> rate == null || rate.source() != ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG));
        // one replica topics would stop the later rolls at CanRollBroker; two are fine, but the later tests count topics
        pay.sendAccepted(Commands.on(CLUSTER).issuer("test").commandId("drop-skewed").deleteTopic("skewed"));
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic skewed deleted", () -> !pay.topics().contains("skewed"));
    }

    @Test
    @Order(8)
    void aPodThatNeverBecomesReadyStopsTheRollInAFailedStep() throws Exception {
        // it leaves the operation FAILED for the retry. A short step timeout, as a person would not wait 2 minutes in a test: the
        // test waits all of it out, while a healthy broker restart (tests 9 to 11 roll under it too) takes 3 to 5 s here
        pay.world.killExecutor();
        pay.world.startExecutor("exec-c", Duration.ofSeconds(12));
        pay.world.kube.setNeverReady(pod -> pod.equals("pay-broker-0")); // pods Ready now stay Ready; a re-created broker-0 never is
        // the suite's rolling configuration change: its first restart here, the others in test 9, every write kept through both
        try (AckedWriter writer = pay.writer(); PodWatch down = pay.brokersDown()) {
            Command change = command("stuck-").updateBrokerConfig(Map.of("log.roll.hours", "101"), List.of());
            pay.sendAccepted(change);

            ClusterState failed = pay.awaitState(Duration.ofSeconds(90), "Reconfigure FAILED", s -> s.getStatus().getOperation() != null
                    && change.getCommandId().equals(s.getStatus().getOperation().getCauseCommandId())
                    && "FAILED".equals(s.getStatus().getOperation().getState()));
            assertThat(failed.getStatus().getOperation().getSteps()).anySatisfy(st -> {
                assertThat(st.getStep()).isEqualTo("restart pay-broker-0");
                assertThat(st.getState()).isEqualTo("FAILED");
                assertThat(st.getReason()).contains("gave up after 12 s").contains("pay-broker-0 Ready");
            });
            assertThat(pay.restartsFor(change.getCommandId())).containsExactly(Map.entry("pay-broker-0", 1L));

            // released, the pod becomes Ready; the failed operation still waits for a person: no other broker rolls
            pay.world.kube.setNeverReady(pod -> false);
            DriveWorld.await(Duration.ofSeconds(60), () -> "pay-broker-0 Ready again", () -> ClusterPods.read(pay.world.kube.client(),
                    ClusterNames.of(CLUSTER, CLUSTER)).named("pay-broker-0").filter(ClusterPods.NodePod::ready).isPresent());
            pay.awaitState(Duration.ofSeconds(30), "brokers observed Ready", s -> s.getStatus().getComponents().get("brokers").getReady() == 3);
            assertThat(pay.restartsFor(change.getCommandId())).containsExactly(Map.entry("pay-broker-0", 1L));
            assertThat(pay.state().getStatus().getOperation().getState()).isEqualTo("FAILED");
            check(writer);
            assertThat(down.maxDown()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    @Order(9)
    void aRetriedOperationResumesAtTheFailedStepAndRestartsEachPodOnce() throws Exception {
        ClusterState failed = pay.state();
        String operationId = failed.getStatus().getOperation().getOperationId();
        String cause = failed.getStatus().getOperation().getCauseCommandId();
        try (AckedWriter writer = pay.writer(); PodWatch down = pay.brokersDown()) {
            // the same executor that recorded the failure: it takes the retry as a new attempt, not as the attempt it ended
            pay.sendAccepted(command("retry-").retryOperation(operationId, "pay-broker-0 fixed"));
            ClusterState done = pay.awaitSucceeded("Reconfigure");
            assertThat(done.getStatus().getOperation().getOperationId()).isEqualTo(operationId);
            assertThat(done.getStatus().getOperation().getAttempt()).isEqualTo(2);
            check(writer);
            assertThat(down.maxDown()).isLessThanOrEqualTo(1);
        }
        // the failed step is finished (its pod was already restarted), then the rest: every broker restarted exactly once, and
        // no controller (a broker key). With test 8 this is the rolling configuration change, every write kept through it
        pay.assertEachBrokerRestartedOnce(cause);
        assertThat(pay.actions()).filteredOn(a -> cause.equals(a.getCauseCommandId()) && a.getAction() == ResourceAction.RESTART)
                .allSatisfy(a -> assertThat(a.getReason()).isEqualTo("ConfigChanged"));
        assertThat(pay.state().getStatus().getOperation().getSteps()).anySatisfy(st -> {
            assertThat(st.getStep()).isEqualTo("restart pay-broker-0");
            assertThat(st.getState()).isEqualTo("FINISHED");
        });
    }

    @Test
    @Order(10)
    void aManualRestartRollsTheBrokersOneAtATimeWithReasonManual() throws Exception {
        Map<String, String> controllersBefore = pay.controllerUids();
        Command restart = command("restart-").restartCluster("brokers", "rotate JVMs");
        try (AckedWriter writer = pay.writer(); PodWatch down = pay.brokersDown()) {
            pay.sendAccepted(restart);
            pay.awaitSucceeded("RollingRestart");
            check(writer);
            assertThat(down.maxDown()).isLessThanOrEqualTo(1);
        }
        pay.assertEachBrokerRestartedOnce(restart.getCommandId());
        assertThat(pay.actions()).filteredOn(a -> restart.getCommandId().equals(a.getCauseCommandId()) && a.getAction() == ResourceAction.RESTART)
                .allSatisfy(a -> assertThat(a.getReason()).isEqualTo("Manual"));
        assertThat(pay.podUids()).containsAllEntriesOf(controllersBefore);
    }

    @Test
    @Order(11)
    void aNewBrokerSizingRollsTheBrokersOneAtATimeNamingTheChange() throws Exception {
        Map<String, String> controllersBefore = pay.controllerUids();
        Command resize = command("resize-").updateResources("brokers", null, null, "4Gi", "3g");
        try (AckedWriter writer = pay.writer(); PodWatch down = pay.brokersDown()) {
            pay.sendAccepted(resize);
            ClusterState done = pay.awaitSucceeded("Reconfigure");
            check(writer);
            assertThat(down.maxDown()).as("one broker at a time").isLessThanOrEqualTo(1);
            assertThat(done.getStatus().getOperation().getCauseCommandId()).isEqualTo(resize.getCommandId());
            assertThat(done.getStatus().getOperation().getSteps()).filteredOn(st -> "STARTED".equals(st.getState()))
                    .extracting(st -> st.getStep()).containsExactly("restart pay-broker-0", "restart pay-broker-1", "restart pay-broker-2");
            assertThat(done.getStatus().getOperation().getSteps()).filteredOn(st -> "STARTED".equals(st.getState()))
                    .allSatisfy(st -> assertThat(st.getReason()).startsWith("resources changed: memory 2Gi → 4Gi, heap 1g → 3g; "));
        }
        pay.assertEachBrokerRestartedOnce(resize.getCommandId());
        assertThat(pay.actions()).filteredOn(a -> resize.getCommandId().equals(a.getCauseCommandId()) && a.getAction() == ResourceAction.RESTART)
                .allSatisfy(a -> {
                    assertThat(a.getReason()).isEqualTo("ResourcesChanged");
                    assertThat(a.getDetail()).contains("resources changed: memory 2Gi → 4Gi, heap 1g → 3g");
                });
        var template = pay.world.kube.client().apps().statefulSets().inNamespace(CLUSTER).withName("pay-broker").get().getSpec().getTemplate();
        assertThat(template.getSpec().getContainers().get(0).getResources().getLimits().get("memory")).hasToString("4Gi");
        assertThat(template.getSpec().getContainers().get(0).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("KAFKA_HEAP_OPTS");
            assertThat(e.getValue()).isEqualTo("-Xms3g -Xmx3g");
        });
        assertThat(pay.world.kube.client().pods().inNamespace(CLUSTER).list().getItems()).filteredOn(p -> p.getMetadata().getName().contains("-broker-"))
                .hasSize(3).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getResources().getRequests().get("memory")).hasToString("4Gi"));
        assertThat(pay.podUids()).as("the controllers keep their sizing and are not restarted").containsAllEntriesOf(controllersBefore);
    }

    @Test
    @Order(12)
    void aTopicMadeBehindCoxswainsBackIsRecordedInTheStatusAndNeverDeleted() {
        // replication factor 3: a single-replica topic would (rightly) stop the later rolls at CanRollBroker
        pay.admin.createTopics(List.of(new NewTopic("made-by-hand", 1, (short) 3))).all().toCompletionStage().toCompletableFuture().join();
        ClusterState s = pay.awaitState(Duration.ofSeconds(60), "made-by-hand unmanaged",
                st -> st.getStatus().getUnmanagedTopics().contains("made-by-hand"));
        assertThat(s.getStatus().getUnmanagedTopics()).containsExactly("made-by-hand");
        assertThat(pay.unmanagedRecords()).as("recorded on change, once").isEqualTo(1);
        assertThat(pay.topics()).contains("made-by-hand", TOPIC);
    }

    @Test
    @Order(13)
    void anAbandonedStuckRestartIsNeverContinued() {
        // last: it leaves a broker restarted by hand and the others not. A long step timeout: stuck, not FAILED
        pay.world.killExecutor();
        pay.world.startExecutor("exec-d", Duration.ofSeconds(300));
        pay.world.kube.setNeverReady(pod -> pod.equals("pay-broker-0"));
        Command restart = command("stuck-restart-").restartCluster("brokers", null);
        pay.sendAccepted(restart);
        ClusterState stuck = pay.awaitState(Duration.ofSeconds(120), "restart stuck on pay-broker-0", st -> st.getStatus().getOperation() != null
                && restart.getCommandId().equals(st.getStatus().getOperation().getCauseCommandId())
                && pay.restartsFor(restart.getCommandId()).containsKey("pay-broker-0")
                && st.getStatus().getComponents().get("brokers").getReady() == 2);
        assertThat(stuck.getStatus().getOperation().getState()).isEqualTo("RUNNING");

        pay.sendAccepted(command("abandon-").abandonOperation(stuck.getStatus().getOperation().getOperationId(), "wait for the disk"));
        ClusterState abandoned = pay.awaitState(Duration.ofSeconds(30), "ABANDONED", st -> "ABANDONED".equals(st.getStatus().getOperation().getState()));
        assertThat(abandoned.getSpec().getRestarts()).as("the restart is withdrawn").containsExactly(Map.entry("brokers", ""));
        assertThat(abandoned.getStatus().getPhase()).as("a broker is down: not Ready").isEqualTo("Degraded");

        pay.world.kube.setNeverReady(pod -> false);
        pay.awaitState(Duration.ofSeconds(90), "Ready again", st -> "Ready".equals(st.getStatus().getPhase()));
        // a later change is carried out by a pass that continues nothing and starts no roll for the withdrawn restart
        pay.sendAccepted(command("after-").createTopic("after-abandon", 1, 1, Map.of()));
        DriveWorld.await(Duration.ofSeconds(60), () -> "topic after-abandon created", () -> pay.topics().contains("after-abandon"));
        assertThat(pay.restartsFor(restart.getCommandId())).containsExactly(Map.entry("pay-broker-0", 1L));
        assertThat(pay.state().getStatus().getOperation().getState()).isEqualTo("ABANDONED");
        assertThat(pay.actions()).filteredOn(a -> a.getAction() == ResourceAction.RESTART).last()
                .satisfies(a -> assertThat(a.getName()).isEqualTo("pay-broker-0"));
        assertThat(pay.unmanagedRecords()).as("no heartbeat records of the unmanaged topics").isEqualTo(1);
    }
}
