package io.coxswain.avro.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.RestartMirror;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.registry.InMemorySchemaRegistry;
import io.coxswain.avro.state.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The codec remembers the writer schemas it has resolved; what it must not remember is a failure:
 * a schema registered after a first miss is found, and a record of the wrong type stays refused.
 */
class AvroWireCodecTest {

    private static final String SUBJECT = "topics-value";

    private final InMemorySchemaRegistry writerSide = new InMemorySchemaRegistry();
    private final InMemorySchemaRegistry readerSide = new InMemorySchemaRegistry();

    @Test
    void aSchemaUnknownToTheReaderIsUndecodableUntilItIsRegistered() {
        writerSide.register(SUBJECT, TopicSpec.getClassSchema());
        byte[] bytes = new AvroWireCodec<>(writerSide, SUBJECT, TopicSpec.class).encode(new TopicSpec(6, 3, Map.of("retention.ms", "-1")));
        AvroWireCodec<TopicSpec> reader = new AvroWireCodec<>(readerSide, SUBJECT, TopicSpec.class);

        assertThatThrownBy(() -> reader.decode(bytes)).isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("unknown schema id").hasMessageContaining("not in the schema registry");

        readerSide.register(SUBJECT, TopicSpec.getClassSchema());
        TopicSpec decoded = reader.decode(bytes);
        assertThat(decoded.getPartitions()).isEqualTo(6);
        assertThat(decoded.getReplicationFactor()).isEqualTo(3);
        assertThat(decoded.getConfig()).containsExactly(Map.entry("retention.ms", "-1"));
        assertThat(reader.decode(bytes).getPartitions()).as("decoded again, from the remembered schema").isEqualTo(6);
    }

    @Test
    void aRecordOfAnotherTypeIsRefusedEveryTime() {
        writerSide.register("accepted-value", CommandAccepted.getClassSchema());
        writerSide.register(SUBJECT, TopicSpec.getClassSchema());
        byte[] accepted = new AvroWireCodec<>(writerSide, "accepted-value", CommandAccepted.class).encode(new CommandAccepted(7L, 0));
        AvroWireCodec<TopicSpec> topics = new AvroWireCodec<>(writerSide, SUBJECT, TopicSpec.class);

        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> topics.decode(accepted)).as("attempt %d", attempt)
                    .isInstanceOf(UndecodableRecordException.class)
                    .hasMessageContaining("wrong record type for this topic")
                    .hasMessageContaining("CommandAccepted");
        }
    }

    /**
     * States are compared byte for byte (replay against live), so the codec's own buffer must give exactly what
     * Avro's writer gives behind the 0x00 + schema id prefix: for an empty map, and for a record that outgrows
     * the buffer's first capacity.
     */
    @Test
    void encodesExactlyAvrosBytesBehindTheSchemaIdPrefix() throws Exception {
        int id = writerSide.register(SUBJECT, TopicSpec.getClassSchema()).id();
        AvroWireCodec<TopicSpec> codec = new AvroWireCodec<>(writerSide, SUBJECT, TopicSpec.class);
        TreeMap<String, String> large = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            large.put("config.key." + i, "value-" + i);
        }
        for (TopicSpec topic : new TopicSpec[] {new TopicSpec(6, 3, Map.of()), new TopicSpec(1, 1, Map.of("retention.ms", "-1")),
                new TopicSpec(12, 3, large)}) {
            byte[] avro = plainAvro(topic);
            byte[] framed = ByteBuffer.allocate(5 + avro.length).put((byte) 0).putInt(id).put(avro).array();
            assertThat(codec.avroBytes(topic)).as("%d config entries", topic.getConfig().size()).isEqualTo(avro);
            assertThat(codec.encode(topic)).as("%d config entries", topic.getConfig().size()).isEqualTo(framed);
            assertThat(WireFormat.frame(id, avro)).isEqualTo(framed);
        }
        assertThat(plainAvro(new TopicSpec(12, 3, large)).length).as("the large record outgrows the first buffer").isGreaterThan(512);
    }

    /**
     * What a node on an older released commands schema would lose of a command this codec encodes (the gateway's question
     * before it writes one during a rolling upgrade): asked of the encoded bytes, for any released version.
     */
    @Test
    void namesWhatAnOlderReleasedReaderWouldLoseOfAnEncodedCommand() {
        writerSide.register("commands-value", Command.getClassSchema());
        AvroWireCodec<Command> codec = new AvroWireCodec<>(writerSide, "commands-value", Command.class);
        byte[] withPolicy = codec.encode(command(createCluster(new SetApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 1)), 72))));
        byte[] restart = codec.encode(command(new RestartMirror("east", true, null)));

        assertThat(codec.droppedFields(null, withPolicy, StoredCommands.released(26)).orElseThrow().paths())
                .as("commands v27 added CreateCluster.approvalPolicy").containsExactly("payload.approvalPolicy");
        assertThat(codec.droppedFields(null, withPolicy, StoredCommands.released(27))).isEmpty();
        assertThat(codec.droppedFields(null, codec.encode(command(createCluster(null))), StoredCommands.released(26)))
                .as("the field at its default: nothing lost").isEmpty();
        DroppedFields lost = codec.droppedFields(null, restart, StoredCommands.released(28)).orElseThrow();
        assertThat(lost.values()).as("commands v29 added RestartMirror").containsExactly(new DroppedFields.Unknown("payload", "RestartMirror", true));
        assertThat(lost.decodable()).isFalse();
        assertThat(codec.droppedFields(null, restart, StoredCommands.released(StoredCommands.CURRENT_VERSION))).isEmpty();
        assertThat(codec.droppedFields(null, restart)).as("this codec's own reader is unaffected").isEmpty();
    }

    private static CreateCluster createCluster(SetApprovalPolicy policy) {
        return CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(1).setBrokers(3)
                .setStorage(new StorageRequest("10Gi", null)).setApprovalPolicy(policy).build();
    }

    private static Command command(Object payload) {
        return Command.newBuilder().setCommandId("c1").setClusterId("payments").setIssuer("alice")
                .setIssuedAt(Instant.parse("2026-12-01T10:00:00Z")).setPayload(payload).build();
    }

    private static byte[] plainAvro(TopicSpec topic) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(TopicSpec.class).write(topic, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
