package io.coxswain.orchestrator.operations.balance;

import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.ClusterSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Applies a {@link BalancePlan} the way {@code kafka-reassign-partitions --throttle} does, in
 * steps a resumable operation can record one by one:
 *
 * <ol>
 *   <li>{@link #throttle(long)}: a replication rate limit on every broker involved
 *       ({@code leader/follower.replication.throttled.rate}) and, per topic, which replicas it
 *       applies to ({@code leader.replication.throttled.replicas} = the current replicas, which
 *       serve the copy; {@code follower.replication.throttled.replicas} = the new ones), so the copy
 *       cannot starve producers and consumers;
 *   <li>{@link #submit()}: {@code alterPartitionReassignments} for the partitions neither at their
 *       target nor moving, so calling it again after a restart submits nothing twice;
 *   <li>{@link #progress()} until done (or {@link #awaitDone});
 *   <li>{@link #removeThrottle()}, then {@link #electPreferredLeaders()}.
 * </ol>
 */
public final class ReassignmentExecutor {

    public static final String LEADER_RATE = "leader.replication.throttled.rate";
    public static final String FOLLOWER_RATE = "follower.replication.throttled.rate";
    public static final String LEADER_REPLICAS = "leader.replication.throttled.replicas";
    public static final String FOLLOWER_REPLICAS = "follower.replication.throttled.replicas";

    private final Admin admin;
    private final Duration timeout;
    private final SortedMap<TopicPartition, List<Integer>> before;
    private final SortedMap<TopicPartition, List<Integer>> targets;

    private ReassignmentExecutor(Admin admin, BalancePlan plan, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
        this.targets = plan.changes();
        this.before = ClusterSnapshot.sorted(targets.keySet().stream().collect(Collectors.toMap(tp -> tp, plan.current()::get)));
    }

    /** @param callTimeout how long one Admin call may take */
    public static ReassignmentExecutor of(Admin admin, BalancePlan plan, Duration callTimeout) {
        return new ReassignmentExecutor(admin, plan, callTimeout);
    }

    /** Every broker that sends or receives data in this plan. */
    public Set<Integer> brokersInvolved() {
        Set<Integer> brokers = new TreeSet<>();
        before.values().forEach(brokers::addAll);
        targets.values().forEach(brokers::addAll);
        return brokers;
    }

    public Set<String> topicsInvolved() {
        return targets.keySet().stream().map(TopicPartition::topic).collect(Collectors.toCollection(TreeSet::new));
    }

    public void throttle(long bytesPerSecond) {
        String rate = String.valueOf(bytesPerSecond);
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        for (int broker : brokersInvolved()) {
            ops.put(broker(broker), List.of(set(LEADER_RATE, rate), set(FOLLOWER_RATE, rate)));
        }
        for (String topic : topicsInvolved()) {
            List<String> leaders = new ArrayList<>();
            List<String> followers = new ArrayList<>();
            targets.forEach((tp, target) -> {
                if (tp.topic().equals(topic)) {
                    before.get(tp).forEach(r -> leaders.add(tp.partition() + ":" + r));
                    target.stream().filter(r -> !before.get(tp).contains(r)).forEach(r -> followers.add(tp.partition() + ":" + r));
                }
            });
            List<AlterConfigOp> topicOps = new ArrayList<>();
            topicOps.add(set(LEADER_REPLICAS, String.join(",", leaders)));
            if (!followers.isEmpty()) {
                topicOps.add(set(FOLLOWER_REPLICAS, String.join(",", followers)));
            }
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), topicOps);
        }
        AdminCalls.await("incrementalAlterConfigs(throttle)", admin.incrementalAlterConfigs(ops).all(), timeout);
    }

    /** @return the partitions submitted now (none when everything is moving or moved already) */
    public Set<TopicPartition> submit() {
        ReassignmentProgress progress = progress();
        Map<TopicPartition, Optional<NewPartitionReassignment>> request = new LinkedHashMap<>();
        progress.notStarted().forEach(tp -> request.put(tp, Optional.of(new NewPartitionReassignment(targets.get(tp)))));
        if (!request.isEmpty()) {
            AdminCalls.await("alterPartitionReassignments", admin.alterPartitionReassignments(request).all(), timeout);
        }
        return request.keySet();
    }

    public ReassignmentProgress progress() {
        if (targets.isEmpty()) {
            return new ReassignmentProgress(0, 0, List.of(), List.of());
        }
        Map<TopicPartition, PartitionReassignment> moving = AdminCalls.await("listPartitionReassignments",
                admin.listPartitionReassignments(new HashSet<>(targets.keySet())).reassignments(), timeout);
        Map<String, TopicDescription> topics = AdminCalls.await("describeTopics", admin.describeTopics(topicsInvolved()).allTopicNames(), timeout);
        int moved = 0;
        List<TopicPartition> inFlight = new ArrayList<>();
        List<TopicPartition> notStarted = new ArrayList<>();
        for (Map.Entry<TopicPartition, List<Integer>> e : targets.entrySet()) {
            TopicPartition tp = e.getKey();
            if (moving.containsKey(tp)) {
                inFlight.add(tp);
            } else if (e.getValue().equals(replicasOf(topics.get(tp.topic()), tp.partition()))) {
                moved++;
            } else {
                notStarted.add(tp);
            }
        }
        return new ReassignmentProgress(moved, targets.size(), inFlight, notStarted);
    }

    /**
     * Polls {@link #progress()} until the plan is done or the deadline passes, telling
     * {@code listener} each time the count of moved partitions changes.
     */
    public ReassignmentProgress awaitDone(Duration deadline, Duration pollEvery, Consumer<ReassignmentProgress> listener) {
        long end = System.nanoTime() + deadline.toNanos();
        int lastMoved = -1;
        while (true) {
            ReassignmentProgress progress = progress();
            if (progress.moved() != lastMoved) {
                listener.accept(progress);
                lastMoved = progress.moved();
            }
            if (progress.done() || System.nanoTime() >= end) {
                return progress;
            }
            try {
                Thread.sleep(pollEvery.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return progress;
            }
        }
    }

    /** Deletes every throttle setting this plan uses; safe to repeat. */
    public void removeThrottle() {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        brokersInvolved().forEach(b -> ops.put(broker(b), List.of(delete(LEADER_RATE), delete(FOLLOWER_RATE))));
        topicsInvolved().forEach(t -> ops.put(new ConfigResource(ConfigResource.Type.TOPIC, t), List.of(delete(LEADER_REPLICAS), delete(FOLLOWER_REPLICAS))));
        AdminCalls.await("incrementalAlterConfigs(remove throttle)", admin.incrementalAlterConfigs(ops).all(), timeout);
    }

    /** Stops what is still moving: partitions go back to their replicas before the plan. */
    public void cancel() {
        Map<TopicPartition, Optional<NewPartitionReassignment>> request = new TreeMap<>(ClusterSnapshot.ORDER);
        progress().inFlight().forEach(tp -> request.put(tp, Optional.empty()));
        if (!request.isEmpty()) {
            AdminCalls.await("alterPartitionReassignments(cancel)", admin.alterPartitionReassignments(request).all(), timeout);
        }
    }

    /**
     * Makes the first replica of each planned partition its leader. Partitions already led by
     * their preferred leader answer ElectionNotNeeded, which is success here.
     */
    public void electPreferredLeaders() {
        if (targets.isEmpty()) {
            return;
        }
        Map<TopicPartition, Optional<Throwable>> results = AdminCalls.await("electLeaders",
                admin.electLeaders(ElectionType.PREFERRED, new HashSet<>(targets.keySet())).partitions(), timeout);
        results.forEach((tp, error) -> error.ifPresent(e -> {
            if (!(e instanceof org.apache.kafka.common.errors.ElectionNotNeededException)) {
                throw new AdminCalls.AdminCallFailed("preferred leader election for " + tp + " failed: " + e.getMessage(), e);
            }
        }));
    }

    private static List<Integer> replicasOf(TopicDescription topic, int partition) {
        return topic.partitions().stream().filter(p -> p.partition() == partition).findFirst()
                .map(p -> p.replicas().stream().map(Node::id).toList()).orElse(List.of());
    }

    private static ConfigResource broker(int id) {
        return new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(id));
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static AlterConfigOp delete(String key) {
        return new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE);
    }
}
