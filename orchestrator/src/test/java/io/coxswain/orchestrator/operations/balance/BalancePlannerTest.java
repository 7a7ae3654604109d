package io.coxswain.orchestrator.operations.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.orchestrator.operations.Decision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BalancePlannerTest {

    /** A cluster where every partition of "t" sits on brokers 1..3 in rotation: balanced over 3. */
    private static Map<TopicPartition, List<Integer>> rotated(int partitions, int rf, int brokers) {
        Map<TopicPartition, List<Integer>> a = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            List<Integer> rs = new ArrayList<>();
            for (int i = 0; i < rf; i++) {
                rs.add(1 + (p + i) % brokers);
            }
            a.put(new TopicPartition("t", p), rs);
        }
        return a;
    }

    @Test
    void alreadyBalancedClusterMovesNothing() {
        BalancePlan plan = BalancePlanner.over(List.of(1, 2, 3)).plan(rotated(12, 3, 3));
        assertThat(plan.isEmpty()).as(plan.summary()).isTrue();
        assertThat(plan.replicaMoves()).isZero();
    }

    @Test
    void scaleOutFromThreeToFiveMovesDataOntoTheNewBrokersOnly() {
        Map<TopicPartition, List<Integer>> current = rotated(10, 3, 3);
        BalancePlan plan = BalancePlanner.over(List.of(1, 2, 3, 4, 5)).plan(current);
        assertThat(plan.replicasPerBroker()).containsEntry(4, 6).containsEntry(5, 6);
        assertThat(plan.replicaMoves()).as("30 replicas over 5 brokers: exactly 12 must move").isEqualTo(12);
        plan.target().forEach((tp, rs) -> rs.stream().filter(r -> !current.get(tp).contains(r)).forEach(r -> assertThat(r).isIn(4, 5)));
        assertThat(spread(plan.leadersPerBroker(), Set.of(1, 2, 3, 4, 5))).isLessThanOrEqualTo(1);
    }

    @Test
    void scaleInDrainsTheRemovedBrokers() {
        Map<TopicPartition, List<Integer>> current = BalancePlanner.over(List.of(1, 2, 3, 4, 5)).plan(rotated(10, 3, 3)).target();
        BalancePlan plan = BalancePlanner.over(List.of(1, 2, 3, 4, 5)).draining(List.of(4, 5)).plan(current);
        assertThat(plan.replicasPerBroker()).containsOnlyKeys(1, 2, 3).containsValues(10, 10, 10);
        assertThat(plan.replicaMoves()).isEqualTo(12);
    }

    @Test
    void replacingOnlyMovesExactlyTheReplicasOnTheDrainedBrokersAndKeepsTheRestAsItIs() {
        // drained onto 1..3 and skewed there (1 leads everything); then "late" came back onto broker 4
        Map<TopicPartition, List<Integer>> current = new LinkedHashMap<>();
        for (int p = 0; p < 6; p++) {
            current.put(new TopicPartition("t", p), List.of(1, 2));
        }
        current.put(new TopicPartition("late", 0), List.of(4, 1));
        current.put(new TopicPartition("late", 1), List.of(2, 4));

        BalancePlan plan = BalancePlanner.over(List.of(1, 2, 3, 4)).draining(List.of(4)).replacingOnly().plan(current);

        assertThat(plan.changes()).containsOnlyKeys(new TopicPartition("late", 0), new TopicPartition("late", 1));
        assertThat(plan.changes().get(new TopicPartition("late", 0))).as("the drained leader's replacement leads, on the emptiest broker")
                .containsExactly(3, 1);
        assertThat(plan.changes().get(new TopicPartition("late", 1))).containsExactly(2, 3);
        assertThat(plan.replicaMoves()).isEqualTo(2);
        assertThat(BalancePlanner.over(List.of(1, 2, 3, 4)).draining(List.of(4)).plan(current).changes())
                .as("the full planner would level t as well").hasSizeGreaterThan(2);
    }

    @Test
    void scaleInBelowTheReplicationFactorIsRefusedNamingTheTopic() {
        Map<TopicPartition, List<Integer>> current = rotated(4, 3, 3);
        current.put(new TopicPartition("small", 0), List.of(1, 2));
        BalancePlanner planner = BalancePlanner.over(List.of(1, 2, 3)).draining(List.of(3));
        Decision d = planner.feasibility(current);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("only 2 broker(s) [1, 2] would remain", "topic t has replication factor 3")
                .doesNotContain("topic small");
        assertThatThrownBy(() -> planner.plan(current)).hasMessageContaining("topic t has replication factor 3");
    }

    @Test
    void racksAreUsedWhenEveryBrokerHasOne() {
        // all three replicas of every partition start in rack a
        Map<TopicPartition, List<Integer>> current = rotated(6, 3, 3);
        Map<Integer, String> racks = Map.of(1, "a", 2, "a", 3, "a", 4, "b", 5, "b", 6, "c");
        BalancePlan plan = BalancePlanner.over(List.of(1, 2, 3, 4, 5, 6)).racks(racks).plan(current);
        plan.target().forEach((tp, rs) -> assertThat(rs.stream().map(racks::get).distinct().count()).as(tp + " " + rs).isEqualTo(3));
    }

    @Test
    void samePlanForTheSameInput() {
        Map<TopicPartition, List<Integer>> current = randomCluster(new Random(7), List.of(1, 2, 3, 4), 3);
        BalancePlanner planner = BalancePlanner.over(List.of(1, 2, 3, 4, 5, 6));
        List<TopicPartition> reversed = new ArrayList<>(current.keySet());
        Collections.reverse(reversed);
        Map<TopicPartition, List<Integer>> otherOrder = new LinkedHashMap<>();
        reversed.forEach(tp -> otherOrder.put(tp, current.get(tp)));
        assertThat(planner.plan(current)).isEqualTo(planner.plan(otherOrder));
    }

    /** Properties over many random clusters (a fixed seed per case, so failures reproduce). */
    @Test
    void propertiesHoldOnRandomClusters() {
        for (int seed = 0; seed < 400; seed++) {
            Random random = new Random(seed);
            int n = 1 + random.nextInt(8);
            List<Integer> brokers = IntStream.rangeClosed(1, n).boxed().toList();
            int maxRf = Math.min(3, n);
            // start on a random prefix of the brokers: new brokers are empty, the old ones skewed
            List<Integer> occupied = brokers.subList(0, maxRf + random.nextInt(n - maxRf + 1));
            Map<TopicPartition, List<Integer>> current = randomCluster(random, occupied, maxRf);
            int maxRfUsed = current.values().stream().mapToInt(List::size).max().orElse(1);
            Set<Integer> drain = new TreeSet<>();
            if (random.nextBoolean() && n > maxRfUsed) {
                drain.addAll(brokers.subList(n - random.nextInt(n - maxRfUsed + 1), n));
            }
            boolean withRacks = random.nextInt(3) == 0;
            Map<Integer, String> racks = new HashMap<>();
            if (withRacks) {
                brokers.forEach(b -> racks.put(b, "rack-" + (b % 3)));
            }
            BalancePlan plan = BalancePlanner.over(brokers).draining(drain).racks(racks).plan(current);
            String context = "seed " + seed + ", brokers " + brokers + ", drain " + drain + ", racks " + racks + ": " + plan.summary();
            Set<Integer> target = new TreeSet<>(brokers);
            target.removeAll(drain);

            assertThat(plan.target().keySet()).as(context).containsExactlyInAnyOrderElementsOf(current.keySet());
            plan.target().forEach((tp, rs) -> {
                assertThat(rs).as(context + " RF of " + tp).hasSameSizeAs(current.get(tp));
                assertThat(new HashSet<>(rs)).as(context + " duplicates in " + tp).hasSameSizeAs(rs);
                assertThat(target).as(context + " " + tp + " on a removed broker").containsAll(rs);
            });
            if (withRacks) {
                long rackCount = target.stream().map(racks::get).distinct().count();
                plan.target().forEach((tp, rs) -> assertThat(rs.stream().map(racks::get).distinct().count())
                        .as(context + " racks of " + tp).isEqualTo(Math.min(rs.size(), rackCount)));
            } else {
                assertThat(spread(plan.replicasPerBroker(), target)).as(context).isLessThanOrEqualTo(1);
                if (current.values().stream().allMatch(rs -> rs.size() > 1)) {
                    // a single-replica partition's leader cannot move without moving data, so
                    // leaders are only guaranteed level when every partition has a choice
                    assertThat(spread(plan.leadersPerBroker(), target)).as(context + " leaders").isLessThanOrEqualTo(1);
                }
                if (drain.isEmpty()) {
                    // with a drain, partitions whose replication factor equals the remaining brokers
                    // can force a broker to gain one copy and shed another; without, it never must
                    assertNoBrokerBothGainsAndLoses(current, plan, context);
                } else {
                    assertNoCancellableDetour(current, plan, context);
                }
            }
            BalancePlan again = BalancePlanner.over(brokers).draining(drain).racks(racks).plan(plan.target());
            assertThat(again.isEmpty()).as(context + " re-planning a planned cluster: " + again.summary()).isTrue();
        }
    }

    /**
     * No broker X gains a copy of p while giving its copy of q to a broker Y that could have taken
     * p instead: that plan would copy two replicas more than needed for the same result.
     */
    private static void assertNoCancellableDetour(Map<TopicPartition, List<Integer>> current, BalancePlan plan, String context) {
        plan.target().forEach((p, pAfter) -> pAfter.stream().filter(x -> !current.get(p).contains(x)).forEach(x ->
                plan.target().forEach((q, qAfter) -> {
                    if (current.get(q).contains(x) && !qAfter.contains(x)) {
                        qAfter.stream().filter(y -> !current.get(q).contains(y) && !pAfter.contains(y)).findAny().ifPresent(y ->
                                assertThat(y).as(context + ": broker " + x + " gains " + p + " and gives " + q + " to " + y
                                        + ", which could have taken " + p + " directly").isNull());
                    }
                })));
    }

    private static void assertNoBrokerBothGainsAndLoses(Map<TopicPartition, List<Integer>> current, BalancePlan plan, String context) {
        Set<Integer> gained = new HashSet<>();
        Set<Integer> lost = new HashSet<>();
        plan.target().forEach((tp, rs) -> {
            rs.stream().filter(r -> !current.get(tp).contains(r)).forEach(gained::add);
            current.get(tp).stream().filter(r -> !rs.contains(r)).forEach(lost::add);
        });
        gained.retainAll(lost);
        assertThat(gained).as(context + " brokers that both gained and lost replicas (wasted moves)").isEmpty();
    }

    private static Map<TopicPartition, List<Integer>> randomCluster(Random random, List<Integer> brokers, int maxRf) {
        Map<TopicPartition, List<Integer>> a = new HashMap<>();
        int topics = 1 + random.nextInt(4);
        for (int t = 0; t < topics; t++) {
            int rf = 1 + random.nextInt(maxRf);
            int partitions = 1 + random.nextInt(12);
            for (int p = 0; p < partitions; p++) {
                List<Integer> shuffled = new ArrayList<>(brokers);
                Collections.shuffle(shuffled, random);
                a.put(new TopicPartition("topic-" + t, p), List.copyOf(shuffled.subList(0, rf)));
            }
        }
        return a;
    }

    private static int spread(Map<Integer, Integer> counts, Set<Integer> brokers) {
        List<Integer> all = brokers.stream().map(b -> counts.getOrDefault(b, 0)).collect(Collectors.toList());
        return Collections.max(all) - Collections.min(all);
    }
}
