package io.coxswain.bench;

import io.coxswain.avro.event.Decision;
import io.coxswain.orchestrator.topology.Codecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a command's time goes on its way to readable, split in three hops: issued (the gateway
 * parsed it) → the command appended to the commands topic; → its decision appended to the events
 * topic (the fold read, decided and sent it, not yet committed); → the decision readable by a
 * read_committed consumer (the fold's transaction committed and the reader fetched it). Append
 * times come from the broker: the bench's own command and events topics are switched to
 * LogAppendTime while this watches (millisecond resolution).
 */
final class LatencyHops implements AutoCloseable {

    static final String[] NAMES = {"issued → command appended", "command appended → decision appended (fold)", "decision appended → readable (commit)"};

    private final List<long[]> samples = new ArrayList<>();
    /** Read and written by the reader thread only. */
    private final Map<String, Long> commandAppended = new HashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    LatencyHops(String bootstrap, String commandsTopic, String eventsTopic, Codecs codecs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            AlterConfigOp appendTime = new AlterConfigOp(new ConfigEntry("message.timestamp.type", "LogAppendTime"), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, commandsTopic), List.of(appendTime),
                    new ConfigResource(ConfigResource.Type.TOPIC, eventsTopic), List.of(appendTime))).all().get();
        }
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed",
                "fetch.max.wait.ms", 1), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(commandsTopic, eventsTopic)) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now: only commands sent from here on count
        reader = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long readAt = System.currentTimeMillis();
                        if (r.topic().equals(commandsTopic)) {
                            commandAppended.put(codecs.commands().decode(r.headers(), r.value()).getCommandId(), r.timestamp());
                            continue;
                        }
                        Decision d = codecs.decisions().decode(r.headers(), r.value());
                        Long appended = commandAppended.remove(d.getCommandId());
                        if (appended != null) {
                            synchronized (samples) {
                                samples.add(new long[] {appended - d.getIssuedAt().toEpochMilli(), r.timestamp() - appended, readAt - r.timestamp()});
                            }
                        }
                    }
                }
            }
        }, "bench-latency-hops");
        reader.start();
    }

    /** Stops watching; one sample array (milliseconds, as nanoseconds for {@link Percentiles}) per hop. */
    List<long[]> stop() throws InterruptedException {
        running = false;
        reader.join(10_000);
        List<long[]> hops = new ArrayList<>();
        synchronized (samples) {
            for (int hop = 0; hop < NAMES.length; hop++) {
                int h = hop;
                hops.add(samples.stream().mapToLong(s -> s[h] * 1_000_000L).toArray());
            }
        }
        return hops;
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
    }
}
