package io.coxswain.orchestrator.topology;

import io.coxswain.avro.Topics;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The one topology: {@code commands → decide-and-fold → events, state, deadletter}. Commands are read
 * as raw bytes so that no record can fail in a deserializer: decoding happens in the processor,
 * where a bad record is dead-lettered instead of stopping the stream.
 *
 * <p>The stores hold wire bytes ({@code 0x00} + schema id + Avro), the same bytes as the output topics;
 * decode them with {@link Codecs#states()} and {@link Codecs#decisions()}.
 */
public final class CoxswainTopology {

    public static final String STATE_STORE = "cluster-state";
    public static final String DECISIONS_STORE = "command-decisions";
    /** Segment size of the state store's changelog: the most a start reads beyond the compacted states. */
    static final int STATE_CHANGELOG_SEGMENT_BYTES = 16 * 1024 * 1024;
    static final String SOURCE = "commands-source";
    static final String PROCESSOR = "decide-and-fold";
    static final String EVENTS_SINK = "events-sink";
    static final String STATE_SINK = "state-sink";
    static final String DEADLETTER_SINK = "deadletter-sink";

    private CoxswainTopology() {
    }

    /** The topology of a node without signature options: unsigned commands pass, signed ones fail (no keys). */
    public static Topology build(Topics topics, Codecs codecs) {
        return build(topics, codecs, Admission.permissive());
    }

    /** @param admission the record rules before DECIDE: key = clusterId, and the node's signature rules */
    public static Topology build(Topics topics, Codecs codecs, Admission admission) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.commands());
        topology.addProcessor(PROCESSOR, () -> new DecideAndFoldProcessor(codecs, admission), SOURCE);
        // Stores and sinks carry wire bytes: the processor encodes each state and decision once and the
        // same bytes go to the store's changelog and to the output topic (see TaskStores).
        // Cluster states live in memory: one entry per cluster of the node's partitions, a few KB each,
        // rewritten by every accepted command. In RocksDB each rewrite was a skip-list insert into a
        // memtable full of older versions (14% of the stream threads' CPU); in memory the fold ran
        // 1.1-1.25x faster (bench/). A start restores them from the changelog (so does RocksDB under
        // exactly-once after any unclean stop), and small changelog segments let compaction keep
        // that read near the latest state per cluster instead of up to a 1 GiB active segment.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STATE_STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(STATE_CHANGELOG_SEGMENT_BYTES))), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECISIONS_STORE), Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addSink(EVENTS_SINK, topics.events(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(STATE_SINK, topics.state(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(DEADLETTER_SINK, topics.deadLetter(), new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
