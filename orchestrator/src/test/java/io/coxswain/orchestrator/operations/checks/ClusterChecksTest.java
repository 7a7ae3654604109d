package io.coxswain.orchestrator.operations.checks;

import static io.coxswain.orchestrator.operations.FakeKafka.isr;
import static io.coxswain.orchestrator.operations.FakeKafka.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.operations.Decision;
import io.coxswain.orchestrator.operations.FakeAdmin;
import io.coxswain.orchestrator.operations.FakeKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** ClusterHealthy, BrokerHoldsNoReplicas and ActiveController. */
class ClusterChecksTest {

    private static final Duration T = Duration.ofSeconds(1);

    private static FakeKafka healthy() {
        return FakeKafka.cluster().brokers(1, 2, 3).controllers(1000, 1001, 1002)
                .topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1, 2, 3)).partition(1, replicas(2, 3, 1), isr(2, 3, 1)).minIsr(2));
    }

    @Test
    void healthyClusterIsHealthy() {
        Decision d = ClusterHealthy.expecting(Set.of(1, 2, 3)).check(healthy().build(), T);
        assertThat(d.allowed()).as(d.toString()).isTrue();
        assertThat(d.reason()).contains("2 partition(s) fully in sync");
    }

    @Test
    void underReplicatedPartitionIsNotHealthy() {
        FakeAdmin admin = healthy().build();
        admin.kafka().setIsr("orders", 1, isr(2, 3));
        Decision d = ClusterHealthy.expecting(Set.of(1, 2, 3)).check(admin, T);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("orders-1", "brokers [1] out of sync", "0 offline and 1 under-replicated");
    }

    @Test
    void fencedOrMissingBrokerIsNotHealthy() {
        assertThat(ClusterHealthy.expecting(Set.of(1, 2, 3)).check(healthy().fenced(2).build(), T).reason())
                .contains("broker 2 is registered but fenced");
        assertThat(ClusterHealthy.expecting(Set.of(1, 2, 3, 4)).check(healthy().build(), T).reason())
                .contains("broker 4 is not registered");
    }

    @Test
    void offlinePartitionIsNotHealthy() {
        Decision d = ClusterHealthy.expecting(Set.of(1, 2, 3)).check(healthy().topic("lost", t -> t.partition(0, replicas(3), isr())).build(), T);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("lost-0", "is offline", "1 offline");
    }

    @Test
    void aRegisteredBrokerNotExpectedIsOnlyNoted() {
        Decision d = ClusterHealthy.expecting(Set.of(1, 2, 3)).check(healthy().brokers(4).build(), T);
        assertThat(d.allowed()).isTrue();
        assertThat(d.reason()).contains("broker 4 is registered but not expected");
    }

    @Test
    void brokerHoldingReplicasMayNotBeRemoved() {
        FakeAdmin admin = healthy().brokers(4).build();
        assertThat(BrokerHoldsNoReplicas.of(4).check(admin, T).allowed()).isTrue();
        Decision d = BrokerHoldsNoReplicas.of(3).check(admin, T);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("still holds 2 replica(s)", "orders-0", "orders-1");
    }

    @Test
    void aBrokerBeingDrainedHoldsItsReplicaUntilTheReassignmentEnds() {
        FakeAdmin admin = healthy().brokers(4).build();
        admin.alterPartitionReassignments(Map.of(
                new TopicPartition("orders", 0), Optional.of(new NewPartitionReassignment(List.of(1, 2, 4))),
                new TopicPartition("orders", 1), Optional.of(new NewPartitionReassignment(List.of(2, 4, 1)))));
        Decision during = BrokerHoldsNoReplicas.of(3).check(admin, T);
        assertThat(during.allowed()).isFalse();
        assertThat(during.reason()).contains("reassignment in flight: adding [4], removing [3]");
        admin.kafka().finishReassignments();
        assertThat(BrokerHoldsNoReplicas.of(3).check(admin, T).allowed()).isTrue();
    }

    @Test
    void activeControllerRollsLast() {
        ActiveController active = ActiveController.find(healthy().leaderController(1001).build(), T);
        assertThat(active.leader()).hasValue(1001);
        assertThat(active.rollOrder(List.of(1002, 1001, 1000))).containsExactly(1000, 1002, 1001);
        assertThat(active.reason()).contains("controller 1001 leads");
    }

    @Test
    void unknownActiveControllerKeepsIdOrderAndSaysWhy() {
        ActiveController active = ActiveController.find(healthy().leaderController(-1).build(), T);
        assertThat(active.known()).isFalse();
        assertThat(active.rollOrder(List.of(1002, 1000, 1001))).containsExactly(1000, 1001, 1002);
        assertThat(active.reason()).contains("no leader");
    }
}
