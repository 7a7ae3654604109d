package io.coxswain.orchestrator.operations;

import static io.coxswain.orchestrator.operations.FakeAdmin.done;
import static io.coxswain.orchestrator.operations.FakeAdmin.failed;
import static io.coxswain.orchestrator.operations.FakeAdmin.result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsResult;
import org.apache.kafka.clients.admin.CreatePartitionsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ElectLeadersOptions;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.ElectLeadersResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A small in-memory Kafka cluster for tests of the safety checks and the reassignment executor,
 * built fluently:
 *
 * <pre>{@code
 * FakeAdmin admin = FakeKafka.cluster().brokers(1, 2, 3).controllers(1000, 1001, 1002).leaderController(1000)
 *         .topic("orders", t -> t.partition(0, replicas(1, 2, 3), isr(1, 2, 3)).minIsr(2))
 *         .quorumLag(1001, 500).build();
 * }</pre>
 *
 * The public methods with Admin's signatures are what {@link FakeAdmin} routes calls to. The rest
 * change the cluster between calls, as a test needs (a broker going down, a reassignment finishing).
 */
public final class FakeKafka {

    private final Map<Integer, Node> brokers = new TreeMap<>();
    private final Map<String, Map<Integer, Part>> topics = new TreeMap<>();
    private final FakeControllers controllers = new FakeControllers();
    private final FakeConfigs configs = new FakeConfigs();
    private final FakeReassignments reassignments = new FakeReassignments(this);
    /** "call topic" → the error that call fails with for that topic (createPartitions, alterPartitionReassignments, deleteTopics). */
    private final Map<String, Throwable> failedTopicCalls = new HashMap<>();
    /** "call topic" → how often that call asked for that topic. */
    private final Map<String, Integer> topicCalls = new HashMap<>();
    private final List<Set<TopicPartition>> elections = new ArrayList<>();

    /** One partition: mutable so tests can shrink an ISR or take a leader away. */
    public static final class Part {
        List<Integer> replicas;
        List<Integer> isr;
        Integer leader;

        Part(List<Integer> replicas, List<Integer> isr, Integer leader) {
            this.replicas = List.copyOf(replicas);
            this.isr = List.copyOf(isr);
            this.leader = leader;
        }

        public List<Integer> replicas() {
            return replicas;
        }

        public List<Integer> isr() {
            return isr;
        }
    }

    private FakeKafka() {
    }

    public static FakeKafka cluster() {
        return new FakeKafka();
    }

    public static List<Integer> replicas(Integer... ids) {
        return List.of(ids);
    }

    public static List<Integer> isr(Integer... ids) {
        return List.of(ids);
    }

    // ---- building ----

    public FakeKafka brokers(int... ids) {
        Arrays.stream(ids).forEach(id -> brokers.put(id, node(id, null, false)));
        return this;
    }

    public FakeKafka rack(int broker, String rack) {
        Node n = brokers.get(broker);
        brokers.put(broker, node(broker, rack, n.isFenced()));
        return this;
    }

    public FakeKafka fenced(int broker) {
        Node n = brokers.get(broker);
        brokers.put(broker, node(broker, n.rack(), true));
        return this;
    }

    public FakeKafka unregistered(int broker) {
        brokers.remove(broker);
        return this;
    }

    public FakeKafka controllers(int... ids) {
        controllers.add(ids);
        return this;
    }

    /** -1 means no leader is known (an election is in progress). */
    public FakeKafka leaderController(int id) {
        controllers.leader(id);
        return this;
    }

    public FakeKafka quorumLag(int controller, long records) {
        controllers.lag(controller, records);
        return this;
    }

    public FakeKafka topic(String name, Consumer<TopicBuilder> spec) {
        spec.accept(new TopicBuilder(name));
        return this;
    }

    public FakeKafka brokerConfig(int broker, String key, String value) {
        configs.set(brokerResource(broker), key, value);
        return this;
    }

    /** The dynamic override of one cluster default (broker resource ""), as incrementalAlterConfigs leaves it. */
    public FakeKafka clusterDefault(String key, String value) {
        configs.set(new ConfigResource(ConfigResource.Type.BROKER, ""), key, value);
        return this;
    }

    /** incrementalAlterConfigs refuses to set {@code key} to {@code value} (null: to remove it) with this message, until told otherwise. */
    public FakeKafka refuse(String key, String value, String message) {
        return failAlterConfig(key, value, new InvalidConfigurationException(message));
    }

