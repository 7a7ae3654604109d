package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.ChangeReplicationFactor;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateTopic;
import io.coxswain.avro.command.IncreasePartitions;
import io.coxswain.commands.Commands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A partition increase and a replication factor change name a topic as CreateTopic does and ask for
 * a total and a factor within the bounds CreateTopic has.
 */
class TopicShapeTest {

    private static List<String> violations(Object payload) {
        return PayloadViolations.of(payload);
    }

    @Test
    void anIncreaseNamesAValidTopicAndATotalBetweenOneAndTheCreateBound() {
        assertThat(violations(new IncreasePartitions("orders.v1_x-y", 24))).isEmpty();
        assertThat(violations(new IncreasePartitions("orders", CommandShape.MAX_PARTITIONS))).isEmpty();
        assertThat(violations(new IncreasePartitions("orders", 0))).singleElement().asString()
                .contains("payload.partitions", "between 1 and " + CommandShape.MAX_PARTITIONS, "got 0");
        assertThat(violations(new IncreasePartitions("orders", CommandShape.MAX_PARTITIONS + 1))).singleElement().asString()
                .contains("payload.partitions", "got " + (CommandShape.MAX_PARTITIONS + 1));
        assertThat(violations(new IncreasePartitions("orders/eu", 3))).singleElement().asString().contains("payload.name", "topic name", "'orders/eu'");
        assertThat(violations(new IncreasePartitions("..", 3))).singleElement().asString().contains("payload.name");
        assertThat(violations(new IncreasePartitions("", -1))).hasSize(2);
    }

    @Test
    void createAndIncreaseShareOneBound() {
        assertThat(violations(new CreateTopic("orders", CommandShape.MAX_PARTITIONS + 1, 3, Map.of()))).singleElement().asString()
                .contains("payload.partitions", "between 1 and " + CommandShape.MAX_PARTITIONS);
    }

    @Test
    void theBuilderMakesTheCommandAndRefusesABadOneBeforeItIsSent() {
        Command c = Commands.on("payments").issuer("alice").expectedVersion(4).increasePartitions("orders", 12);
        assertThat(c.getPayload()).isEqualTo(new IncreasePartitions("orders", 12));
        assertThat(c.getExpectedVersion()).isEqualTo(4L);
        assertThat(Commands.typeOf(c)).isEqualTo("IncreasePartitions");
        assertThatThrownBy(() -> Commands.on("payments").issuer("alice").increasePartitions("orders", 0))
                .isInstanceOf(InvalidCommandException.class).hasMessageContaining("payload.partitions");
    }

    @Test
    void aReplicationFactorChangeNamesAValidTopicAndAFactorWithinTheCreateBound() {
        assertThat(violations(new ChangeReplicationFactor("orders.v1_x-y", 3))).isEmpty();
        assertThat(violations(new ChangeReplicationFactor("orders", CommandShape.MAX_BROKERS))).isEmpty();
        assertThat(violations(new ChangeReplicationFactor("orders", 0))).singleElement().asString()
                .contains("payload.replicationFactor", "between 1 and " + CommandShape.MAX_BROKERS, "got 0");
        assertThat(violations(new ChangeReplicationFactor("orders", CommandShape.MAX_BROKERS + 1))).singleElement().asString()
                .contains("payload.replicationFactor", "got " + (CommandShape.MAX_BROKERS + 1));
        assertThat(violations(new CreateTopic("orders", 3, CommandShape.MAX_BROKERS + 1, Map.of()))).singleElement().asString()
                .contains("payload.replicationFactor", "between 1 and " + CommandShape.MAX_BROKERS);
        assertThat(violations(new ChangeReplicationFactor("orders/eu", 3))).singleElement().asString().contains("payload.name", "'orders/eu'");
        assertThat(violations(new ChangeReplicationFactor("", -1))).hasSize(2);
    }

    @Test
    void theBuilderMakesAReplicationFactorChangeAndRefusesABadOne() {
        Command c = Commands.on("payments").issuer("alice").expectedVersion(7).changeReplicationFactor("orders", 3);
        assertThat(c.getPayload()).isEqualTo(new ChangeReplicationFactor("orders", 3));
        assertThat(c.getExpectedVersion()).isEqualTo(7L);
        assertThat(Commands.typeOf(c)).isEqualTo("ChangeReplicationFactor");
        assertThatThrownBy(() -> Commands.on("payments").issuer("alice").changeReplicationFactor("orders", 0))
                .isInstanceOf(InvalidCommandException.class).hasMessageContaining("payload.replicationFactor");
    }
}
