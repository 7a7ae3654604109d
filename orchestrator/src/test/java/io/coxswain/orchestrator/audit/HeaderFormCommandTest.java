package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.registry.InMemorySchemaRegistry;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.WireFormat;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.topology.Codecs;
import io.coxswain.orchestrator.topology.CoxswainTopology;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Regression (found by the replay determinism test): a command whose schema id travels in the
 * {@code __value_schema_id} header made the state store decode the cluster's stored state with the
 * command's schema, failing the stream thread on every retry. Replay and live must both accept it.
 */
class HeaderFormCommandTest {

    @Test
    void aCommandWithItsSchemaIdInAHeaderIsFoldedLikeAnyOther() throws Exception {
        Topics topics = new Topics("h.");
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        ShippedSchemas.registerAll(registry, topics);
        Codecs codecs = Codecs.of(registry, topics);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "header-form");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createTempDirectory("header-form").toString()); // test JVMs run side by side
        try (TopologyTestDriver driver = new TopologyTestDriver(CoxswainTopology.build(topics, codecs), p)) {
            var in = driver.createInputTopic(topics.commands(), new ByteArraySerializer(), new ByteArraySerializer());
            Command create = Commands.on("hdr").issuedAt(Instant.EPOCH).createCluster("4.1.0", 1, 1, "1Gi");
            Command scale = Commands.on("hdr").issuedAt(Instant.EPOCH).scaleBrokers(2);
            in.pipeInput(new TestRecord<>("hdr".getBytes(), codecs.commands().encode(create)));
            RecordHeaders headers = new RecordHeaders();
            headers.add(WireFormat.VALUE_SCHEMA_ID_HEADER, WireFormat.frame(codecs.commands().writerSchemaId(), new byte[0]));
            in.pipeInput(new TestRecord<>("hdr".getBytes(), codecs.commands().avroBytes(scale), headers));
            KeyValueStore<String, byte[]> store = driver.getKeyValueStore(CoxswainTopology.STATE_STORE);
            ClusterState state = codecs.states().decode(store.get("hdr"));
            assertThat(state.getVersion()).isEqualTo(2);
            assertThat(state.getSpec().getBrokers()).isEqualTo(2);
        }
    }
}
