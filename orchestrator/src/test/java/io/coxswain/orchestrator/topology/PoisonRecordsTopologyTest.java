package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.registry.SchemaIdentity;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.WireFormat;
import io.coxswain.commands.Commands;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Records that cannot be decoded go to the dead-letter topic with their bytes and a reason; the next good command is applied. */
class PoisonRecordsTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private Command create(String cluster) {
        return Commands.on(cluster).issuer("svc").issuedAt(Instant.parse("2026-11-20T10:00:00Z")).createCluster("4.1.0", 1, 1, "1Gi");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"garbage", "unknown-magic", "unknown-schema-id", "wrong-record-type", "truncated-avro", "empty", "unknown-guid"})
    void poisonIsDeadLetteredAndTheNextCommandIsApplied(String kind) {
        byte[] poison = poison(kind);
        String poisonOffset = kind.equals("wrong-record-type") ? "1" : "0"; // that case first creates a cluster to get a state
        h.events.readValuesToList();
        h.pipeRaw("payments", poison, new RecordHeaders());

        List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(poison);
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("payments");
        String reason = DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON);
        assertThat(reason).isNotBlank();
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.TOPIC)).isEqualTo(h.topics.commands());
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.OFFSET)).isEqualTo(poisonOffset);
        assertThat(h.events.isEmpty()).isTrue();

        assertThat(acceptedVersion(h.send(create("payments")))).isEqualTo(1);
        assertThat(h.state("payments").getVersion()).isEqualTo(1);
        assertThat(reason).satisfies(r -> {
            switch (kind) {
                case "unknown-magic", "garbage" -> assertThat(r).contains("unknown magic byte");
                case "unknown-schema-id" -> assertThat(r).contains("unknown schema id 424242");
                case "wrong-record-type" -> assertThat(r).contains("ClusterState").contains("not io.coxswain.avro.command.Command");
                case "truncated-avro" -> assertThat(r).contains("does not match");
                case "empty" -> assertThat(r).contains("empty value");
                case "unknown-guid" -> assertThat(r).contains("unknown schema guid");
                default -> throw new AssertionError(kind);
            }
        });
    }

    private byte[] poison(String kind) {
        byte[] good = h.codecs.commands().encode(create("payments"));
        return switch (kind) {
            case "garbage" -> "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
            case "unknown-magic" -> new byte[] {0x07, 0, 0, 0, 1, 2, 3};
            case "unknown-schema-id" -> WireFormat.frame(424242, new byte[] {2, 4, 6});
            case "wrong-record-type" -> h.codecs.states().encode(sampleState());
            case "truncated-avro" -> java.util.Arrays.copyOf(good, 12);
            case "empty" -> new byte[0];
            case "unknown-guid" -> ByteBuffer.allocate(20).put(WireFormat.MAGIC_GUID)
                    .putLong(UUID.randomUUID().getMostSignificantBits()).putLong(1L).put(new byte[] {0, 0, 0}).array();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private ClusterState sampleState() {
        h.send(create("other"));
        return h.state("other");
    }

    @Test
    void theNewerGuidFormIsAccepted() {
        Command c = create("payments");
        byte[] body = h.codecs.commands().avroBytes(c);
        UUID guid = SchemaIdentity.guidOf(Command.getClassSchema());
        byte[] framed = ByteBuffer.allocate(17 + body.length).put(WireFormat.MAGIC_GUID)
                .putLong(guid.getMostSignificantBits()).putLong(guid.getLeastSignificantBits()).put(body).array();
        h.pipeRaw("payments", framed, new RecordHeaders());
        assertThat(acceptedVersion(h.nextDecision())).isEqualTo(1);
    }

    @Test
    void aSchemaIdInTheHeaderIsAccepted() {
        Command c = create("payments");
        byte[] body = h.codecs.commands().avroBytes(c);
        RecordHeaders headers = new RecordHeaders();
        headers.add(WireFormat.VALUE_SCHEMA_ID_HEADER, ByteBuffer.allocate(5).put(WireFormat.MAGIC_ID)
                .putInt(h.registry.lookup(Topics.valueSubject(h.topics.commands()), Command.getClassSchema()).orElseThrow().id()).array());
        h.pipeRaw("payments", body, headers);
        assertThat(acceptedVersion(h.nextDecision())).isEqualTo(1);
        // the input's schema header must not leak onto the outputs, whose values are framed
        assertThat(h.states.readRecord().headers().lastHeader(WireFormat.VALUE_SCHEMA_ID_HEADER)).isNull();
    }

    @Test
    void aCommandKeyedByAnotherIdIsRejectedNotApplied() {
        h.pipeRaw("billing", h.codecs.commands().encode(create("payments")), new RecordHeaders());
        assertThat(rejected(h.nextDecision()).getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(h.state("payments")).isNull();
    }

    @Test
    void aNullValueIsDeadLettered() {
        h.commands.pipeInput(new TestRecord<>("payments".getBytes(StandardCharsets.UTF_8), null));
        assertThat(DeadLetters.header(h.deadLetters.readRecord().headers(), DeadLetters.REASON)).contains("tombstone");
    }
}
