package io.coxswain.sandbox.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A client of a managed cluster for operations tests: writes numbered records with
 * {@code acks=all} (idempotent, ~200 records/s) until stopped, then reads the topic back to find
 * every record Kafka acknowledged. What an operation must not break: zero failed writes, zero
 * acknowledged records lost.
 */
public final class AckedWriter implements AutoCloseable {

    /** What the writer saw: {@code missing} acknowledged records were not read back. */
    public record Result(int acknowledged, int failed, int readBack, int missing) {
    }

    private final String bootstrap;
    private final String topic;
    private final Map<String, Object> security;
    private final KafkaProducer<String, String> producer;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    public AckedWriter(String bootstrap, String topic) {
        this(bootstrap, topic, Map.of());
    }

    /** @param security client settings the cluster asks for (TLS), given to the producer and the reading consumer */
    public AckedWriter(String bootstrap, String topic, Map<String, Object> security) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.security = Map.copyOf(security);
        Map<String, Object> config = new java.util.HashMap<>(security);
        config.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000, ProducerConfig.LINGER_MS_CONFIG, 5));
        producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        thread = new Thread(this::write, "acked-writer-" + run);
        thread.start();
    }

    private void write() {
        long i = 0;
        while (running.get()) {
            String value = run + "-" + i++;
            producer.send(new ProducerRecord<>(topic, value, value), (md, e) -> {
                if (e == null) {
                    acked.add(value);
                } else {
                    failed.incrementAndGet();
                }
            });
            try {
                Thread.sleep(5); // a steady rate, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Blocks until {@code n} records are acknowledged; fails after {@code timeout}. */
    public void awaitAcked(int n, Duration timeout) {
        poll(timeout, () -> acked.size() >= n, () -> n + " records acknowledged (" + acked.size() + " so far)");
    }

    /** Stops writing, waits for the records in flight, and reads the topic back until every acknowledged record is found or {@code timeout}. */
    public Result stopAndReadBack(Duration timeout) throws InterruptedException {
        running.set(false);
        thread.join();
        producer.flush();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Map<String, Object> config = new java.util.HashMap<>(security);
        config.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!seen.containsAll(acked) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value().startsWith(run)) {
                        seen.add(r.value());
                    }
                }
            }
        }
        int missing = (int) acked.stream().filter(v -> !seen.contains(v)).count();
        Result result = new Result(acked.size(), failed.get(), seen.size(), missing);
        System.out.printf("writer %s on %s: %s%n", run, topic, result);
        return result;
    }

    static void poll(Duration timeout, java.util.function.BooleanSupplier done, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what.get());
            }
            try {
                Thread.sleep(100); // polling interval; the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what.get(), e);
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        producer.close(Duration.ofSeconds(5));
    }
}
