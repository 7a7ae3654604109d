package io.coxswain.orchestrator.operations.drive;

import static io.coxswain.orchestrator.operations.FakeKafka.isr;
import static io.coxswain.orchestrator.operations.FakeKafka.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.operations.FakeKafka;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RollingRestart's decisions against pods it is shown and a fake Kafka: what it deletes, in which order, and when it refuses. */
class RollingRestartTest {

    private final ClusterState state = TestStates.created("pay", 3, 3);
    private final RunningOperation op = RunningOperation.start("pay", RunningOperation.RECONFIGURE, "config-1");

    @Test
    void waitsAndThenFailsWhenTheBrokerCannotRollWithoutRestartingIt() {
        // RF 2 with min.insync.replicas=2: taking broker 0 down would stop acks=all writes
        FakeKafka kafka = healthyCluster().topic("orders", t -> t.partition(0, replicas(0, 1), isr(0, 1)).minIsr(2));
        try (PodsOnFakeKafka w = world(kafka, PodsOnFakeKafka.NEW, PodsOnFakeKafka.OLD, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW)) {
            RollingRestart roll = new RollingRestart();

            assertThat(roll.step(w.context(state, op, Duration.ofMinutes(1)))).isEqualTo(Outcome.WAITING);
            assertThat(roll.step(w.context(state, op, Duration.ZERO))).isEqualTo(Outcome.ENDED);

            assertThat(w.exists(KafkaRole.BROKER, 0)).isTrue();
            assertThat(w.sink.actions(ResourceAction.RESTART)).isEmpty();
            OperationStepObserved failed = w.sink.of(OperationStepObserved.class).get(0);
            assertThat(failed.getState()).isEqualTo(StepState.FAILED);
            assertThat(failed.getStep()).isEqualTo("restart pay-broker-0");
            assertThat(failed.getReason()).contains("min.insync.replicas=2");
            assertThat(w.sink.of(OperationObserved.class)).extracting(OperationObserved::getState).containsExactly(OperationState.FAILED);
        }
    }

    @Test
    void rollsControllersFirstTheActiveOneLastThenOutdatedBrokersOnly() {
        FakeKafka kafka = healthyCluster().leaderController(1000)
                .topic("orders", t -> t.partition(0, replicas(0, 1, 2), isr(0, 1, 2)).minIsr(2));
        try (PodsOnFakeKafka w = world(kafka, PodsOnFakeKafka.OLD, PodsOnFakeKafka.OLD, PodsOnFakeKafka.NEW, PodsOnFakeKafka.OLD)) {
            assertThat(runToTheEnd(w, new RollingRestart(), state, op)).isEqualTo(Outcome.ENDED);
            assertThat(w.sink.actions(ResourceAction.RESTART)).extracting(ResourceActionObserved::getName)
                    .containsExactly("pay-controller-1", "pay-controller-2", "pay-controller-0", "pay-broker-0", "pay-broker-2");
            assertThat(w.sink.actions(ResourceAction.RESTART)).allMatch(a -> "ConfigChanged".equals(a.getReason()) && "config-1".equals(a.getCauseCommandId()));
            assertThat(w.sink.of(OperationObserved.class)).extracting(OperationObserved::getState).containsExactly(OperationState.SUCCEEDED);
            assertThat(kafka.elections()).as("a preferred-leader election after each restart").hasSize(5);
        }
    }

    @Test
    void neverTakesASecondPodDownWhileOneIsNotReady() {
        FakeKafka kafka = healthyCluster().topic("orders", t -> t.partition(0, replicas(0, 1, 2), isr(0, 1, 2)).minIsr(2));
        try (PodsOnFakeKafka w = world(kafka, PodsOnFakeKafka.NEW, PodsOnFakeKafka.OLD, PodsOnFakeKafka.OLD, PodsOnFakeKafka.OLD)) {
            w.recreate(KafkaRole.BROKER, 2, PodsOnFakeKafka.OLD, false);

            assertThat(new RollingRestart().step(w.context(state, op, Duration.ofMinutes(1)))).isEqualTo(Outcome.WAITING);
            assertThat(w.sink.actions(ResourceAction.RESTART)).isEmpty();
            assertThat(List.of(0, 1, 2)).allMatch(i -> w.exists(KafkaRole.BROKER, i));
        }
    }

