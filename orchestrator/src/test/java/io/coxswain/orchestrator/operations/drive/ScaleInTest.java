package io.coxswain.orchestrator.operations.drive;

import static io.coxswain.orchestrator.operations.FakeKafka.isr;
import static io.coxswain.orchestrator.operations.FakeKafka.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.operations.FakeKafka;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** ScaleIn's decisions against a fake Kafka: 3 brokers running, the spec asks for 2, so broker 2 has to go. */
class ScaleInTest {

    private final ClusterState state = threeRunningTwoWanted();
    private final RunningOperation op = RunningOperation.start("pay", RunningOperation.SCALE_IN, "in-1");

    @Test
    void keepsABrokerThatHoldsReplicasAndStartsDrainingIt() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).controllers(1000)
                .topic("orders", t -> t.partition(0, replicas(2, 0), isr(2, 0)).partition(1, replicas(0, 1), isr(0, 1)));
        try (PodsOnFakeKafka w = new PodsOnFakeKafka(kafka.build())) {
            ScaleIn scaleIn = new ScaleIn();
            DriveContext c = w.context(state, op, Duration.ofMinutes(1));

            assertThat(scaleIn.step(c)).isEqualTo(Outcome.ADVANCED);

            assertThat(scaleIn.brokersAllowed(c, 3)).as("broker 2 still holds a replica").isEqualTo(3);
            assertThat(kafka.reassigning()).containsKey(new TopicPartition("orders", 0));
            assertThat(kafka.reassigning().values()).noneMatch(target -> target.contains(2));
            assertThat(w.sink.of(OperationStepObserved.class)).extracting(OperationStepObserved::getStep).containsExactly(ScaleIn.CORDON, ScaleIn.DRAIN);
        }
    }

    @Test
    void letsTheBrokerGoOnlyWhileItIsVerifiedEmpty() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).controllers(1000)
                .topic("orders", t -> t.partition(0, replicas(0, 1), isr(0, 1)).partition(1, replicas(1, 0), isr(1, 0)));
        try (PodsOnFakeKafka w = new PodsOnFakeKafka(kafka.build())) {
            ScaleIn scaleIn = new ScaleIn();
            DriveContext c = w.context(state, op, Duration.ofMinutes(1));

            assertThat(scaleIn.step(c)).isEqualTo(Outcome.ADVANCED);
            assertThat(w.sink.of(OperationStepObserved.class)).extracting(OperationStepObserved::getStep).containsExactly(ScaleIn.CORDON, ScaleIn.VERIFY);
            assertThat(scaleIn.brokersAllowed(c, 3)).isEqualTo(2);

            // someone moves a replica back onto broker 2 after the verification: it must stay
            w.admin.alterPartitionReassignments(Map.of(new TopicPartition("orders", 0),
                    Optional.of(new NewPartitionReassignment(List.of(0, 2))))).all();
            kafka.finishReassignments();
            assertThat(scaleIn.brokersAllowed(c, 3)).isEqualTo(3);
        }
    }

    @Test
    void givesTheWorkerBackWhileOnlyTheNextReconcileStepCanShrinkTheStatefulSet() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).controllers(1000)
                .topic("orders", t -> t.partition(0, replicas(0, 1), isr(0, 1)));
        try (PodsOnFakeKafka w = new PodsOnFakeKafka(kafka.build())) {
            w.statefulSet(KafkaRole.BROKER, 3).pod(KafkaRole.BROKER, 2, PodsOnFakeKafka.NEW);
            ScaleIn scaleIn = new ScaleIn();
            DriveContext c = w.context(state, op, Duration.ofMinutes(1));
            assertThat(scaleIn.step(c)).as("verified empty").isEqualTo(Outcome.ADVANCED);

            // the reconcile step lowers the replicas only after this pass's drive returns: waiting here would idle out its budget
            assertThat(scaleIn.step(c)).as("the StatefulSet still runs 3").isEqualTo(Outcome.NEEDS_PASS);
            assertThat(scaleIn.brokersAllowed(c, 3)).as("what the next reconcile step applies").isEqualTo(2);

            w.kube.apps().statefulSets().withName(w.names.statefulSet(KafkaRole.BROKER)).edit(sts -> {
                sts.getSpec().setReplicas(2);
                return sts;
            });
            assertThat(scaleIn.step(c)).as("shrunk, pod pay-broker-2 still shutting down: gone within a pass").isEqualTo(Outcome.WAITING);

            w.kube.pods().withName("pay-broker-2").withGracePeriod(0).delete();
            kafka.unregistered(2);
            assertThat(scaleIn.step(c)).isEqualTo(Outcome.ENDED);
        }
    }

    @Test
    void deletesTheVolumesOfTheRemovedBrokersOnlyOnceTheyAreGoneAndUnregistered() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).controllers(1000)
                .topic("orders", t -> t.partition(0, replicas(0, 1), isr(0, 1)));
        try (PodsOnFakeKafka w = new PodsOnFakeKafka(kafka.build())) {
            for (int i = 0; i < 3; i++) {
                w.kube.persistentVolumeClaims().resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                        .withName(w.names.dataClaim(KafkaRole.BROKER, i)).endMetadata().build()).create();
            }
            w.pod(KafkaRole.BROKER, 2, PodsOnFakeKafka.NEW);
            ScaleIn scaleIn = new ScaleIn();
            DriveContext c = w.context(state, op, Duration.ofMinutes(1));
            assertThat(scaleIn.step(c)).as("verified empty").isEqualTo(Outcome.ADVANCED);
            assertThat(scaleIn.step(c)).as("pod pay-broker-2 still there").isEqualTo(Outcome.WAITING);

            w.kube.pods().withName("pay-broker-2").withGracePeriod(0).delete();
            kafka.unregistered(2);
            assertThat(scaleIn.step(c)).isEqualTo(Outcome.ENDED);

            assertThat(w.kube.persistentVolumeClaims().list().getItems()).extracting(p -> p.getMetadata().getName())
                    .containsExactlyInAnyOrder("data-pay-broker-0", "data-pay-broker-1");
            assertThat(w.sink.actions(ResourceAction.DELETE)).singleElement().satisfies(a -> {
                assertThat(a.getKind()).isEqualTo("PersistentVolumeClaim");
                assertThat(a.getName()).isEqualTo("data-pay-broker-2");
                assertThat(a.getCauseCommandId()).isEqualTo("in-1");
            });
            assertThat(w.sink.of(OperationStepObserved.class)).extracting(OperationStepObserved::getStep)
                    .containsSubsequence(ScaleIn.VERIFY, ScaleIn.UNREGISTER, ScaleIn.DELETE_VOLUMES);
        }
    }

    @Test
    void drainsAgainExactlyTheReplicasPlacedOnTheLeavingBrokerAfterTheDrainNamingThem() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).controllers(1000)
                .topic("orders", t -> t.partition(0, replicas(2, 0), isr(2, 0)))
                .topic("late", t -> t.partition(0, replicas(0, 1), isr(0, 1)).partition(1, replicas(1, 0), isr(1, 0)));
        try (PodsOnFakeKafka w = new PodsOnFakeKafka(kafka.build())) {
            ScaleIn scaleIn = new ScaleIn();
            DriveContext c = w.context(state, op, Duration.ofMinutes(1));
            assertThat(scaleIn.step(c)).as("the drain submitted").isEqualTo(Outcome.ADVANCED);
            assertThat(kafka.configsOf(FakeKafka.brokerResource(2))).as("cordoned while it drains").containsEntry(Cordon.KEY, "*");
            kafka.finishReassignments();
            assertThat(scaleIn.step(c)).as("the drain landed").isEqualTo(Outcome.ADVANCED);

            placeOnBroker2(w, kafka, "late", 0, 1);
            assertThat(scaleIn.step(c)).as("drained again").isEqualTo(Outcome.ADVANCED);
            assertThat(kafka.reassigning()).as("exactly the replicas on broker 2, nothing levelled")
                    .containsOnlyKeys(new TopicPartition("late", 0), new TopicPartition("late", 1));
            assertThat(kafka.reassigning().values()).noneMatch(target -> target.contains(2));
            assertThat(scaleIn.brokersAllowed(c, 3)).isEqualTo(3);
            kafka.finishReassignments();
            assertThat(scaleIn.step(c)).as("the second drain landed").isEqualTo(Outcome.ADVANCED);
            assertThat(scaleIn.step(c)).as("verified").isEqualTo(Outcome.ADVANCED);

            assertThat(scaleIn.brokersAllowed(c, 3)).isEqualTo(2);
            assertThat(kafka.configsOf(FakeKafka.brokerResource(2))).as("the cordon lifted before the broker goes").doesNotContainKey(Cordon.KEY);
            List<OperationStepObserved> steps = w.sink.of(OperationStepObserved.class);
            assertThat(steps).extracting(OperationStepObserved::getStep).containsSubsequence(ScaleIn.CORDON, ScaleIn.DRAIN, ScaleIn.DRAIN,
                    Redrain.STEP, Redrain.STEP, ScaleIn.VERIFY);
            assertThat(steps).filteredOn(s -> s.getStep().equals(Redrain.STEP)).first().extracting(OperationStepObserved::getReason)
                    .asString().startsWith("2 partitions of topic late (late-0, late-1) were placed on leaving broker 2 after the drain; "
                            + "moving them (re-drain 1 of at most 3)");
        }
    }

    @Test
    void failsAfterThreeRedrainsSayingWhatKeepsPlacingReplicasThere() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).controllers(1000)
                .topic("late", t -> t.partition(0, replicas(0, 1), isr(0, 1)));
        try (PodsOnFakeKafka w = new PodsOnFakeKafka(kafka.build())) {
            ScaleIn scaleIn = new ScaleIn();
            DriveContext c = w.context(state, op, Duration.ofMinutes(1));
            assertThat(scaleIn.step(c)).as("nothing to drain: verified").isEqualTo(Outcome.ADVANCED);
            w.statefulSet(KafkaRole.BROKER, 3);
            for (int redrain = 1; redrain <= Redrain.LIMIT; redrain++) {
                placeOnBroker2(w, kafka, "late", 0);
                assertThat(scaleIn.step(c)).as("the verified broker got a replica back: drained again").isEqualTo(Outcome.ADVANCED);
                assertThat(scaleIn.brokersAllowed(c, 3)).isEqualTo(3);
                assertThat(scaleIn.step(c)).as("re-drain " + redrain).isEqualTo(Outcome.ADVANCED);
                kafka.finishReassignments();
                assertThat(scaleIn.step(c)).isEqualTo(Outcome.ADVANCED);
                assertThat(scaleIn.step(c)).as("verified again").isEqualTo(Outcome.ADVANCED);
            }
            placeOnBroker2(w, kafka, "late", 0);
            assertThat(scaleIn.step(c)).isEqualTo(Outcome.ADVANCED);
            assertThat(scaleIn.step(c)).as("a fourth time").isEqualTo(Outcome.ENDED);

            assertThat(kafka.reassigning()).isEmpty();
            assertThat(w.sink.of(OperationStepObserved.class)).last().satisfies(s -> {
                assertThat(s.getStep()).isEqualTo(Redrain.STEP);
                assertThat(s.getState()).isEqualTo(StepState.FAILED);
                assertThat(s.getReason()).contains("1 partition of topic late (late-0) was placed on leaving broker 2 after the drain",
                        "3 re-drains", "explicit replica assignment", "reassignments made outside Coxswain", "retry the scale-in");
            });
            assertThat(w.sink.of(OperationObserved.class)).last().extracting(OperationObserved::getState).isEqualTo(OperationState.FAILED);
        }
    }

    @Test
    void drainsEvenWhereKafkaRefusesTheCordonAndSaysSo() {
        FakeKafka kafka = FakeKafka.cluster().brokers(0, 1, 2).controllers(1000)
                .topic("orders", t -> t.partition(0, replicas(2, 0), isr(2, 0)))
                .refuse(Cordon.KEY, "*", "cordoned.log.dirs needs metadata.version 4.3-IV0 or later");
        try (PodsOnFakeKafka w = new PodsOnFakeKafka(kafka.build())) {
            ScaleIn scaleIn = new ScaleIn();
            DriveContext c = w.context(state, op, Duration.ofMinutes(1));
            assertThat(scaleIn.step(c)).isEqualTo(Outcome.ADVANCED);
            kafka.finishReassignments();
            assertThat(scaleIn.step(c)).isEqualTo(Outcome.ADVANCED);
            assertThat(scaleIn.step(c)).as("verified").isEqualTo(Outcome.ADVANCED);
            assertThat(scaleIn.brokersAllowed(c, 3)).isEqualTo(2);
            assertThat(w.sink.of(OperationStepObserved.class)).first().satisfies(s -> {
                assertThat(s.getStep()).isEqualTo(ScaleIn.CORDON);
                assertThat(s.getReason()).contains("brokers [2] not cordoned", "needs metadata.version 4.3-IV0", "drained again");
            });
        }
    }

    /** What an application creating a topic (or someone reassigning) does behind the scale-in's back: replicas onto broker 2. */
    private static void placeOnBroker2(PodsOnFakeKafka w, FakeKafka kafka, String topic, int... partitions) {
        Map<TopicPartition, Optional<NewPartitionReassignment>> moves = new HashMap<>();
        for (int p : partitions) {
            moves.put(new TopicPartition(topic, p), Optional.of(new NewPartitionReassignment(List.of(2, 0))));
        }
        w.admin.alterPartitionReassignments(moves).all();
        kafka.finishReassignments();
    }

    private static ClusterState threeRunningTwoWanted() {
        ClusterState s = TestStates.created("pay", 3, 2);
        Map<String, ComponentStatus> components = new HashMap<>(s.getStatus().getComponents());
        components.put(KafkaRole.BROKER.statusKey(), ComponentStatus.newBuilder().setDesired(3).setReady(3).setObservedAt(Instant.EPOCH).build());
        s.getStatus().setComponents(components);
        return s;
    }
}
