package io.coxswain.orchestrator.audit;

import io.coxswain.avro.Topics;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.orchestrator.node.NodeConfig;
import io.coxswain.orchestrator.node.TopicBootstrap;
import io.coxswain.orchestrator.topology.Codecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/** Plumbing shared by the audit tests: isolated topics, a raw producer, reading topics to their end. */
final class AuditFixture {

    /** One record to put on the command topic as is. */
    record Raw(byte[] key, byte[] value, Headers headers, long timestamp) {
        static byte[] key(String k) {
            return k == null ? null : k.getBytes(StandardCharsets.UTF_8);
        }
    }

    private AuditFixture() {
    }

    /**
     * Fresh topics with the shipped schemas on the shared broker, and what a replay test without a node writes and reads
     * them with: Coxswain's registry on the schemas topic, its codecs, a raw producer, a replayer.
     */
    record Fresh(Topics topics, TopicSchemaRegistry registry, Codecs codecs, KafkaProducer<byte[], byte[]> producer, Replayer replayer)
            implements AutoCloseable {

        static Fresh open() {
            String bootstrap = io.coxswain.sandbox.kafka.SharedKafka.bootstrapServers();
            Topics topics = newTopics();
            createTopicsAndSchemas(bootstrap, topics, 1);
            TopicSchemaRegistry registry = new TopicSchemaRegistry(bootstrap, topics.schemas(), Map.of());
            return new Fresh(topics, registry, Codecs.of(registry, topics), AuditFixture.producer(bootstrap), new Replayer(LogLocation.of(bootstrap, topics)));
        }

        @Override
        public void close() {
            replayer.close();
            producer.close();
            registry.close();
        }
    }

    /**
     * A node (3 partitions) that folds a whole log written at once, committing every 100 ms rather than the default 10 ms.
     * With exactly-once each commit waits for the broker (flush, offsets, end of transaction): on a busy 2-core machine that
     * was ~100 ms a commit, so with 10 ms of folding between commits the node folded a 3,192-record log in 10.6 and 27.6 s,
     * against 4.3 and 6.2 s at 100 ms (alternating runs of ReplayDeterminismTest). The default is a latency choice for
     * commands arriving one by one; what these tests claim, that replay gives the live state, holds whatever the size of
     * each transaction (still dozens per log here), and the setting is one an operator can give a node the same way.
     */
    static NodeConfig backlogNode(String bootstrap, Path stateDir, Topics topics, String applicationId) {
        return NodeConfig.defaults(bootstrap, stateDir).withTopics(topics).withApplicationId(applicationId)
                .withPartitions(3, (short) 1).withStreamsOverrides(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100));
    }

    /** Stops a test's node, if it started, and deletes its state directory. */
    static void stop(io.coxswain.orchestrator.node.CoxswainNode node, Path stateDir) {
        if (node != null) {
            node.close();
        }
        io.coxswain.sandbox.kafka.SharedKafka.deleteQuietly(stateDir);
    }

    static Topics newTopics() {
        return new Topics("t-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    }

    /** Topics and schemas as a node would create them, without running one (for tests of replay alone). */
    static void createTopicsAndSchemas(String bootstrap, Topics topics, int partitions) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try {
                    TopicBootstrap.ensure(admin, topics, partitions, (short) 1);
                    break;
                } catch (IllegalStateException e) {
                    // TopicBootstrap describes the topics right after creating them and the broker may not
                    // know them yet (UnknownTopicOrPartition); the second pass finds them created
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
        }
        try (TopicSchemaRegistry registry = new TopicSchemaRegistry(bootstrap, topics.schemas(), Map.of())) {
            ShippedSchemas.registerAll(registry, topics);
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends in order and waits for every acknowledgement; returns the metadata of each record. */
    static List<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer, String topic, List<Raw> records) {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (Raw r : records) {
            futures.add(producer.send(new ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.value(), r.headers())));
        }
        producer.flush();
        List<RecordMetadata> out = new ArrayList<>();
        try {
            for (Future<RecordMetadata> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
        return out;
    }

    /** Every committed record of {@code topic} from the beginning to its current end. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 60s");
                }
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    /** Polls until the node has decided or dead-lettered {@code expected} records (events + dead letters). */
    static void awaitProcessed(String bootstrap, Topics topics, long expected, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (String topic : List.of(topics.events(), topics.deadLetter())) {
                c.partitionsFor(topic, Duration.ofSeconds(10)).forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen < expected && System.nanoTime() < deadline) {
                seen += c.poll(Duration.ofMillis(200)).count();
            }
        }
        if (seen < expected) {
            throw new AssertionError("node processed " + seen + " of " + expected + " records within " + timeout.toSeconds() + "s");
        }
    }
}
