package io.coxswain.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command type is what decisions, metrics, the audit log and its filters name a command by. */
class CommandsTest {

    @Test
    void aCommandsTypeIsItsPayloadsSchemaName() {
        CommandBuilder on = Commands.on("payments").issuer("test");
        assertThat(Commands.typeOf(on.createCluster("4.1.0", 3, 3, "10Gi"))).isEqualTo("CreateCluster");
        assertThat(Commands.typeOf(on.scaleBrokers(5))).isEqualTo("ScaleBrokers");
        assertThat(Commands.typeOf(on.updateBrokerConfig(Map.of("log.retention.ms", "1"), List.of()))).isEqualTo("UpdateBrokerConfig");
        assertThat(Commands.typeOf(on.deleteTopic("orders"))).isEqualTo("DeleteTopic");
        Command noPayload = on.scaleBrokers(5);
        noPayload.setPayload(null);
        assertThat(Commands.typeOf(noPayload)).isEqualTo("Unknown");
    }
}
