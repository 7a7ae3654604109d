package io.coxswain.orchestrator.operations.balance;

import io.coxswain.orchestrator.operations.ClusterSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/** The mutable working state of one {@link BalancePlanner} run; its steps are described there. */
final class Layout {
    private final Set<Integer> brokers;
    private final Map<Integer, String> racks;
    private final SortedMap<TopicPartition, List<Integer>> assignment = new TreeMap<>(ClusterSnapshot.ORDER);
    private final Map<Integer, Set<TopicPartition>> hosted = new TreeMap<>();
    private final Map<Integer, Integer> leaders = new HashMap<>();
    private final Map<TopicPartition, List<Integer>> original;

    Layout(Set<Integer> brokers, Map<Integer, String> racks, Map<TopicPartition, List<Integer>> current) {
        this.brokers = brokers;
        this.racks = racks;
        this.original = current;
        brokers.forEach(b -> hosted.put(b, new TreeSet<>(ClusterSnapshot.ORDER)));
        current.forEach((tp, replicas) -> {
            List<Integer> kept = new ArrayList<>();
            for (Integer r : replicas) {
                kept.add(brokers.contains(r) ? r : null);
                if (brokers.contains(r)) {
                    hosted.get(r).add(tp);
                }
            }
            assignment.put(tp, kept);
        });
    }

    SortedMap<TopicPartition, List<Integer>> assignment() {
        SortedMap<TopicPartition, List<Integer>> copy = new TreeMap<>(ClusterSnapshot.ORDER);
        assignment.forEach((tp, rs) -> copy.put(tp, List.copyOf(rs)));
        return copy;
    }

    private int load(int broker) {
        return hosted.get(broker).size();
    }

    private Comparator<Integer> byLoad() {
        return Comparator.<Integer>comparingInt(this::load).thenComparing(Comparator.naturalOrder());
    }

    private Set<String> racksOf(List<Integer> replicas, Integer except) {
        Set<String> used = new HashSet<>();
        replicas.forEach(r -> {
            if (r != null && !r.equals(except) && racks.containsKey(r)) {
                used.add(racks.get(r));
            }
        });
        return used;
    }

    private void place(TopicPartition tp, int slot, Integer from, int to) {
        assignment.get(tp).set(slot, to);
        if (from != null) {
            hosted.get(from).remove(tp);
        }
        hosted.get(to).add(tp);
    }

    void replaceMissing() {
        assignment.forEach((tp, replicas) -> {
            for (int slot = 0; slot < replicas.size(); slot++) {
                if (replicas.get(slot) == null) {
                    Set<String> used = racksOf(replicas, null);
                    Integer best = brokers.stream().filter(b -> !replicas.contains(b))
                            .min(Comparator.<Integer>comparingInt(b -> used.contains(racks.get(b)) ? 1 : 0).thenComparing(byLoad()))
                            .orElseThrow();
                    place(tp, slot, null, best);
                }
            }
        });
    }

    void spreadRacks() {
        int rackCount = new HashSet<>(racks.values()).size();
        assignment.forEach((tp, replicas) -> {
            int wanted = Math.min(replicas.size(), rackCount);
            // walk from the last slot so the leader is the replica least likely to move
            for (int slot = replicas.size() - 1; slot >= 0 && racksOf(replicas, null).size() < wanted; slot--) {
                Integer r = replicas.get(slot);
                Set<String> others = racksOf(replicas, r);
                if (!others.contains(racks.get(r))) {
                    continue;
                }
                brokers.stream().filter(b -> !replicas.contains(b) && !others.contains(racks.get(b)))
                        .min(byLoad()).ifPresent(b -> place(tp, replicas.indexOf(r), r, b));
            }
        });
    }

    void levelReplicas() {
        boolean moved = true;
        while (moved) {
            moved = false;
            List<Integer> order = new ArrayList<>(brokers);
            order.sort(byLoad());
            search:
            for (int hi = order.size() - 1; hi > 0; hi--) {
                for (int lo = 0; lo < hi; lo++) {
                    int from = order.get(hi);
                    int to = order.get(lo);
                    if (load(from) - load(to) < 2) {
                        break;
                    }
                    TopicPartition pick = pickMove(from, to);
                    if (pick != null) {
                        place(pick, assignment.get(pick).indexOf(from), from, to);
                        moved = true;
                        break search;
                    }
                }
            }
        }
    }

