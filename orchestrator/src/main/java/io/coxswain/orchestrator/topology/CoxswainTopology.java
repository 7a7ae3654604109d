package io.coxswain.orchestrator.topology;

import io.coxswain.avro.Topics;
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
    static final String SOURCE = "commands-source";
    static final String PROCESSOR = "decide-and-fold";
    static final String EVENTS_SINK = "events-sink";
    static final String STATE_SINK = "state-sink";
    static final String DEADLETTER_SINK = "deadletter-sink";

    private CoxswainTopology() {
    }

    public static Topology build(Topics topics, Codecs codecs) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.commands());
        topology.addProcessor(PROCESSOR, () -> new DecideAndFoldProcessor(codecs), SOURCE);
        // Stores and sinks carry wire bytes: the processor encodes each state and decision once and the
        // same bytes go to the store's changelog and to the output topic (see TaskStores).
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECISIONS_STORE), Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addSink(EVENTS_SINK, topics.events(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(STATE_SINK, topics.state(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(DEADLETTER_SINK, topics.deadLetter(), new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
