package io.coxswain.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The anchor for latency: a record produced (acks=all) and consumed back, on the same broker, at the same offered load. */
final class RoundTrip {

    private RoundTrip() {
    }

    static OpenLoop.Outcome run(String bootstrap, String topic, int rate, int count) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        Map<Integer, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                "enable.idempotence", true, "linger.ms", 0), new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "fetch.max.wait.ms", 1),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
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
                producer.send(new ProducerRecord<>(topic, Integer.toString(i % 100).getBytes(), ByteBuffer.allocate(4).putInt(i).array()));
                return f;
            });
            reader.interrupt();
            reader.join(5_000);
            return outcome;
        }
    }
}
