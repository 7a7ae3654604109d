package io.coxswain.orchestrator.operations;

import static io.coxswain.orchestrator.operations.FakeAdmin.done;
import static io.coxswain.orchestrator.operations.FakeAdmin.failed;
import static io.coxswain.orchestrator.operations.FakeAdmin.result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.AlterConfigsResult;
import org.apache.kafka.clients.admin.AlterPartitionReassignmentsOptions;
import org.apache.kafka.clients.admin.AlterPartitionReassignmentsResult;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreatePartitionsResult;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.clients.admin.DescribeFeaturesOptions;
import org.apache.kafka.clients.admin.DescribeFeaturesResult;
import org.apache.kafka.clients.admin.DescribeMetadataQuorumOptions;
import org.apache.kafka.clients.admin.DescribeMetadataQuorumResult;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ElectLeadersOptions;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.SupportedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.admin.UpdateFeaturesResult;
import org.apache.kafka.clients.admin.ElectLeadersResult;
import org.apache.kafka.clients.admin.ListPartitionReassignmentsOptions;
import org.apache.kafka.clients.admin.ListPartitionReassignmentsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsResult;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.QuorumInfo;
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
import org.apache.kafka.common.errors.InvalidUpdateVersionException;
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

    private static final long QUORUM_END = 10_000;

    private final Map<Integer, Node> brokers = new TreeMap<>();
    private final List<Integer> controllers = new ArrayList<>();
    private final Map<Integer, Long> quorumLag = new HashMap<>();
    private int leaderController = -1;
    private final Map<String, Map<Integer, Part>> topics = new TreeMap<>();
    private final Map<ConfigResource, Map<String, String>> configs = new HashMap<>();
    private final Map<String, Throwable> refusedValues = new HashMap<>();
    /** "call topic" → the error that call fails with for that topic (createPartitions, alterPartitionReassignments). */
    private final Map<String, Throwable> failedTopicCalls = new HashMap<>();
    private int alterConfigCalls;
    private final Map<TopicPartition, List<Integer>> reassigning = new LinkedHashMap<>();
    private final List<Set<TopicPartition>> elections = new ArrayList<>();
    /** Feature name → {finalized level, highest level the nodes support}. */
    private final Map<String, short[]> features = new TreeMap<>();
    private final List<Map<String, FeatureUpdate>> featureUpdates = new ArrayList<>();
    private int reassignmentPollsUntilDone = Integer.MAX_VALUE;
    private int reassignmentPolls;

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
        Arrays.stream(ids).forEach(controllers::add);
        if (leaderController < 0 && ids.length > 0) {
            leaderController = ids[0];
        }
        return this;
    }

    /** -1 means no leader is known (an election is in progress). */
    public FakeKafka leaderController(int id) {
        leaderController = id;
        return this;
    }

    public FakeKafka quorumLag(int controller, long records) {
        quorumLag.put(controller, records);
        return this;
    }

    public FakeKafka topic(String name, Consumer<TopicBuilder> spec) {
        spec.accept(new TopicBuilder(name));
        return this;
    }

    public FakeKafka brokerConfig(int broker, String key, String value) {
        configs.computeIfAbsent(brokerResource(broker), r -> new TreeMap<>()).put(key, value);
        return this;
    }

    /** The dynamic override of one cluster default (broker resource ""), as incrementalAlterConfigs leaves it. */
    public FakeKafka clusterDefault(String key, String value) {
        configs.computeIfAbsent(new ConfigResource(ConfigResource.Type.BROKER, ""), r -> new TreeMap<>()).put(key, value);
        return this;
    }

    /** incrementalAlterConfigs refuses to set {@code key} to {@code value} (null: to remove it) with this message, until told otherwise. */
    public FakeKafka refuse(String key, String value, String message) {
        return failAlterConfig(key, value, new InvalidConfigurationException(message));
    }

    /** incrementalAlterConfigs fails setting {@code key} to {@code value} with this error (a refusal, or a timeout), until told otherwise. */
    public FakeKafka failAlterConfig(String key, String value, Throwable error) {
        refusedValues.put(key + "=" + value, error);
        return this;
    }

    /** {@code call} (createPartitions or alterPartitionReassignments) fails for {@code topic} with this error, until told otherwise. */
    public FakeKafka failTopicCall(String call, String topic, Throwable error) {
        failedTopicCalls.put(call + " " + topic, error);
        return this;
    }

    public void stopRefusing() {
        failedTopicCalls.clear();
        refusedValues.clear();
    }

    public int alterConfigCalls() {
        return alterConfigCalls;
    }

    public FakeKafka feature(String name, int finalizedLevel, int supportedMax) {
        features.put(name, new short[] {(short) finalizedLevel, (short) supportedMax});
        return this;
    }

    /** listPartitionReassignments reports reassignments finished after this many polls. */
    public FakeKafka reassignmentsFinishAfterPolls(int polls) {
        reassignmentPollsUntilDone = polls;
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
            configs.computeIfAbsent(new ConfigResource(ConfigResource.Type.TOPIC, topic), r -> new TreeMap<>()).put(key, value);
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
        return configs.getOrDefault(resource, Map.of());
    }

    public short finalizedLevel(String feature) {
        return features.get(feature)[0];
    }

    public List<Map<String, FeatureUpdate>> featureUpdates() {
        return featureUpdates;
    }

    public List<Set<TopicPartition>> elections() {
        return elections;
    }

    public Map<TopicPartition, List<Integer>> reassigning() {
        return reassigning;
    }

    /** Completes every reassignment in flight: the new replicas are the assignment and all in sync. */
    public void finishReassignments() {
        reassigning.forEach((tp, target) -> {
            Part p = partition(tp.topic(), tp.partition());
            p.replicas = List.copyOf(target);
            p.isr = List.copyOf(target);
            p.leader = p.leader != null && target.contains(p.leader) ? p.leader : target.get(0);
        });
        reassigning.clear();
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

    public DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources, DescribeConfigsOptions options) {
        Map<ConfigResource, KafkaFuture<Config>> futures = new LinkedHashMap<>();
        for (ConfigResource r : resources) {
            Map<String, String> values = new TreeMap<>(configs.getOrDefault(r, Map.of()));
            if (r.type() == ConfigResource.Type.TOPIC) {
                values.putIfAbsent("min.insync.replicas", "1");
            }
            ConfigEntry.ConfigSource source = r.type() == ConfigResource.Type.TOPIC ? ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                    : r.name().isEmpty() ? ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG : ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG;
            futures.put(r, done(new Config(values.entrySet().stream().map(e -> new ConfigEntry(e.getKey(), e.getValue(), source, false, false,
                    List.of(), ConfigEntry.ConfigType.UNKNOWN, null)).toList())));
        }
        return result(DescribeConfigsResult.class, futures);
    }

    public AlterConfigsResult incrementalAlterConfigs(Map<ConfigResource, Collection<AlterConfigOp>> changes, AlterConfigsOptions options) {
        Map<ConfigResource, KafkaFuture<Void>> futures = new LinkedHashMap<>();
        alterConfigCalls++;
        changes.forEach((resource, ops) -> {
            Optional<Throwable> refusal = ops.stream().map(op -> refusedValues.get(op.configEntry().name() + "=" + op.configEntry().value()))
                    .filter(java.util.Objects::nonNull).findFirst();
            if (refusal.isPresent()) {
                futures.put(resource, failed(refusal.get()));
                return;
            }
            Map<String, String> values = configs.computeIfAbsent(resource, r -> new TreeMap<>());
            for (AlterConfigOp op : ops) {
                switch (op.opType()) {
                    case SET -> values.put(op.configEntry().name(), op.configEntry().value());
                    case DELETE -> values.remove(op.configEntry().name());
                    default -> throw new UnsupportedOperationException("FakeKafka supports SET and DELETE, not " + op.opType());
                }
            }
            futures.put(resource, done(null));
        });
        return result(AlterConfigsResult.class, futures);
    }

    public DescribeMetadataQuorumResult describeMetadataQuorum(DescribeMetadataQuorumOptions options) {
        List<QuorumInfo.ReplicaState> voters = new ArrayList<>();
        for (int id : controllers) {
            long end = QUORUM_END - quorumLag.getOrDefault(id, 0L);
            voters.add(result(QuorumInfo.ReplicaState.class, id, Uuid.ZERO_UUID, end, OptionalLong.of(1L), OptionalLong.of(1L)));
        }
        QuorumInfo quorum = result(QuorumInfo.class, leaderController, 7L, QUORUM_END, voters, List.of(), Map.of());
        return result(DescribeMetadataQuorumResult.class, done(quorum));
    }

    public DescribeFeaturesResult describeFeatures(DescribeFeaturesOptions options) {
        Map<String, FinalizedVersionRange> finalized = new TreeMap<>();
        Map<String, SupportedVersionRange> supported = new TreeMap<>();
        features.forEach((name, levels) -> {
            finalized.put(name, new FinalizedVersionRange((short) 1, levels[0]));
            supported.put(name, new SupportedVersionRange((short) 1, levels[1]));
        });
        return result(DescribeFeaturesResult.class, done(result(FeatureMetadata.class, finalized, Optional.of(1L), supported)));
    }

    /** As the controller does: a level beyond what the nodes support is refused. */
    public UpdateFeaturesResult updateFeatures(Map<String, FeatureUpdate> updates, UpdateFeaturesOptions options) {
        featureUpdates.add(Map.copyOf(updates));
        Map<String, KafkaFuture<Void>> futures = new LinkedHashMap<>();
        updates.forEach((name, update) -> {
            short[] levels = features.get(name);
            if (levels == null || update.maxVersionLevel() > levels[1]) {
                futures.put(name, failed(new InvalidUpdateVersionException(name + " level " + update.maxVersionLevel() + " is not supported")));
            } else {
                levels[0] = update.maxVersionLevel();
                futures.put(name, done(null));
            }
        });
        return result(UpdateFeaturesResult.class, futures);
    }

    public ListPartitionReassignmentsResult listPartitionReassignments(Optional<Set<TopicPartition>> partitions,
            ListPartitionReassignmentsOptions options) {
        if (!reassigning.isEmpty() && ++reassignmentPolls >= reassignmentPollsUntilDone) {
            finishReassignments();
            reassignmentPolls = 0;
        }
        Map<TopicPartition, PartitionReassignment> result = new LinkedHashMap<>();
        reassigning.forEach((tp, target) -> {
            if (partitions.isEmpty() || partitions.get().contains(tp)) {
                List<Integer> current = partition(tp.topic(), tp.partition()).replicas;
                List<Integer> adding = target.stream().filter(r -> !current.contains(r)).toList();
                List<Integer> removing = current.stream().filter(r -> !target.contains(r)).toList();
                List<Integer> all = new ArrayList<>(target);
                removing.forEach(all::add);
                result.put(tp, new PartitionReassignment(all, adding, removing));
            }
        });
        return result(ListPartitionReassignmentsResult.class, done(result));
    }

    public AlterPartitionReassignmentsResult alterPartitionReassignments(Map<TopicPartition, Optional<NewPartitionReassignment>> changes,
            AlterPartitionReassignmentsOptions options) {
        Map<TopicPartition, KafkaFuture<Void>> futures = new LinkedHashMap<>();
        changes.forEach((tp, target) -> {
            if (!topics.containsKey(tp.topic()) || !topics.get(tp.topic()).containsKey(tp.partition())) {
                futures.put(tp, failed(new UnknownTopicOrPartitionException(tp + " does not exist")));
                return;
            }
            Throwable failure = failedTopicCalls.get("alterPartitionReassignments " + tp.topic());
            if (failure != null) {
                futures.put(tp, failed(failure));
                return;
            }
            if (target.isPresent()) {
                reassigning.put(tp, List.copyOf(target.get().targetReplicas()));
            } else {
                reassigning.remove(tp);
            }
            futures.put(tp, done(null));
        });
        return result(AlterPartitionReassignmentsResult.class, futures);
    }

    /** New partitions get the replicas of partition 0, all in sync. */
    public CreatePartitionsResult createPartitions(Map<String, NewPartitions> increases, CreatePartitionsOptions options) {
        Map<String, KafkaFuture<Void>> futures = new LinkedHashMap<>();
        increases.forEach((topic, to) -> {
            Throwable failure = failedTopicCalls.get("createPartitions " + topic);
            if (failure != null || !topics.containsKey(topic)) {
                futures.put(topic, failed(failure != null ? failure : new UnknownTopicOrPartitionException("no topic " + topic)));
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
