package io.coxswain.orchestrator.operations;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One read of what the checks need from a live cluster: the registered brokers (fenced ones too)
 * and every partition with its replicas, ISR, leader and its topic's effective
 * {@code min.insync.replicas}. Checks decide from a snapshot so that one decision is made from
 * one consistent-enough view rather than from calls interleaved with their reasoning.
 */
public record ClusterSnapshot(SortedMap<Integer, Broker> brokers, SortedMap<TopicPartition, PartitionState> partitions) {

    /** A broker as the controller knows it; an unregistered broker is simply absent. */
    public record Broker(int id, Optional<String> rack, boolean fenced) {
    }

    /** A partition's replication state; {@code leader} is empty when the partition is offline. */
    public record PartitionState(TopicPartition partition, List<Integer> replicas, List<Integer> isr, OptionalInt leader, int minIsr) {

        public PartitionState {
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
        }

        public boolean offline() {
            return leader.isEmpty();
        }

        public boolean underReplicated() {
            return isr.size() < replicas.size();
        }

        public List<Integer> outOfSync() {
            return replicas.stream().filter(r -> !isr.contains(r)).toList();
        }

        /** "orders-0 (replicas [1, 2, 3], ISR [1, 2], min.insync.replicas=2)": what a person needs to judge it. */
        public String describe() {
            return partition + " (replicas " + replicas + ", ISR " + isr + ", leader "
                    + (leader.isPresent() ? String.valueOf(leader.getAsInt()) : "none") + ", min.insync.replicas=" + minIsr + ")";
        }
    }

    public ClusterSnapshot {
        brokers = new TreeMap<>(brokers);
        partitions = sorted(partitions);
    }

    public static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public static ClusterSnapshot read(Admin admin, Duration timeout) {
        // the calls that do not need each other's answer are sent together: two round trips instead of four, for a
        // read a roll makes at every step
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true));
        KafkaFuture<Set<String>> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names();
        Map<Integer, Broker> brokers = new HashMap<>();
        for (Node node : AdminCalls.await("describeCluster", cluster.nodes(), timeout)) {
            brokers.put(node.id(), new Broker(node.id(), Optional.ofNullable(node.rack()), node.isFenced()));
        }
        Set<String> topics = AdminCalls.await("listTopics", names, timeout);
        KafkaFuture<Map<String, TopicDescription>> described = topics.isEmpty() ? null : admin.describeTopics(topics).allTopicNames();
        KafkaFuture<Map<ConfigResource, Config>> configs = topics.isEmpty() ? null : admin.describeConfigs(topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all();
        Map<String, TopicDescription> descriptions = topics.isEmpty() ? Map.of() : AdminCalls.await("describeTopics", described, timeout);
        Map<String, Integer> minIsr = topics.isEmpty() ? Map.of() : minIsr(AdminCalls.await("describeConfigs(topics)", configs, timeout));
        Map<TopicPartition, PartitionState> partitions = new HashMap<>();
        for (TopicDescription d : descriptions.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                Node leader = p.leader();
                partitions.put(tp, new PartitionState(tp, ids(p.replicas()), ids(p.isr()),
                        leader == null || leader.isEmpty() || leader.id() < 0 ? OptionalInt.empty() : OptionalInt.of(leader.id()),
                        minIsr.getOrDefault(d.name(), 1)));
            }
        }
        return new ClusterSnapshot(new TreeMap<>(brokers), sorted(partitions));
    }

    private static Map<String, Integer> minIsr(Map<ConfigResource, Config> configs) {
        Map<String, Integer> result = new HashMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            if (entry != null && entry.value() != null) {
                result.put(resource.name(), Integer.parseInt(entry.value()));
            }
        });
        return result;
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    public static <V> SortedMap<TopicPartition, V> sorted(Map<TopicPartition, V> map) {
        SortedMap<TopicPartition, V> sorted = new TreeMap<>(ORDER);
        sorted.putAll(map);
        return sorted;
    }

    /** Partitions with a replica on {@code broker}, in topic/partition order. */
    public List<PartitionState> partitionsOn(int broker) {
        return partitions.values().stream().filter(p -> p.replicas().contains(broker)).toList();
    }

    /** Current assignments, the input of the balance planner. */
    public Map<TopicPartition, List<Integer>> assignments() {
        return partitions.values().stream().collect(Collectors.toMap(PartitionState::partition, PartitionState::replicas,
                (a, b) -> a, () -> new TreeMap<>(ORDER)));
    }

    /** Racks of the registered brokers that have one. */
    public Map<Integer, String> racks() {
        Map<Integer, String> racks = new TreeMap<>();
        brokers.values().forEach(b -> b.rack().ifPresent(r -> racks.put(b.id(), r)));
        return racks;
    }
}
