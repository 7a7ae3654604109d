package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.TopicReplicationObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.TopicSpec;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.ClusterSnapshot;
import io.coxswain.orchestrator.operations.balance.BalancePlan;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import io.coxswain.orchestrator.operations.balance.ReplicationFactorPlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication factor of the state's topics brought to the managed cluster, one step per pass and
 * never waiting in it: a topic whose partitions have another number of replicas than the state asks
 * for gets new replica lists ({@link ReplicationFactorPlanner}), recorded, then submitted with
 * {@code alterPartitionReassignments}, throttled when data is copied; the passes after it see the
 * copy in flight and submit nothing more for that topic until it lands. A topic is changed only once two passes in a row found
 * it with the same replicas and no reassignment of it listed ({@link SteadyReplicas}), and none listed again just before: a
 * reassignment in flight, one made by hand too, looks like another factor, and is left alone. Once nothing moves on the
 * cluster, the throttles a managed topic still carries are removed, with the brokers' rates: the
 * throttle lives in Kafka's own configuration, so an executor restarted mid-copy removes it as well. A reassignment Kafka
 * refuses ({@link TopicRefusals}) takes its topic's throttle away at once, as nothing of it moves.
 * Runs only with no operation running, like the rest of {@link TopicSync}: no replica is placed on a
 * broker a scale-in is draining.
 */
final class ReplicationFactorSync {

    private static final Logger log = LoggerFactory.getLogger(ReplicationFactorSync.class);
    private static final int DETAIL_PARTITIONS = 10;

    private final OperationRecorder recorder;
    private final long throttleBytes;
    private final TopicRefusals refusals;
    /** Per cluster, the topics too few brokers can hold, and why (the factor, the brokers up): warned once per reason. */
    private final Map<String, Map<String, String>> tooFewBrokers = new ConcurrentHashMap<>();
    private final SteadyReplicas looks = new SteadyReplicas();

    ReplicationFactorSync(OperationRecorder recorder, long throttleBytes, TopicRefusals refusals) {
        this.recorder = recorder;
        this.throttleBytes = throttleBytes;
        this.refusals = refusals;
    }

    /**
     * @param live    the managed topics the cluster has, as described in this pass
     * @param configs their configurations, as described in this pass
     * @return how far each topic short of its factor got, as this pass found them (before what it submits)
     */
    Map<String, TopicReplicationObserved> align(ClusterState state, Map<String, TopicDescription> live, Map<String, Config> configs, String cause,
                                                Admin admin, Duration timeout) {
        return align(state, live, configs, false, cause, admin, timeout);
    }

    /**
     * Before a scale-in starts: only the replicas beyond the state's factor are dropped, which
     * places nothing anywhere. Lowering a factor is how a scale-in is made to fit; both commands may
     * fold before a pass, and the scale-in's drain cannot move a partition with as many replicas as
     * brokers would remain (it waits for these reassignments to land before it plans). Kafka refusing one fails the pass, as
     * before: the scale-in must not start without it.
     */
    void dropExtraReplicas(ClusterState state, Map<String, TopicDescription> live, String cause, Admin admin, Duration timeout) {
        align(state, live, Map.of(), true, cause, admin, timeout);
    }

