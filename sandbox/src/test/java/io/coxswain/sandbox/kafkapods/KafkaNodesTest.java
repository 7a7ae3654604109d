package io.coxswain.sandbox.kafkapods;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One real 3-controller / 3-broker cluster shared by the tests of this class. */
class KafkaNodesTest {

    private static Path root;
    private static KafkaNodes nodes;
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        root = Files.createTempDirectory("kafka-pods");
        nodes = KafkaNodes.inProcess();
        cluster = new LocalCluster(nodes, "kafka", "payments", 3, root, Map.of("offsets.topic.replication.factor", "3"));
        cluster.startAll(3, Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopCluster() {
        nodes.close();
        SharedKafka.deleteQuietly(root);
    }

    @Test
    void separateControllersAndBrokersFormOneClusterAtTheTranslatedAddresses() throws Exception {
        try (Admin admin = admin()) {
            List<Node> brokers = new ArrayList<>(admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes().get());
            assertThat(brokers).extracting(Node::id).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(brokers).noneMatch(Node::isFenced);
            assertThat(admin.describeMetadataQuorum().quorumInfo().get().voters()).hasSize(3);
        }
        assertThat(cluster.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+");
        assertThat(nodes.node(cluster.brokerKey(1)).orElseThrow().clientAddress())
                .hasValue("127.0.0.1:" + nodes.port(cluster.brokerKey(1), "REPLICATION"));
    }

    @Test
    void aBrokerStoppedAndStartedAgainKeepsItsDataAndItsAddress() throws Exception {
        String topic = "kept";
        try (Admin admin = admin()) {
            // a single replica on broker 2, so the record can only come back from broker 2's own disk
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(2))))).all().get();
        }
        produce(topic, "before-restart");
        String address = nodes.node(cluster.brokerKey(2)).orElseThrow().clientAddress().orElseThrow();

        cluster.stopBroker(2, Duration.ofSeconds(20)).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(nodes.node(cluster.brokerKey(2))).isEmpty();
        assertThat(Files.exists(root.resolve("pvc-payments-broker-2/var/lib/kafka/data/meta.properties"))).isTrue();

        cluster.startBroker(2).toCompletableFuture().get(90, TimeUnit.SECONDS);
        assertThat(nodes.node(cluster.brokerKey(2)).orElseThrow().clientAddress()).hasValue(address);
        assertThat(consume(topic, 1)).containsExactly("before-restart");
    }

    @Test
    void aControllerStoppedAndStartedAgainRejoinsTheQuorum() throws Exception {
        nodes.stop(cluster.controllerKey(1), Duration.ofSeconds(10)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        cluster.startController(1).toCompletableFuture().get(60, TimeUnit.SECONDS);
        try (Admin admin = admin()) {
            assertThat(admin.describeMetadataQuorum().quorumInfo().get().voters())
                    .anyMatch(v -> v.replicaId() == 1001 && v.lastFetchTimestamp().isPresent());
        }
    }

    @Test
    void aPodWithoutNodeIdFailsItsStartWithAReason() {
        assertThat(nodes.start(NodeSpec.of("kafka", "broken-0", "process.roles=broker\n", root.resolve("broken"))).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(5)).withThrowableThat().withMessageContaining("has no node.id");
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
    }

    private static void produce(String topic, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consume(String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", cluster.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }

}
