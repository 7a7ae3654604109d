package io.coxswain.orchestrator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.nodes.SchemaAnnouncement;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** A node's client id says which commands schema it folds with, as its Streams consumers' ids show it to the group. */
class SchemaAnnouncementTest {

    @Test
    void theNodesClientIdAnnouncesItsCommandsSchemaAndKeepsAnOperatorsOwn() {
        NodeConfig config = NodeConfig.defaults("127.0.0.1:9092", Path.of("/tmp/x")).withApplicationId("coxswain-node");
        String clientId = CoxswainNode.streamsProps(config).getProperty(StreamsConfig.CLIENT_ID_CONFIG);
        assertThat(clientId).matches("coxswain-node-[0-9a-f]{8}-commands-v" + StoredCommands.CURRENT_VERSION);
        assertThat(SchemaAnnouncement.version(clientId + "-StreamThread-2-consumer")).hasValue(StoredCommands.CURRENT_VERSION);

        String own = CoxswainNode.streamsProps(config.withStreamsOverrides(Map.of(StreamsConfig.CLIENT_ID_CONFIG, "fold-eu-1")))
                .getProperty(StreamsConfig.CLIENT_ID_CONFIG);
        assertThat(own).isEqualTo("fold-eu-1-commands-v" + StoredCommands.CURRENT_VERSION);
    }

    @Test
    void aClientIdWithoutTheTagAnnouncesNothing() {
        assertThat(SchemaAnnouncement.version("coxswain-node-6f1e0c2a-9b7d-4e55-a1d2-0c3b4a5d6e7f-StreamThread-1-consumer")).isEmpty();
        assertThat(SchemaAnnouncement.version("mycommands-v28-x")).as("only a whole tag").isEmpty();
        assertThat(SchemaAnnouncement.version("a-commands-v28.b-commands-v29")).as("the last tag counts").isEqualTo(OptionalInt.of(29));
        assertThat(SchemaAnnouncement.version(null)).isEmpty();
    }
}
