package io.coxswain.orchestrator.audit;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic from its beginning to the end it had when the scan started, with a consumer that
 * cannot disturb anything: partitions are assigned (no group.id, so no group join, no rebalance of the
 * nodes, no committed offsets), nothing is ever written, and only committed transactional records are
 * seen ({@code read_committed}, so the end is the last stable offset). Streaming: records are handed
 * over batch by batch and not kept.
 */
final class TopicScan {

    /** What to do after a record. */
    enum Verdict { CONTINUE, STOP_PARTITION, STOP_ALL }

    interface Handler {
        Verdict on(ConsumerRecord<byte[], byte[]> record);
    }

    /** Where the scan of each partition started and ended; {@code last} is -1 when nothing was read. */
    record Extent(long start, long end, long last) {
    }

    private static final Duration NO_PROGRESS_LIMIT = Duration.ofSeconds(60);
    private static final Duration META_TIMEOUT = Duration.ofSeconds(30);

    private TopicScan() {
    }

    /** One scan with a consumer of its own, closed after it. */
    static Map<Integer, Extent> scan(LogLocation where, String topic, Handler handler) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(where)) {
            return scan(consumer, where, topic, handler);
        }
    }

    /**
     * A consumer for scans of {@code where}, one scan after another ({@link #scan(KafkaConsumer, LogLocation, String, Handler)}):
     * each scan assigns, resumes and seeks what it reads, whatever the one before left.
     */
    static KafkaConsumer<byte[], byte[]> consumer(LogLocation where) {
        return new KafkaConsumer<>(props(where), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** One scan with {@code consumer} (from {@link #consumer}), which is left open for the next. */
    static Map<Integer, Extent> scan(KafkaConsumer<byte[], byte[]> consumer, LogLocation where, String topic, Handler handler) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, META_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist on " + where.bootstrapServers()
                    + "; check the address and the topic prefix (--topic-prefix, now '" + where.topics().prefix() + "')");
        }
        List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition())).sorted((a, b) -> a.partition() - b.partition()).toList();
        consumer.assign(tps);
        consumer.resume(tps); // a partition the previous scan stopped stays paused across assign()
        consumer.seekToBeginning(tps);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps, META_TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(tps, META_TIMEOUT);
        Map<Integer, long[]> progress = new TreeMap<>();
        Set<TopicPartition> active = new HashSet<>();
        for (TopicPartition tp : tps) {
            progress.put(tp.partition(), new long[] {begin.get(tp), end.get(tp), -1});
            if (begin.get(tp) < end.get(tp)) {
                active.add(tp);
            }
        }
        long lastProgress = System.nanoTime();
        while (!active.isEmpty()) {
            boolean moved = false;
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
            for (TopicPartition tp : polled.partitions()) {
                if (!active.contains(tp)) {
                    continue;
                }
                long endOffset = end.get(tp);
                long[] extent = progress.get(tp.partition());
                for (ConsumerRecord<byte[], byte[]> r : polled.records(tp)) {
                    if (r.offset() >= endOffset) { // appended after the scan started: not part of this snapshot
                        stop(consumer, active, tp);
                        break;
                    }
                    moved = true;
                    extent[2] = r.offset();
                    Verdict v = handler.on(r);
                    if (v == Verdict.STOP_ALL) {
                        return extents(progress);
                    }
                    if (v == Verdict.STOP_PARTITION) {
                        stop(consumer, active, tp);
                        break;
                    }
                }
            }
            for (TopicPartition tp : List.copyOf(active)) {
                if (consumer.position(tp, META_TIMEOUT) >= end.get(tp)) {
                    stop(consumer, active, tp);
                    moved = true;
                }
            }
            if (moved) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > NO_PROGRESS_LIMIT.toNanos()) {
                Map<Integer, String> stuck = new TreeMap<>();
                active.forEach(tp -> stuck.put(tp.partition(), "at " + consumer.position(tp) + " of " + end.get(tp)));
                throw new IllegalStateException("reading " + topic + " from " + where.bootstrapServers() + " made no progress for "
                        + NO_PROGRESS_LIMIT.toSeconds() + "s; partitions " + stuck + ". Is the broker reachable and the topic readable?");
            }
        }
        return extents(progress);
    }

    private static void stop(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> active, TopicPartition tp) {
        active.remove(tp);
        consumer.pause(List.of(tp));
    }

    private static Map<Integer, Extent> extents(Map<Integer, long[]> progress) {
        Map<Integer, Extent> out = new TreeMap<>();
        progress.forEach((p, a) -> out.put(p, new Extent(a[0], a[1], a[2])));
        return out;
    }

    private static Properties props(LogLocation where) {
        Map<String, Object> c = new HashMap<>(where.clientOverrides());
        c.remove(ConsumerConfig.GROUP_ID_CONFIG); // never a group: an auditor's read must not touch the nodes' groups
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, where.bootstrapServers());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "coxswain-replay-" + UUID.randomUUID().toString().substring(0, 8));
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // a mistyped prefix must not create topics
        c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // a fetch for a partition with nothing new waits this long on the broker; a scan that has stopped
        // some partitions would otherwise pay the default 500 ms, on every query
        c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        // smaller fetches, more often: a parallel replay's fold threads wait less for the next one
        // (a 1M-command replay: 0.87-0.92 s with 1 MiB, 1.04-1.11 s with 8 MiB; a one-cluster scan the same)
        c.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024);
        c.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        Properties p = new Properties();
        p.putAll(c);
        return p;
    }
}