    private Map<String, TopicReplicationObserved> align(ClusterState state, Map<String, TopicDescription> live, Map<String, Config> configs,
                                                        boolean lowerOnly, String cause, Admin admin, Duration timeout) {
        String cluster = state.getClusterId();
        Map<String, TopicSpec> wanted = state.getTopics();
        List<String> differ = live.keySet().stream().filter(t -> !hasFactor(live.get(t), wanted.get(t).getReplicationFactor(), lowerOnly))
                .sorted().toList();
        if (!lowerOnly) { // nothing to ask Kafka of a topic at its factor: whatever it refused is over
            live.keySet().stream().filter(t -> !differ.contains(t)).forEach(t -> refusals.aligned(cluster, t, TopicRefusals.Kind.REPLICATION));
        }
        List<String> throttled = configs.keySet().stream().filter(t -> throttled(configs.get(t))).sorted().toList();
        if (differ.isEmpty() && throttled.isEmpty()) {
            tooFewBrokers.remove(cluster);
            if (!lowerOnly) {
                looks.forget(cluster);
            }
            return Map.of();
        }
        // while a reassignment moves a partition, its replicas are the old and the new ones together: no new plan for its topic
        Set<TopicPartition> moving = AdminCalls.await("listPartitionReassignments", admin.listPartitionReassignments().reassignments(), timeout)
                .keySet();
        if (moving.isEmpty()) {
            List<String> done = throttled.stream().filter(t -> !differ.contains(t)).toList();
            if (!done.isEmpty()) {
                log.info("cluster {}: replicas of topics {} in place, replication throttles removed", cluster, done);
                removeThrottles(done, true, admin, timeout);
            }
        }
        Set<String> movingTopics = moving.stream().map(TopicPartition::topic).collect(Collectors.toSet());
        List<String> toPlan = differ.stream().filter(t -> !movingTopics.contains(t)).toList();
        if (toPlan.isEmpty() && !lowerOnly) {
            looks.forget(cluster);
        } else if (!toPlan.isEmpty()) {
            ClusterSnapshot snapshot = ClusterSnapshot.read(admin, timeout);
            Map<String, Map<TopicPartition, List<Integer>>> seen = new TreeMap<>();
            toPlan.forEach(t -> seen.put(t, new TreeMap<>(ClusterSnapshot.ORDER)));
            snapshot.partitions().values().stream().filter(p -> seen.containsKey(p.partition().topic()))
                    .forEach(p -> seen.get(p.partition().topic()).put(p.partition(), p.replicas()));
            // lowering before a scale-in cannot wait for a second look: the scale-in starts in this pass, and its drain needs the room
            Set<String> steady = lowerOnly ? seen.keySet() : looks.steady(cluster, seen);
            Set<Integer> brokers = snapshot.brokers().values().stream().filter(b -> !b.fenced()).map(ClusterSnapshot.Broker::id)
                    .collect(Collectors.toCollection(TreeSet::new));
            ReplicationFactorPlanner planner = new ReplicationFactorPlanner(brokers, snapshot.racks(), snapshot.assignments());
            for (String topic : toPlan) {
                if (steady.contains(topic)) {
                    change(state, topic, lowerOnly, snapshot, planner, brokers, seen.get(topic).keySet(), cause, admin, timeout);
                } else {
                    int factor = wanted.get(topic).getReplicationFactor();
                    log.info("cluster {}: topic {} found with other than {} replicas on {} of its partitions, no reassignment listed; changed at"
                            + " the next pass if it finds the same replicas (a reassignment in flight, one made by hand too, looks like this for"
                            + " a moment)", cluster, topic, factor, seen.get(topic).values().stream().filter(r -> r.size() != factor).count());
                }
            }
        }
        Map<String, String> blocked = new TreeMap<>(tooFewBrokers.getOrDefault(cluster, Map.of()));
        blocked.keySet().retainAll(toPlan);
        return ReplicationProgress.of(wanted, live, moving, blocked);
    }

    private void change(ClusterState state, String topic, boolean lowerOnly, ClusterSnapshot snapshot, ReplicationFactorPlanner planner,
                        Set<Integer> brokers, Set<TopicPartition> partitions, String cause, Admin admin, Duration timeout) {
        String cluster = state.getClusterId();
        int factor = state.getTopics().get(topic).getReplicationFactor();
        SortedMap<TopicPartition, List<Integer>> current = new TreeMap<>(ClusterSnapshot.ORDER);
        Map<TopicPartition, Integer> leaders = new TreeMap<>(ClusterSnapshot.ORDER);
        Map<TopicPartition, List<Integer>> outOfSync = new TreeMap<>(ClusterSnapshot.ORDER);
        snapshot.partitions().values().stream().filter(p -> p.partition().topic().equals(topic))
                .filter(p -> !lowerOnly || p.replicas().size() > factor).forEach(p -> {
            current.put(p.partition(), p.replicas());
            p.leader().ifPresent(l -> leaders.put(p.partition(), l));
            outOfSync.put(p.partition(), p.outOfSync());
        });
        Optional<SortedMap<TopicPartition, List<Integer>>> targets = planner.plan(current, leaders, outOfSync, factor);
        Map<String, String> warned = tooFewBrokers.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
        if (targets.isEmpty()) {
            String why = "replication factor " + factor + " needs " + factor + " brokers up to place replicas on; up now: " + brokers;
            if (!why.equals(warned.put(topic, why))) {
                log.warn("cluster {}: topic {} cannot have {}; tried again each pass", cluster, topic, why);
            }
            return;
        }
        warned.remove(topic);
        if (targets.get().isEmpty()) {
            return; // described with another factor a moment ago; this newer look finds none to change
        }
        if (!AdminCalls.await("listPartitionReassignments(" + topic + ")", admin.listPartitionReassignments(partitions).reassignments(), timeout)
                .isEmpty()) {
            log.info("cluster {}: a reassignment of topic {} began since this pass looked (made by hand?); left alone while it moves, its"
                    + " replication factor looked at again once it lands", cluster, topic);
            return;
        }
        SortedMap<TopicPartition, List<Integer>> target = new TreeMap<>(current);
        target.putAll(targets.get());
        BalancePlan plan = new BalancePlan(current, target);
        Set<Integer> had = current.values().stream().map(List::size).collect(Collectors.toCollection(TreeSet::new));
        String why = "ChangeReplicationFactor: topic " + topic + " has replication factor " + (had.size() == 1 ? had.iterator().next() : "of "
                + had + " across its partitions") + " on the cluster, the state asks for " + factor;
        boolean copies = plan.replicaMoves() > 0; // only a copy needs the throttle: dropping replicas moves no data
        Runnable submit = () -> {
            ReassignmentExecutor executor = ReassignmentExecutor.of(admin, plan, timeout);
            if (copies) {
                executor.throttle(throttleBytes);
            }
            try {
                executor.submit();
                looks.submitted(cluster, topic);
            } catch (AdminCalls.AdminCallFailed e) {
                if (copies && TopicRefusals.refusal(e.getCause())) {
                    unthrottle(cluster, topic, admin, timeout);
                }
                throw e;
            }
        };
        if (lowerOnly) {
            recorder.topicAction(cluster, ResourceAction.UPDATE, topic, why, cause, detail(plan));
            submit.run();
        } else {
            refusals.make(state, new TopicRefusals.Change(TopicRefusals.Kind.REPLICATION, ResourceAction.UPDATE, topic, why, detail(plan)), cause,
                    submit);
        }
    }

