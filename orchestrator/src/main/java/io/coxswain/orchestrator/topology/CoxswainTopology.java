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
        WireSerde<io.coxswain.avro.state.ClusterState> stateSerde = new WireSerde<>(codecs.states());
        WireSerde<io.coxswain.avro.event.Decision> decisionSerde = new WireSerde<>(codecs.decisions());
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.commands());
        topology.addProcessor(PROCESSOR, () -> new DecideAndFoldProcessor(codecs.commands()), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), stateSerde), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECISIONS_STORE), Serdes.String(), decisionSerde), PROCESSOR);
        topology.addSink(EVENTS_SINK, topics.events(), new StringSerializer(), decisionSerde.serializer(), PROCESSOR);
        topology.addSink(STATE_SINK, topics.state(), new StringSerializer(), stateSerde.serializer(), PROCESSOR);
        topology.addSink(DEADLETTER_SINK, topics.deadLetter(), new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
