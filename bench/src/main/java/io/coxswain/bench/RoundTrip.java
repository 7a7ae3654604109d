package io.coxswain.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anchors for latency: a record produced (acks=all) and consumed back, on the same broker, at
 * the same offered load. Plain: an idempotent producer and a read_uncommitted consumer, the
 * cheapest round trip Kafka offers. Transactional: what one exactly-once hop costs, written by one
 * thread that puts every record queued since its last commit in one transaction, with the node's
 * stream producer settings, and read back read_committed, as the read model reads.
 */
final class RoundTrip {

    private RoundTrip() {
    }

    static OpenLoop.Outcome run(String bootstrap, String topic, int rate, int count, boolean transactional) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        Map<String, Object> producerProps = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true, "linger.ms", 0));
        Map<String, Object> consumerProps = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "fetch.max.wait.ms", 1));
        if (transactional) {
            producerProps.put("transactional.id", topic + "-writer");
            producerProps.put("max.in.flight.requests.per.connection", 1); // as the node's stream producers, see CoxswainNode
            consumerProps.put("isolation.level", "read_committed");
        }
        Map<Integer, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = transactional ? null : newProducer(producerProps);
             GroupCommit writer = transactional ? new GroupCommit(producerProps, topic, pending) : null;
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToEnd(tps);
            tps.forEach(consumer::position);
            Thread reader = new Thread(() -> {
                int seen = 0;
                while (seen < count && !Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        CompletableFuture<Void> f = pending.remove(ByteBuffer.wrap(r.value()).getInt());
                        if (f != null) {
                            f.complete(null);
                        }
                        seen++;
                    }
                }
            }, "round-trip-reader");
            reader.start();
            OpenLoop.Outcome outcome = OpenLoop.run(rate, count, i -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                pending.put(i, f);
                if (writer != null) {
                    writer.queue.add(i);
                } else {
                    producer.send(record(topic, i));
                }
                return f;
            });
            reader.interrupt();
            reader.join(5_000);
            return outcome;
        }
    }

    private static KafkaProducer<byte[], byte[]> newProducer(Map<String, Object> props) {
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int i) {
        return new ProducerRecord<>(topic, Integer.toString(i % 100).getBytes(), ByteBuffer.allocate(4).putInt(i).array());
    }

    /**
     * One thread writing whatever was queued since its last commit in one transaction (group commit).
     * A transaction that fails fails its records (counted as the anchor's failures) and a new producer
     * takes over: with Kafka 4.3's transactions v2 a commit was once answered InvalidTxnStateException,
     * fatal to the producer, and the stage then waited forever for the records it would never write.
     */
    private static final class GroupCommit implements AutoCloseable {
        private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
        final BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        private final Thread thread;
        private volatile boolean running = true;

        GroupCommit(Map<String, Object> props, String topic, Map<Integer, CompletableFuture<Void>> pending) {
            thread = new Thread(() -> {
                KafkaProducer<byte[], byte[]> producer = transactional(props);
                List<Integer> batch = new ArrayList<>();
                try {
                    while (running) {
                        try {
                            Integer first = queue.poll(100, TimeUnit.MILLISECONDS);
                            if (first == null) {
                                continue;
                            }
                            batch.add(first);
                            queue.drainTo(batch, 199);
                        } catch (InterruptedException e) {
                            return;
                        }
                        try {
                            producer.beginTransaction();
                            for (int i : batch) {
                                producer.send(record(topic, i));
                            }
                            producer.commitTransaction();
                        } catch (KafkaException e) {
                            log.warn("transactional anchor: a transaction of {} records failed ({}); they count as failures, and a new producer takes over",
                                    batch.size(), e.toString());
                            batch.forEach(i -> {
                                CompletableFuture<Void> f = pending.remove(i);
                                if (f != null) {
                                    f.completeExceptionally(e);
                                }
                            });
                            producer.close(Duration.ZERO);
                            producer = transactional(props);
                        }
                        batch.clear();
                    }
                } finally {
                    producer.close(Duration.ofSeconds(5));
                }
            }, "round-trip-transactional-writer");
            thread.start();
        }

        private static KafkaProducer<byte[], byte[]> transactional(Map<String, Object> props) {
            KafkaProducer<byte[], byte[]> producer = newProducer(props);
            producer.initTransactions();
            return producer;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }
    }
}
