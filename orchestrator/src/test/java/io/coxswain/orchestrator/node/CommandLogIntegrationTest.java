package io.coxswain.orchestrator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.wire.WireFormat;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.commands.client.Outcome;
import io.coxswain.commands.shape.InvalidCommandException;
import io.coxswain.orchestrator.topology.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The command log end to end on a real broker: CommandClient → topic → decide/fold (exactly-once) → events and state. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandLogIntegrationTest {

    private NodeFixture fixture;
    private CommandClient client;

    @BeforeAll
    void start() {
        fixture = new NodeFixture().start();
        client = fixture.client();
    }

    @AfterAll
    void stop() {
        client.close();
        fixture.close();
    }

    private Outcome send(Command c) {
        return client.send(c).toCompletableFuture().join();
    }

    @Test
    void commandsAreDecidedAndFolded() {
        Outcome created = send(Commands.on("roundtrip").issuer("alice").createCluster("4.1.0", 3, 3, "10Gi"));
        assertThat(created).isEqualTo(new Outcome.Accepted(created.commandId(), "roundtrip", 1, false));
        Outcome scaled = send(Commands.on("roundtrip").issuer("alice").scaleBrokers(5));
        assertThat(scaled).isInstanceOf(Outcome.Accepted.class);
        assertThat(((Outcome.Accepted) scaled).version()).isEqualTo(2);

        Outcome rejected = send(Commands.on("roundtrip").issuer("alice").createTopic("orders", 3, 7, Map.of()));
        assertThat(rejected).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo(RejectionCode.REPLICATION_FACTOR_TOO_HIGH);
            assertThat(r.reason()).contains("5 brokers");
            assertThat(r.currentVersion()).isEqualTo(2L);
        });
        NodeFixture.await(Duration.ofSeconds(30), "state version 2 in the store",
                () -> fixture.node.localClusterState("roundtrip").map(s -> s.getVersion() == 2).orElse(false));
        assertThat(fixture.node.localClusterState("roundtrip").orElseThrow().getSpec().getBrokers()).isEqualTo(5);
    }

    @Test
    void badShapesFailBeforeAnythingIsSent() {
        assertThatThrownBy(() -> Commands.on("Not_A_Label").createCluster("4.1.0", 3, 3, "10Gi"))
                .isInstanceOf(InvalidCommandException.class).hasMessageContaining("clusterId");
        assertThatThrownBy(() -> Commands.on("ok").createCluster("4.1", 2, 0, "10GB"))
                .isInstanceOfSatisfying(InvalidCommandException.class, e -> assertThat(e.violations()).extracting(v -> v.field())
                        .containsExactlyInAnyOrder("payload.kafkaVersion", "payload.controllers", "payload.brokers", "payload.storage.size"));
    }

    @Test
    void aResentCommandReturnsItsFirstOutcome() {
        send(Commands.on("resend").createCluster("4.1.0", 1, 1, "1Gi"));
        Command scale = Commands.on("resend").scaleBrokers(2);
        Outcome first = send(scale);
        Outcome again = send(scale);
        assertThat(again.duplicate()).isTrue();
        assertThat(((Outcome.Accepted) again).version()).isEqualTo(((Outcome.Accepted) first).version());
        NodeFixture.await(Duration.ofSeconds(30), "state", () -> fixture.node.localClusterState("resend").isPresent());
        assertThat(fixture.node.localClusterState("resend").orElseThrow().getVersion()).isEqualTo(2);
    }

    @Test
    void twoWritersWithTheSameExpectedVersionExactlyOneWins() throws Exception {
        send(Commands.on("race").createCluster("4.1.0", 1, 3, "1Gi"));
        try (CommandClient other = fixture.client()) {
            for (int round = 0; round < 5; round++) {
                long version = 1 + round;
                CyclicBarrier barrier = new CyclicBarrier(2);
                CompletableFuture<Outcome> a = CompletableFuture.supplyAsync(() -> {
                    await(barrier);
                    return send(Commands.on("race").issuer("a").expectedVersion(version).updateBrokerConfig(Map.of("x.a", "a" + version), List.of()));
                });
                CompletableFuture<Outcome> b = CompletableFuture.supplyAsync(() -> {
                    await(barrier);
                    return other.send(Commands.on("race").issuer("b").expectedVersion(version).updateBrokerConfig(Map.of("x.b", "b" + version), List.of()))
                            .toCompletableFuture().join();
                });
                List<Outcome> outcomes = List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
                assertThat(outcomes).filteredOn(o -> o instanceof Outcome.Accepted).hasSize(1);
                assertThat(outcomes).filteredOn(o -> o instanceof Outcome.Rejected r && r.code() == RejectionCode.VERSION_CONFLICT).hasSize(1);
            }
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void poisonRecordsAreDeadLetteredAndTheNextCommandIsApplied() {
        List<byte[]> poisons = List.of(
                "garbage, not avro".getBytes(StandardCharsets.UTF_8),
                new byte[] {0x05, 1, 2, 3, 4, 5},
                WireFormat.frame(999_999, new byte[] {1, 2, 3}),
                fixture.node.codecs().decisions().encode(io.coxswain.avro.event.Decision.newBuilder()
                        .setCommandId("x").setClusterId("poison").setCommandType("CreateCluster").setIssuer("x")
                        .setIssuedAt(java.time.Instant.EPOCH).setOutcome(new io.coxswain.avro.event.CommandAccepted(1L, 0)).build()));
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", fixture.bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] poison : poisons) {
                raw.send(new ProducerRecord<>(fixture.topics.commands(), "poison".getBytes(StandardCharsets.UTF_8), poison));
            }
            raw.flush();
        }
        Outcome good = send(Commands.on("poison").createCluster("4.1.0", 1, 1, "1Gi"));
        assertThat(good).isInstanceOf(Outcome.Accepted.class);

        List<ConsumerRecord<byte[], byte[]>> dead = readAll(fixture.topics.deadLetter(), poisons.size());
        assertThat(dead).extracting(ConsumerRecord::value).containsExactlyElementsOf(poisons);
        assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                .anySatisfy(r -> assertThat(r).contains("unknown magic byte"))
                .anySatisfy(r -> assertThat(r).contains("unknown schema id 999999"))
                .anySatisfy(r -> assertThat(r).contains("wrong record type"));
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", fixture.bootstrap,
                "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