    /** A partition on {@code from} that {@code to} may take, a follower before a leader. */
    private TopicPartition pickMove(int from, int to) {
        TopicPartition leaderChoice = null;
        for (TopicPartition tp : hosted.get(from)) {
            List<Integer> replicas = assignment.get(tp);
            if (replicas.contains(to) || !keepsRackSpread(replicas, from, to)) {
                continue;
            }
            if (!replicas.get(0).equals(from)) {
                return tp;
            }
            if (leaderChoice == null) {
                leaderChoice = tp;
            }
        }
        return leaderChoice;
    }

    private boolean keepsRackSpread(List<Integer> replicas, int from, int to) {
        if (racks.isEmpty()) {
            return true;
        }
        String target = racks.get(to);
        return target.equals(racks.get(from)) || !racksOf(replicas, from).contains(target);
    }

    /**
     * Removes detours: a broker X that received a copy of p (while re-placing a drained replica)
     * and gave away its copy of q to Y. Giving p to Y directly and leaving q on X ends with the
     * same counts and two fewer copies. Replica slots have not been reordered yet, so a slot of
     * q still identifies who replaced whom.
     */
    void cancelDetours() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int x : brokers) {
                if (cancelOneDetour(x)) {
                    changed = true;
                }
            }
        }
    }

    private boolean cancelOneDetour(int x) {
        for (TopicPartition p : hosted.get(x)) {
            if (original.get(p).contains(x)) {
                continue;
            }
            List<Integer> pReplicas = assignment.get(p);
            for (Map.Entry<TopicPartition, List<Integer>> q : assignment.entrySet()) {
                List<Integer> before = original.get(q.getKey());
                int slot = before.indexOf(x);
                if (slot < 0 || q.getValue().contains(x)) {
                    continue;
                }
                Integer y = q.getValue().get(slot);
                if (before.contains(y) || pReplicas.contains(y)
                        || !keepsRackSpread(pReplicas, x, y) || !keepsRackSpread(q.getValue(), y, x)) {
                    continue;
                }
                place(p, pReplicas.indexOf(x), x, y);
                place(q.getKey(), slot, y, x);
                return true;
            }
        }
        return false;
    }

    /**
     * Moves preferred leadership along chains: broker a can hand leadership of a partition it
     * leads to any other replica b of it (a reorder, no data moves). A breadth-first search from
     * the broker leading most finds the shortest chain to one leading at least two fewer; each
     * chain lowers the spread and leaves the brokers in the middle unchanged, so this ends.
     */
    void levelLeaders() {
        assignment.values().forEach(rs -> leaders.merge(rs.get(0), 1, Integer::sum));
        boolean shifted = true;
        while (shifted) {
            shifted = false;
            List<Integer> order = new ArrayList<>(brokers);
            order.sort(Comparator.<Integer>comparingInt(this::leadersOf).reversed().thenComparing(Comparator.naturalOrder()));
            for (int from : order) {
                if (shiftChain(from)) {
                    shifted = true;
                    break;
                }
            }
        }
    }

    private boolean shiftChain(int from) {
        Map<Integer, TopicPartition> via = new HashMap<>();
        Map<Integer, Integer> parent = new HashMap<>();
        List<Integer> queue = new ArrayList<>(List.of(from));
        parent.put(from, from);
        for (int i = 0; i < queue.size(); i++) {
            int a = queue.get(i);
            for (Map.Entry<TopicPartition, List<Integer>> e : assignment.entrySet()) {
                List<Integer> replicas = e.getValue();
                if (replicas.get(0) != a) {
                    continue;
                }
                for (int b : replicas) {
                    if (parent.containsKey(b)) {
                        continue;
                    }
                    parent.put(b, a);
                    via.put(b, e.getKey());
                    if (leadersOf(b) <= leadersOf(from) - 2) {
                        for (int node = b; node != from; node = parent.get(node)) {
                            List<Integer> rs = assignment.get(via.get(node));
                            int slot = rs.indexOf(node);
                            rs.set(slot, rs.get(0));
                            rs.set(0, node);
                        }
                        leaders.merge(from, -1, Integer::sum);
                        leaders.merge(b, 1, Integer::sum);
                        return true;
                    }
                    queue.add(b);
                }
            }
        }
        return false;
    }

    private int leadersOf(int broker) {
        return leaders.getOrDefault(broker, 0);
    }
}
