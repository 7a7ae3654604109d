package io.coxswain.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded broker per JVM for tests: starting KRaft costs seconds, so test classes share it
 * and keep apart by using their own topic prefix and application id.
 */
public final class SharedKafka {

    private static final Logger log = LoggerFactory.getLogger(SharedKafka.class);
    private static EmbeddedKafka kafka;
    /** What lives as long as the JVM on the broker, closed newest first before it stops (see {@link #closeBeforeKafka}). */
    private static final Deque<AutoCloseable> users = new ArrayDeque<>();

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (kafka == null) {
            try {
                Path dir = Files.createTempDirectory("coxswain-test-kafka");
                kafka = EmbeddedKafka.start(dir, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    closeUsers();
                    kafka.close();
                    deleteQuietly(dir);
                }, "shared-kafka-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return kafka.bootstrapServers();
    }

    /** Every committed record of {@code topic} on the shared broker up to now: its end offsets as of the call. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Closes {@code resource} when the JVM ends, before the broker stops: a fixture a test JVM shares across test classes
     * (a node, a gateway) would otherwise be closed by a shutdown hook of its own while the broker stops, which hooks do at
     * once, and wait out its clients' timeouts. Closed newest first.
     */
    public static synchronized void closeBeforeKafka(AutoCloseable resource) {
        users.push(resource);
    }

    private static synchronized void closeUsers() {
        while (!users.isEmpty()) {
            AutoCloseable resource = users.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Closing {} before the shared Kafka stops failed: {}", resource, e.toString());
            }
        }
    }

    public static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: temp files
        }
    }
}
