package io.coxswain.avro.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coxswain's own schema registry, kept in the compacted {@code schemas} topic (key
 * {@code subject/version}, value JSON). Ids are {@link SchemaIdentity#idOf derived} from the schema,
 * so they are the same on every node and across restarts without any coordination. The gateway's
 * Confluent-compatible endpoint serves from an instance of this class.
 */
public final class TopicSchemaRegistry implements SchemaRegistry {

    private static final Logger log = LoggerFactory.getLogger(TopicSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Properties producerProps;
    private KafkaProducer<byte[], byte[]> producer;

    private final Map<Integer, RegisteredSchema> byId = new HashMap<>();
    private final Map<UUID, RegisteredSchema> byGuid = new HashMap<>();
    private final Map<String, TreeMap<Integer, RegisteredSchema>> bySubject = new TreeMap<>();

    public TopicSchemaRegistry(String bootstrapServers, String topic, Map<String, Object> clientOverrides) {
        this.topic = topic;
        Properties c = new Properties();
        c.putAll(clientOverrides);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "coxswain-schemas-reader");
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producerProps = new Properties();
        producerProps.putAll(clientOverrides);
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "coxswain-schemas-writer");
    }

    /** Reads the schemas topic up to its current end. Called before every miss, so new registrations are seen. */
    public synchronized void refresh() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, TIMEOUT);
        if (partitions == null || partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        if (!consumer.assignment().containsAll(tps)) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(tps, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), TIMEOUT) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out reading schema topic " + topic + " to its end");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() != null) {
                    apply(record.value());
                }
            }
        }
    }

    private void apply(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            Schema schema = new Schema.Parser().parse(node.get("schema").asText());
            RegisteredSchema rs = new RegisteredSchema(node.get("subject").asText(), node.get("version").asInt(),
                    node.get("id").asInt(), UUID.fromString(node.get("guid").asText()), schema);
            index(rs);
        } catch (Exception e) {
            log.warn("Skipping an unreadable record in schema topic {}: {}", topic, e.toString());
        }
    }

    private void index(RegisteredSchema rs) {
        byId.put(rs.id(), rs);
        byGuid.put(rs.guid(), rs);
        bySubject.computeIfAbsent(rs.subject(), s -> new TreeMap<>()).put(rs.version(), rs);
    }

    @Override
    public synchronized Optional<RegisteredSchema> byId(int id) {
        if (!byId.containsKey(id)) {
            refresh();
        }
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Optional<RegisteredSchema> byGuid(UUID guid) {
        if (!byGuid.containsKey(guid)) {
            refresh();
        }
        return Optional.ofNullable(byGuid.get(guid));
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        Optional<RegisteredSchema> found = findLocal(subject, schema);
        if (found.isEmpty()) {
            refresh();
            found = findLocal(subject, schema);
        }
        return found;
    }

    private Optional<RegisteredSchema> findLocal(String subject, Schema schema) {
        return bySubject.getOrDefault(subject, new TreeMap<>()).values().stream()
                .filter(rs -> SchemaIdentity.sameSchema(rs.schema(), schema))
                .findFirst();
    }

    @Override
    public synchronized RegisteredSchema register(String subject, Schema schema) {
        registerAll(subject, List.of(schema));
        return findLocal(subject, schema).orElseThrow();
    }

    /**
     * Sends every missing schema at once and then waits for them all: a node's first start registers some sixty shipped
     * versions, and a round trip to an acks=all write each took 50-90 ms of the start. The idempotent producer keeps them
     * in order, so the versions are numbered as sent; none is indexed here before Kafka has confirmed them all.
     */
    @Override
    public synchronized void registerAll(String subject, List<Schema> schemas) {
        if (missing(subject, schemas).isEmpty()) {
            return;
        }
        refresh();
        TreeMap<Integer, RegisteredSchema> versions = bySubject.getOrDefault(subject, new TreeMap<>());
        int version = versions.isEmpty() ? 0 : versions.lastKey();
        List<RegisteredSchema> sending = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (Schema schema : missing(subject, schemas)) {
                if (sending.stream().anyMatch(rs -> SchemaIdentity.sameSchema(rs.schema(), schema))) {
                    continue;
                }
                int id = SchemaIdentity.idOf(schema);
                RegisteredSchema clash = byId.get(id);
                if (clash != null && !SchemaIdentity.sameSchema(clash.schema(), schema)) {
                    throw new IllegalStateException("schema id " + id + " of a new schema for " + subject
                            + " collides with " + clash.subject() + " v" + clash.version() + "; change the schema's doc or namespace");
                }
                RegisteredSchema rs = new RegisteredSchema(subject, ++version, id, SchemaIdentity.guidOf(schema), schema);
                ObjectNode json = JSON.createObjectNode()
                        .put("subject", subject).put("version", rs.version()).put("id", id)
                        .put("guid", rs.guid().toString()).put("schema", schema.toString());
                sent.add(producer().send(new ProducerRecord<>(topic, (subject + "/" + rs.version()).getBytes(StandardCharsets.UTF_8),
                        JSON.writeValueAsBytes(json))));
                sending.add(rs);
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted registering " + subject, e);
        } catch (ExecutionException | TimeoutException | java.io.IOException e) {
            throw new IllegalStateException("could not register schema for " + subject + " in topic " + topic + ": " + e, e);
        }
        for (RegisteredSchema rs : sending) {
            index(rs);
            log.info("Registered schema {} v{} with id {}", subject, rs.version(), rs.id());
        }
    }

    private List<Schema> missing(String subject, List<Schema> schemas) {
        return schemas.stream().filter(schema -> findLocal(subject, schema).isEmpty()).toList();
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public synchronized List<String> subjects() {
        refresh();
        return List.copyOf(bySubject.keySet());
    }

    @Override
    public synchronized List<RegisteredSchema> versions(String subject) {
        refresh();
        return new ArrayList<>(bySubject.getOrDefault(subject, new TreeMap<>()).values());
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
