package io.coxswain.bench;

import io.coxswain.avro.wire.AvroWireCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Anchors and progress probes on the broker itself. */
final class KafkaProbe {

    private KafkaProbe() {
    }

    /** A plain consumer reading the whole topic, deserializing nothing; returns elapsed nanoseconds. */
    static long rawConsume(String bootstrap, String topic, long expected) {
        return consume(bootstrap, topic, expected, records -> { });
    }

    /** The same, decoding every value with {@code codec} (Avro in the wire format) and nothing more. */
    static long decodeConsume(String bootstrap, String topic, long expected, AvroWireCodec<?> codec) {
        return consume(bootstrap, topic, expected, records -> records.forEach(r -> codec.decode(r.headers(), r.value())));
    }

    private static long consume(String bootstrap, String topic, long expected, Consumer<ConsumerRecords<byte[], byte[]>> work) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "max.poll.records", 5000, "fetch.max.bytes", 52_428_800, "max.partition.fetch.bytes", 10_485_760),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            long start = System.nanoTime();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long seen = 0;
            while (seen < expected) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                work.accept(records);
                seen += records.count();
            }
            return System.nanoTime() - start;
        }
    }

    static long endOffsetSum(Admin admin, String topic) throws ExecutionException, InterruptedException {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> query = new java.util.HashMap<>();
        partitions.forEach(p -> query.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(query).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    /** Sum of the group's committed offsets on {@code topic} (transaction markers make the end a little larger than the record count). */
    static long committedSum(Admin admin, String group, String topic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }
}