    /** "orders-0 [1] → [1, 2], …": the partitions that change, the first ten of them, and the data copied. */
    private static String detail(BalancePlan plan) {
        List<String> moves = new ArrayList<>();
        plan.changes().forEach((tp, replicas) -> {
            if (moves.size() < DETAIL_PARTITIONS) {
                moves.add(tp + " " + plan.current().get(tp) + " → " + replicas);
            }
        });
        int more = plan.changes().size() - moves.size();
        return String.join(", ", moves) + (more > 0 ? " and " + more + " more" : "") + "; " + plan.replicaMoves() + " replica(s) copied";
    }

    private static boolean hasFactor(TopicDescription topic, int factor, boolean orFewer) {
        return topic.partitions().stream().allMatch(p -> p.replicas().size() == factor || orFewer && p.replicas().size() < factor);
    }

    private static boolean throttled(Config config) {
        return List.of(ReassignmentExecutor.LEADER_REPLICAS, ReassignmentExecutor.FOLLOWER_REPLICAS).stream().map(config::get)
                .anyMatch(e -> e != null && e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && !e.value().isEmpty());
    }

    /**
     * Kafka refused {@code topic}'s reassignment, whose throttle was written just before: nothing of it moves, so its throttled
     * replicas go at once (they would stay while it is refused); the brokers' rates too, unless another topic's copy moves.
     */
    private static void unthrottle(String cluster, String topic, Admin admin, Duration timeout) {
        boolean others = !AdminCalls.await("listPartitionReassignments", admin.listPartitionReassignments().reassignments(), timeout).isEmpty();
        log.info("cluster {}: the replica reassignment of topic {} refused, its replication throttle removed{}", cluster, topic,
                others ? " (the brokers' rates stay while other partitions move)" : ", with the brokers' rates");
        removeThrottles(List.of(topic), !others, admin, timeout);
    }

    /** The throttled replicas of {@code topics}, with every broker's rate when {@code rates}: the settings {@link ReassignmentExecutor#throttle} writes. */
    private static void removeThrottles(List<String> topics, boolean rates, Admin admin, Duration timeout) {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        List<AlterConfigOp> topicOps = deletes(ReassignmentExecutor.LEADER_REPLICAS, ReassignmentExecutor.FOLLOWER_REPLICAS);
        topics.forEach(t -> ops.put(new ConfigResource(ConfigResource.Type.TOPIC, t), topicOps));
        List<AlterConfigOp> brokerOps = deletes(ReassignmentExecutor.LEADER_RATE, ReassignmentExecutor.FOLLOWER_RATE);
        for (Node broker : rates ? AdminCalls.await("describeCluster", admin.describeCluster().nodes(), timeout) : List.<Node>of()) {
            ops.put(new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker.id())), brokerOps);
        }
        AdminCalls.await("incrementalAlterConfigs(remove throttles)", admin.incrementalAlterConfigs(ops).all(), timeout);
    }

    private static List<AlterConfigOp> deletes(String... keys) {
        List<AlterConfigOp> ops = new ArrayList<>();
        for (String key : keys) {
            ops.add(new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE));
        }
        return ops;
    }

    void forget(String clusterId) {
        tooFewBrokers.remove(clusterId);
        looks.forget(clusterId);
    }
}