    /** incrementalAlterConfigs fails setting {@code key} to {@code value} with this error (a refusal, or a timeout), until told otherwise. */
    public FakeKafka failAlterConfig(String key, String value, Throwable error) {
        configs.fail(key, value, error);
        return this;
    }

    /** {@code call} (createPartitions, alterPartitionReassignments or deleteTopics) fails for {@code topic} with this error, until told otherwise. */
    public FakeKafka failTopicCall(String call, String topic, Throwable error) {
        failedTopicCalls.put(call + " " + topic, error);
        return this;
    }

    public void stopRefusing() {
        failedTopicCalls.clear();
        configs.stopRefusing();
    }

    public int alterConfigCalls() {
        return configs.alterConfigCalls();
    }

    /** How often {@code call} (createPartitions, alterPartitionReassignments or deleteTopics) asked for {@code topic}. */
    public int calls(String call, String topic) {
        return topicCalls.getOrDefault(call + " " + topic, 0);
    }

    public FakeKafka feature(String name, int finalizedLevel, int supportedMax) {
        controllers.feature(name, finalizedLevel, supportedMax);
        return this;
    }

    /** listPartitionReassignments reports reassignments finished after this many polls. */
    public FakeKafka reassignmentsFinishAfterPolls(int polls) {
        reassignments.finishAfterPolls(polls);
        return this;
    }

    public FakeAdmin build() {
        return FakeAdmin.over(this);
    }

    /** Describes one topic's partitions and configs. */
    public final class TopicBuilder {
        private final String topic;

        TopicBuilder(String topic) {
            this.topic = topic;
            topics.computeIfAbsent(topic, t -> new TreeMap<>());
        }

        /** The leader is the first replica that is in the ISR; an empty ISR makes the partition offline. */
        public TopicBuilder partition(int partition, List<Integer> replicas, List<Integer> isr) {
            Integer leader = replicas.stream().filter(isr::contains).findFirst().orElse(null);
            return partition(partition, replicas, isr, leader);
        }

        public TopicBuilder partition(int partition, List<Integer> replicas, List<Integer> isr, Integer leader) {
            topics.get(topic).put(partition, new Part(replicas, isr, leader));
            return this;
        }

        public TopicBuilder minIsr(int minIsr) {
            return config("min.insync.replicas", String.valueOf(minIsr));
        }

        public TopicBuilder config(String key, String value) {
            configs.set(new ConfigResource(ConfigResource.Type.TOPIC, topic), key, value);
            return this;
        }
    }

    // ---- changing and inspecting between calls ----

    public Part partition(String topic, int partition) {
        return topics.get(topic).get(partition);
    }

    public void setIsr(String topic, int partition, List<Integer> isr) {
        Part p = partition(topic, partition);
        p.isr = List.copyOf(isr);
        if (p.leader != null && !isr.contains(p.leader)) {
            p.leader = isr.isEmpty() ? null : isr.get(0);
        }
    }

    public Map<String, String> configsOf(ConfigResource resource) {
        return configs.of(resource);
    }

    public short finalizedLevel(String feature) {
        return controllers.finalizedLevel(feature);
    }

    public List<Map<String, FeatureUpdate>> featureUpdates() {
        return controllers.featureUpdates();
    }

    public List<Set<TopicPartition>> elections() {
        return elections;
    }

    public Map<TopicPartition, List<Integer>> reassigning() {
        return reassignments.reassigning();
    }

    /** Completes every reassignment in flight: the new replicas are the assignment and all in sync. */
    public void finishReassignments() {
        reassignments.finish();
    }

    /** What answers FakeAdmin's calls, in the order it looks: this cluster, then its controllers, its configuration and its reassignments. */
    List<Object> answering() {
        return List.of(this, controllers, configs, reassignments);
    }

    /** Counts {@code call} for {@code topic}: the error it fails with, if told so. */
    Optional<Throwable> topicCall(String call, String topic) {
        topicCalls.merge(call + " " + topic, 1, Integer::sum);
        return Optional.ofNullable(failedTopicCalls.get(call + " " + topic));
    }

    Part partitionOrNull(String topic, int partition) {
        return topics.getOrDefault(topic, Map.of()).get(partition);
    }

