package io.coxswain.orchestrator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.commands.client.Outcome;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same round trip against Kafka in a container, for machines with Docker (chosen at run time:
 * skipped where no Docker engine answers). The default path everywhere is the embedded broker.
 */
@Testcontainers(disabledWithoutDocker = true)
class CommandLogOnDockerKafkaTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @Test
    void commandsAreDecidedAndFoldedOnAContainerisedBroker() {
        try (NodeFixture fixture = new NodeFixture(KAFKA.getBootstrapServers()).start(); CommandClient client = fixture.client()) {
            Outcome created = client.send(Commands.on("docker").createCluster("4.1.0", 3, 3, "10Gi")).toCompletableFuture().join();
            assertThat(created).isInstanceOfSatisfying(Outcome.Accepted.class, a -> assertThat(a.version()).isEqualTo(1));
        }
    }
}