    @Test
    void aRetriedRollFinishesTheStepThatFailedAndRestartsNoPodTwice() {
        // attempt 1 restarted broker 0, then gave up waiting for it; it is back now, on the new revision
        ClusterState retried = fold(state,
                new OperationObserved(op.id(), op.type(), OperationState.RUNNING, "config-1", null),
                new OperationStepObserved(op.id(), "restart pay-broker-0", StepState.STARTED, 0, null, 0, 6),
                new OperationStepObserved(op.id(), "restart pay-broker-0", StepState.FAILED, 0, "gave up", null, null),
                new OperationObserved(op.id(), op.type(), OperationState.FAILED, "config-1", "gave up"));
        retried = Evolve.apply(retried, Commands.on("pay").issuer("alice").commandId("retry-1").retryOperation(op.id(), null));
        RunningOperation attempt2 = RunningOperation.of("pay", retried.getStatus().getOperation());
        assertThat(attempt2.attempt()).isEqualTo(2);
        FakeKafka kafka = healthyCluster().topic("orders", t -> t.partition(0, replicas(0, 1, 2), isr(0, 1, 2)).minIsr(2));
        try (PodsOnFakeKafka w = world(kafka, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW, PodsOnFakeKafka.OLD, PodsOnFakeKafka.OLD)) {
            Outcome outcome = runToTheEnd(w, new RollingRestart(), retried, attempt2);

            assertThat(outcome).isEqualTo(Outcome.ENDED);
            assertThat(w.sink.of(OperationStepObserved.class).get(0)).satisfies(first -> {
                assertThat(first.getStep()).isEqualTo("restart pay-broker-0");
                assertThat(first.getState()).isEqualTo(StepState.FINISHED);
            });
            assertThat(w.sink.actions(ResourceAction.RESTART)).extracting(ResourceActionObserved::getName)
                    .containsExactly("pay-broker-1", "pay-broker-2");
        }
    }

    @Test
    void aManualRestartRollsThePodsCreatedBeforeItWithReasonManual() {
        RunningOperation restart = RunningOperation.start("pay", RunningOperation.ROLLING_RESTART, "restart-1");
        FakeKafka kafka = healthyCluster().topic("orders", t -> t.partition(0, replicas(0, 1, 2), isr(0, 1, 2)).minIsr(2));
        try (PodsOnFakeKafka w = world(kafka, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW)) {
            w.restartRequested(KafkaRole.BROKER, "restart-1");
            assertThat(ClusterPods.read(w.kube, w.names).outdated(KafkaRole.BROKER)).hasSize(3);
            assertThat(ClusterPods.read(w.kube, w.names).anyConfigChanged()).isFalse();

            assertThat(runToTheEnd(w, new RollingRestart(), state, restart)).isEqualTo(Outcome.ENDED);
            assertThat(w.sink.actions(ResourceAction.RESTART)).extracting(ResourceActionObserved::getName)
                    .containsExactly("pay-broker-0", "pay-broker-1", "pay-broker-2");
            assertThat(w.sink.actions(ResourceAction.RESTART)).allMatch(a -> "Manual".equals(a.getReason()) && "restart-1".equals(a.getCauseCommandId()));
            assertThat(ClusterPods.read(w.kube, w.names).anyOutdated()).isFalse();
        }
    }

    @Test
    void aNewSizingRollsOnlyItsRolesPodsNamingTheChange() {
        FakeKafka kafka = healthyCluster().topic("orders", t -> t.partition(0, replicas(0, 1, 2), isr(0, 1, 2)).minIsr(2));
        try (PodsOnFakeKafka w = world(kafka, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW)) {
            assertThat(ClusterPods.read(w.kube, w.names).anyOutdated()).isFalse();
            w.resized(KafkaRole.BROKER, "4Gi");
            ClusterPods pods = ClusterPods.read(w.kube, w.names);
            assertThat(pods.outdated(KafkaRole.BROKER)).hasSize(3);
            assertThat(pods.outdated(KafkaRole.CONTROLLER)).isEmpty();
            assertThat(pods.anyConfigChanged()).isFalse();
            assertThat(pods.firstResourcesChange()).hasValue("resources changed: memory 2Gi → 4Gi");

            assertThat(runToTheEnd(w, new RollingRestart(), state, op)).isEqualTo(Outcome.ENDED);
            assertThat(w.sink.actions(ResourceAction.RESTART)).extracting(ResourceActionObserved::getName)
                    .containsExactly("pay-broker-0", "pay-broker-1", "pay-broker-2");
            assertThat(w.sink.actions(ResourceAction.RESTART)).allSatisfy(a -> {
                assertThat(a.getReason()).isEqualTo("ResourcesChanged");
                assertThat(a.getDetail()).endsWith(", resources changed: memory 2Gi → 4Gi");
            });
            assertThat(w.sink.of(OperationStepObserved.class)).filteredOn(st -> st.getState() == StepState.STARTED)
                    .hasSize(3).allSatisfy(st -> assertThat(st.getReason()).startsWith("resources changed: memory 2Gi → 4Gi; "));
            assertThat(ClusterPods.read(w.kube, w.names).anyOutdated()).isFalse();
        }
    }

