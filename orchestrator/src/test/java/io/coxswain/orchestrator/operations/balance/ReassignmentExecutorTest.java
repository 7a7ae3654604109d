package io.coxswain.orchestrator.operations.balance;

import static io.coxswain.orchestrator.operations.FakeKafka.brokerResource;
import static io.coxswain.orchestrator.operations.FakeKafka.isr;
import static io.coxswain.orchestrator.operations.FakeKafka.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.FakeAdmin;
import io.coxswain.orchestrator.operations.FakeKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class ReassignmentExecutorTest {

    private static final Duration T = Duration.ofSeconds(1);
    private static final ConfigResource ORDERS = new ConfigResource(ConfigResource.Type.TOPIC, "orders");

    private static FakeAdmin threeBrokersAndTwoNew() {
        return FakeKafka.cluster().brokers(1, 2, 3, 4, 5)
                .topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1, 2, 3)).partition(1, replicas(2, 3, 1), isr(2, 3, 1))
                        .partition(2, replicas(3, 1, 2), isr(3, 1, 2)).partition(3, replicas(1, 3, 2), isr(1, 3, 2)).minIsr(2))
                .build();
    }

    @Test
    void throttlesSubmitsReportsProgressAndRemovesTheThrottle() {
        FakeAdmin admin = threeBrokersAndTwoNew();
        admin.kafka().reassignmentsFinishAfterPolls(3);
        ClusterSnapshot snapshot = ClusterSnapshot.read(admin, T);
        BalancePlan plan = BalancePlanner.over(snapshot.brokers().keySet()).plan(snapshot.assignments());
        ReassignmentExecutor executor = ReassignmentExecutor.of(admin, plan, T);
        assertThat(plan.replicaMoves()).isPositive();

        executor.throttle(10_000_000);
        assertThat(admin.kafka().configsOf(brokerResource(4)))
                .containsEntry(ReassignmentExecutor.LEADER_RATE, "10000000").containsEntry(ReassignmentExecutor.FOLLOWER_RATE, "10000000");
        assertThat(admin.kafka().configsOf(ORDERS).get(ReassignmentExecutor.FOLLOWER_REPLICAS)).matches("(\\d:[45],?)+");
        assertThat(admin.kafka().configsOf(ORDERS).get(ReassignmentExecutor.LEADER_REPLICAS)).matches("(\\d:[123],?)+");

        Set<TopicPartition> submitted = executor.submit();
        assertThat(submitted).hasSize(plan.changes().size());
        assertThat(executor.submit()).as("nothing is submitted twice").isEmpty();

        List<ReassignmentProgress> seen = new ArrayList<>();
        ReassignmentProgress end = executor.awaitDone(Duration.ofSeconds(5), Duration.ofMillis(1), seen::add);
        assertThat(end.done()).isTrue();
        assertThat(seen.get(0).moved()).isZero();
        assertThat(seen.get(0).inFlight()).hasSize(plan.changes().size());
        assertThat(end.toString()).isEqualTo(plan.changes().size() + "/" + plan.changes().size() + " partitions moved");

        executor.removeThrottle();
        assertThat(admin.kafka().configsOf(brokerResource(4))).isEmpty();
        assertThat(admin.kafka().configsOf(ORDERS)).containsOnlyKeys("min.insync.replicas");

        executor.electPreferredLeaders();
        assertThat(admin.kafka().elections()).containsExactly(plan.changes().keySet());
        plan.target().forEach((tp, rs) -> assertThat(admin.kafka().partition(tp.topic(), tp.partition()).replicas()).isEqualTo(rs));
    }

    @Test
    void cancelStopsWhatIsMovingAndProgressSaysNotStarted() {
        FakeAdmin admin = threeBrokersAndTwoNew();
        ClusterSnapshot snapshot = ClusterSnapshot.read(admin, T);
        ReassignmentExecutor executor = ReassignmentExecutor.of(admin,
                BalancePlanner.over(snapshot.brokers().keySet()).plan(snapshot.assignments()), T);
        executor.submit();
        executor.cancel();
        assertThat(admin.kafka().reassigning()).isEmpty();
        assertThat(executor.progress().notStarted()).isNotEmpty();
        assertThat(executor.progress().moved()).isZero();
    }

    @Test
    void anEmptyPlanIsDoneAtOnce() {
        FakeAdmin admin = FakeKafka.cluster().brokers(1, 2, 3).topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1, 2, 3))
                .partition(1, replicas(2, 3, 1), isr(2, 3, 1)).partition(2, replicas(3, 1, 2), isr(3, 1, 2))).build();
        ClusterSnapshot snapshot = ClusterSnapshot.read(admin, T);
        ReassignmentExecutor executor = ReassignmentExecutor.of(admin, BalancePlanner.over(List.of(1, 2, 3)).plan(snapshot.assignments()), T);
        assertThat(executor.submit()).isEmpty();
        assertThat(executor.progress().done()).isTrue();
    }
}
