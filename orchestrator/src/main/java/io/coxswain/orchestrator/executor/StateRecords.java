package io.coxswain.orchestrator.executor;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.UndecodableRecordException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the executor's readers of the compacted state topic ({@link StateFeed}, {@link FleetStateView}) read it: from the
 * start each time, committed transactions only, and a record that does not decode skipped with a warning, never fatal.
 */
final class StateRecords {

    private static final Logger log = LoggerFactory.getLogger(StateRecords.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private StateRecords() {
    }

    /** A consumer of the state topic; {@code extra} (a group, its assignor) on top of what every reader needs. */
    static KafkaConsumer<String, byte[]> consumer(ExecutorConfig config, String clientId, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>(config.clientOverrides());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // always re-read the compacted topic: no offsets to keep
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the state is written in Streams transactions
        p.putAll(extra);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Polls until {@code running} turns false (or {@link KafkaConsumer#wakeup}: a {@link WakeupException}), giving each
     * record to {@code accept}, then calling {@code afterPoll}: where a reader sees what it has caught up with.
     */
    static void read(KafkaConsumer<String, byte[]> consumer, BooleanSupplier running, Consumer<ConsumerRecord<String, byte[]>> accept,
                     Runnable afterPoll) {
        while (running.getAsBoolean()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                accept.accept(r);
            }
            afterPoll.run();
        }
    }

    /** Stops the reading thread (its running flag already false): wakes its poll and waits for it, at most 10 s. */
    static void stop(KafkaConsumer<String, byte[]> consumer, Thread reader) {
        consumer.wakeup();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What a non-tombstone record holds: its state; or, written with a newer state schema holding what this executor's lacks,
     * that only ({@link NewerState}: read as {@link AvroWireCodec#read} reads it, one parse for both); empty, logged, when it
     * does not decode: the cluster keeps the state read before it, and the next state the fold writes for it replaces both.
     */
    static Optional<ReadState> decode(AvroWireCodec<ClusterState> codec, ConsumerRecord<String, byte[]> r, String observerId) {
        try {
            AvroWireCodec.Read<ClusterState> read = codec.read(r.headers(), r.value());
            return Optional.of(read.dropped().map(d -> ReadState.held(NewerState.of(r.key(), d))).orElseGet(() -> ReadState.of(read.decoded())));
        } catch (UndecodableRecordException e) {
            log.warn("executor {}: skipping undecodable state of cluster {} at {}-{} offset {} (its state read before stays, until"
                    + " the next it is given): {}", observerId, r.key(), r.topic(), r.partition(), r.offset(), e.getMessage());
            return Optional.empty();
        }
    }
}