    public static ConfigResource brokerResource(int broker) {
        return new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker));
    }

    // ---- Admin, as FakeAdmin routes it ----

    public DescribeClusterResult describeCluster(DescribeClusterOptions options) {
        List<Node> nodes = brokers.values().stream().filter(n -> options.includeFencedBrokers() || !n.isFenced()).toList();
        Node controller = brokers.values().stream().findFirst().orElse(Node.noNode());
        return result(DescribeClusterResult.class, done(nodes), done(controller), done("fake-cluster"),
                KafkaFuture.<Set<AclOperation>>completedFuture(null));
    }

    public ListTopicsResult listTopics(ListTopicsOptions options) {
        Map<String, TopicListing> listings = new TreeMap<>();
        topics.keySet().forEach(t -> listings.put(t, new TopicListing(t, Uuid.randomUuid(), t.startsWith("__"))));
        return result(ListTopicsResult.class, done(listings));
    }

    public DescribeTopicsResult describeTopics(TopicCollection topicCollection, DescribeTopicsOptions options) {
        Map<String, KafkaFuture<TopicDescription>> futures = new LinkedHashMap<>();
        for (String name : ((TopicCollection.TopicNameCollection) topicCollection).topicNames()) {
            Map<Integer, Part> parts = topics.get(name);
            if (parts == null) {
                futures.put(name, failed(new UnknownTopicOrPartitionException("no topic " + name)));
                continue;
            }
            List<TopicPartitionInfo> infos = new ArrayList<>();
            parts.forEach((i, p) -> infos.add(new TopicPartitionInfo(i, p.leader == null ? null : nodeFor(p.leader),
                    p.replicas.stream().map(this::nodeFor).toList(), p.isr.stream().map(this::nodeFor).toList())));
            futures.put(name, done(new TopicDescription(name, name.startsWith("__"), infos)));
        }
        return result(DescribeTopicsResult.class, null, futures);
    }

    /** New partitions get the replicas of partition 0, all in sync. */
    public CreatePartitionsResult createPartitions(Map<String, NewPartitions> increases, CreatePartitionsOptions options) {
        Map<String, KafkaFuture<Void>> futures = new LinkedHashMap<>();
        increases.forEach((topic, to) -> {
            Optional<Throwable> failure = topicCall("createPartitions", topic);
            if (failure.isPresent() || !topics.containsKey(topic)) {
                futures.put(topic, failed(failure.orElseGet(() -> new UnknownTopicOrPartitionException("no topic " + topic))));
                return;
            }
            Map<Integer, Part> parts = topics.get(topic);
            List<Integer> replicas = parts.get(0).replicas;
            for (int p = parts.size(); p < to.totalCount(); p++) {
                parts.put(p, new Part(replicas, replicas, replicas.get(0)));
            }
            futures.put(topic, done(null));
        });
        return result(CreatePartitionsResult.class, futures);
    }

    /** Deletes the topics by name, with their configuration: one the cluster lacks fails with UnknownTopicOrPartitionException. */
    public DeleteTopicsResult deleteTopics(TopicCollection topicCollection, DeleteTopicsOptions options) {
        Map<String, KafkaFuture<Void>> futures = new LinkedHashMap<>();
        for (String topic : ((TopicCollection.TopicNameCollection) topicCollection).topicNames()) {
            Optional<Throwable> failure = topicCall("deleteTopics", topic);
            if (failure.isPresent() || !topics.containsKey(topic)) {
                futures.put(topic, failed(failure.orElseGet(() -> new UnknownTopicOrPartitionException("no topic " + topic))));
                continue;
            }
            topics.remove(topic);
            configs.remove(new ConfigResource(ConfigResource.Type.TOPIC, topic));
            futures.put(topic, done(null));
        }
        return result(DeleteTopicsResult.class, null, futures);
    }

    public ElectLeadersResult electLeaders(ElectionType type, Set<TopicPartition> partitions, ElectLeadersOptions options) {
        elections.add(partitions == null ? Set.of() : Set.copyOf(partitions));
        Map<TopicPartition, Optional<Throwable>> outcome = new LinkedHashMap<>();
        topics.forEach((topic, parts) -> parts.forEach((i, p) -> {
            TopicPartition tp = new TopicPartition(topic, i);
            if (partitions == null || partitions.contains(tp)) {
                Integer preferred = p.replicas.get(0);
                if (p.isr.contains(preferred)) {
                    p.leader = preferred;
                }
                outcome.put(tp, Optional.empty());
            }
        }));
        return result(ElectLeadersResult.class, done(outcome));
    }

    private Node nodeFor(int id) {
        Node n = brokers.get(id);
        return n != null ? n : new Node(id, "", -1);
    }

    private static Node node(int id, String rack, boolean fenced) {
        return new Node(id, "broker-" + id, 9092, rack, fenced);
    }

    @Override
    public String toString() {
        return "brokers " + brokers.keySet() + ", controllers " + controllers + ", topics " + topics.keySet();
    }
}