    @Test
    void aPodBackFromItsRestartButOutdatedAgainFinishesThatRestartAndGetsARecordedOneOfItsOwn() {
        // the template moved on while the pod was being re-created (the next step of a CA replacement, say)
        FakeKafka kafka = healthyCluster().topic("orders", t -> t.partition(0, replicas(0, 1, 2), isr(0, 1, 2)).minIsr(2));
        try (PodsOnFakeKafka w = world(kafka, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW, PodsOnFakeKafka.OLD)) {
            RollingRestart roll = new RollingRestart();
            assertThat(roll.step(w.context(state, op, Duration.ofMinutes(1)))).isEqualTo(Outcome.ADVANCED);
            assertThat(w.exists(KafkaRole.BROKER, 2)).isFalse();
            w.recreate(KafkaRole.BROKER, 2, PodsOnFakeKafka.OLD, true);

            assertThat(roll.step(w.context(state, op, Duration.ofMinutes(1)))).isEqualTo(Outcome.ADVANCED);
            assertThat(w.exists(KafkaRole.BROKER, 2)).as("not deleted again under the restart that is over").isTrue();
            assertThat(w.sink.of(OperationStepObserved.class)).extracting(st -> st.getStep() + " " + st.getState())
                    .containsExactly("restart pay-broker-2 STARTED", "restart pay-broker-2 FINISHED");

            assertThat(roll.step(w.context(state, op, Duration.ofMinutes(1)))).isEqualTo(Outcome.ADVANCED);
            assertThat(w.exists(KafkaRole.BROKER, 2)).isFalse();
            assertThat(w.sink.actions(ResourceAction.RESTART)).as("each delete recorded").hasSize(2);
        }
    }

    @Test
    void aWithdrawnRestartLeavesEveryPodUpToDate() {
        try (PodsOnFakeKafka w = world(healthyCluster(), PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW, PodsOnFakeKafka.NEW)) {
            w.restartRequested(KafkaRole.BROKER, "restart-1");
            w.recreate(KafkaRole.BROKER, 0, PodsOnFakeKafka.NEW, true); // restarted before the restart was abandoned
            assertThat(ClusterPods.read(w.kube, w.names).outdated(KafkaRole.BROKER)).hasSize(2);
            w.restartRequested(KafkaRole.BROKER, ""); // abandoned: what the fold leaves in spec.restarts
            assertThat(ClusterPods.read(w.kube, w.names).anyOutdated()).isFalse();
        }
    }

    private static Outcome runToTheEnd(PodsOnFakeKafka w, RollingRestart roll, ClusterState s, RunningOperation running) {
        Outcome outcome = Outcome.ADVANCED;
        for (int passes = 0; passes < 40 && outcome != Outcome.ENDED; passes++) {
            outcome = roll.step(w.context(s, running, Duration.ofMinutes(1)));
            recreateDeletedPodsOnTheNewRevision(w);
        }
        return outcome;
    }

    private static ClusterState fold(ClusterState s, Object... observations) {
        for (Object o : observations) {
            s = Evolve.apply(s, Commands.on("pay").issuer("exec").observation("exec-1", o));
        }
        return s;
    }

    private static FakeKafka healthyCluster() {
        return FakeKafka.cluster().brokers(0, 1, 2).controllers(1000, 1001, 1002);
    }

    /** Every controller on one revision, each broker on its own. */
    private static PodsOnFakeKafka world(FakeKafka kafka, String controllerRevision, String... brokerRevisions) {
        PodsOnFakeKafka w = new PodsOnFakeKafka(kafka.build()).statefulSet(KafkaRole.CONTROLLER, 3).statefulSet(KafkaRole.BROKER, 3);
        for (int i = 0; i < 3; i++) {
            w.pod(KafkaRole.CONTROLLER, i, controllerRevision);
            w.pod(KafkaRole.BROKER, i, brokerRevisions[i]);
        }
        return w;
    }

    /** What the StatefulSet controller and the kubelet do: a deleted pod comes back from the current template, Ready. */
    private static void recreateDeletedPodsOnTheNewRevision(PodsOnFakeKafka w) {
        for (KafkaRole role : List.of(KafkaRole.CONTROLLER, KafkaRole.BROKER)) {
            for (int i = 0; i < 3; i++) {
                if (!w.exists(role, i)) {
                    w.recreate(role, i, PodsOnFakeKafka.NEW, true);
                }
            }
        }
    }
}
