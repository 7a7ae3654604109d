package io.coxswain.orchestrator.operations.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The replica lists of a replication factor change: current replicas first, least-loaded brokers added, the leader never dropped. */
class ReplicationFactorPlannerTest {

    private static final Set<Integer> BROKERS = Set.of(1, 2, 3, 4);

    private static TopicPartition orders(int p) {
        return new TopicPartition("orders", p);
    }

    private static Map<TopicPartition, List<Integer>> cluster(Map<TopicPartition, List<Integer>> orders) {
        Map<TopicPartition, List<Integer>> all = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        all.putAll(orders);
        // another topic's load: broker 1 holds 3 replicas, broker 2 holds 2, broker 3 one, broker 4 none
        all.put(new TopicPartition("payments", 0), List.of(1, 2, 3));
        all.put(new TopicPartition("payments", 1), List.of(1, 2));
        all.put(new TopicPartition("payments", 2), List.of(1));
        return all;
    }

    @Test
    void raisingKeepsTheCurrentReplicasFirstAndAddsTheLeastLoadedBrokers() {
        Map<TopicPartition, List<Integer>> orders = Map.of(orders(0), List.of(2), orders(1), List.of(3), orders(2), List.of(1));
        ReplicationFactorPlanner planner = new ReplicationFactorPlanner(BROKERS, Map.of(), cluster(orders));
        // load before: 1→4, 2→3, 3→2, 4→0; each added replica counts for the next
        SortedMap<TopicPartition, List<Integer>> plan = planner.plan(orders, Map.of(), Map.of(), 3).orElseThrow();
        assertThat(plan).containsExactly(
                Map.entry(orders(0), List.of(2, 4, 3)),  // 4 (0 replicas), then 3 (2): now 4→1, 3→3
                Map.entry(orders(1), List.of(3, 4, 2)),  // 4 (1), then 2 (3, fewer than 1's 4): now 4→2, 2→4
                Map.entry(orders(2), List.of(1, 4, 3))); // 4 (2), then 3 (3, fewer than 2's 4)
    }

    @Test
    void theSameInputGivesTheSamePlan() {
        Map<TopicPartition, List<Integer>> orders = Map.of(orders(0), List.of(2), orders(1), List.of(3), orders(2), List.of(1));
        assertThat(new ReplicationFactorPlanner(BROKERS, Map.of(), cluster(orders)).plan(orders, Map.of(), Map.of(), 2))
                .isEqualTo(new ReplicationFactorPlanner(BROKERS, Map.of(), cluster(orders)).plan(orders, Map.of(), Map.of(), 2));
    }

    @Test
    void onATieTheLowerBrokerIdAndWithRacksAnUnusedRackComeFirst() {
        Map<TopicPartition, List<Integer>> orders = Map.of(orders(0), List.of(1));
        assertThat(new ReplicationFactorPlanner(BROKERS, Map.of(), orders).plan(orders, Map.of(), Map.of(), 2).orElseThrow())
                .containsExactly(Map.entry(orders(0), List.of(1, 2)));
        // broker 2 shares broker 1's rack: 3, empty and in another rack, is taken before it
        Map<Integer, String> racks = Map.of(1, "a", 2, "a", 3, "b", 4, "b");
        assertThat(new ReplicationFactorPlanner(BROKERS, racks, orders).plan(orders, Map.of(), Map.of(), 2).orElseThrow())
                .containsExactly(Map.entry(orders(0), List.of(1, 3)));
    }

    @Test
    void loweringDropsFromTheEndButNeverTheLeader() {
        Map<TopicPartition, List<Integer>> orders = Map.of(orders(0), List.of(1, 2, 3), orders(1), List.of(2, 3, 4),
                orders(2), List.of(3, 4, 1), orders(3), List.of(4, 1, 2));
        Map<TopicPartition, Integer> leaders = Map.of(orders(0), 1, orders(1), 4, orders(2), 1);
        ReplicationFactorPlanner planner = new ReplicationFactorPlanner(BROKERS, Map.of(), cluster(orders));
        assertThat(planner.plan(orders, leaders, Map.of(), 2).orElseThrow()).containsExactly(
                Map.entry(orders(0), List.of(1, 2)),
                Map.entry(orders(1), List.of(2, 4)),
                Map.entry(orders(2), List.of(3, 1)),
                Map.entry(orders(3), List.of(4, 1))); // no leader known: the preferred one stays
        assertThat(planner.plan(orders, leaders, Map.of(), 1).orElseThrow()).containsExactly(
                Map.entry(orders(0), List.of(1)), Map.entry(orders(1), List.of(4)), Map.entry(orders(2), List.of(1)), Map.entry(orders(3), List.of(4)));
    }

    @Test
    void loweringDropsTheReplicasOutOfSyncFirstSoNoInSyncReplicaIsLostWhileOneBehindRemains() {
        Map<TopicPartition, List<Integer>> orders = Map.of(orders(0), List.of(1, 2, 3), orders(1), List.of(2, 3, 4), orders(2), List.of(3, 4, 1));
        Map<TopicPartition, Integer> leaders = Map.of(orders(0), 1, orders(1), 2, orders(2), 3);
        // broker 2 restarting: behind on orders-0; orders-1 has two replicas behind; orders-2 all in sync
        Map<TopicPartition, List<Integer>> outOfSync = Map.of(orders(0), List.of(2), orders(1), List.of(3, 4), orders(2), List.of());
        ReplicationFactorPlanner planner = new ReplicationFactorPlanner(BROKERS, Map.of(), cluster(orders));
        assertThat(planner.plan(orders, leaders, outOfSync, 2).orElseThrow()).containsExactly(
                Map.entry(orders(0), List.of(1, 3)), // 2 is behind: it goes, though 3 is last
                Map.entry(orders(1), List.of(2, 3)), // both behind: the later one goes
                Map.entry(orders(2), List.of(3, 4))); // all in sync: from the end
        assertThat(planner.plan(orders, Map.of(orders(0), 2), outOfSync, 1).orElseThrow().get(orders(0)))
                .as("the leader stays even when the ISR says it is behind").containsExactly(2);
    }

    @Test
    void partitionsAlreadyAtTheFactorAreLeftOutAndTooFewBrokersPlanNothing() {
        Map<TopicPartition, List<Integer>> orders = Map.of(orders(0), List.of(1, 2), orders(1), List.of(3));
        assertThat(new ReplicationFactorPlanner(BROKERS, Map.of(), orders).plan(orders, Map.of(), Map.of(), 2).orElseThrow())
                .containsOnlyKeys(orders(1));
        // broker 4 fenced or gone: three brokers cannot hold four replicas
        assertThat(new ReplicationFactorPlanner(Set.of(1, 2, 3), Map.of(), orders).plan(orders, Map.of(), Map.of(), 4)).isEmpty();
    }
}
