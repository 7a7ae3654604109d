package io.coxswain.avro.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.WireFormat;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The command log is kept forever, so every schema version ever released must stay readable by the
 * current reader. For each shipped version this writes a record with that writer schema (a generic
 * record filled from the schema's own defaults and sample values) and reads it back with the codec.
 */
class SchemaHistoryTest {

    private final Topics topics = Topics.defaults();

    @Test
    void theLastShippedVersionIsTheCurrentSchema() {
        Map<String, List<Schema>> history = ShippedSchemas.history();
        assertThat(last(history.get("commands"))).satisfies(s -> assertThat(SchemaIdentity.sameSchema(s, Command.getClassSchema()))
                .as("commands schema changed without a new file under avro/src/main/resources/io/coxswain/avro/history/commands/").isTrue());
        assertThat(SchemaIdentity.sameSchema(last(history.get("events")), Decision.getClassSchema())).isTrue();
        assertThat(SchemaIdentity.sameSchema(last(history.get("state")), ClusterState.getClassSchema())).isTrue();
    }

    @Test
    void everyReleasedVersionIsReadableByTheCurrentReader() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        ShippedSchemas.registerAll(registry, topics);
        Map<String, List<Schema>> history = ShippedSchemas.history();
        check(registry, "commands", history.get("commands"), Command.class);
        check(registry, "events", history.get("events"), Decision.class);
        check(registry, "state", history.get("state"), ClusterState.class);
    }

    private <T extends SpecificRecord> void check(SchemaRegistry registry, String suffix, List<Schema> versions, Class<T> type) throws Exception {
        assertThat(versions).isNotEmpty();
        String subject = Topics.valueSubject(topics.prefix() + suffix);
        AvroWireCodec<T> codec = new AvroWireCodec<>(registry, subject, type);
        for (int v = 0; v < versions.size(); v++) {
            Schema writer = versions.get(v);
            GenericRecord sample = SampleRecords.of(writer);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer, GenericData.get()).write(sample, enc);
            enc.flush();
            int id = registry.lookup(subject, writer).orElseThrow().id();
            T read = codec.decode(WireFormat.frame(id, out.toByteArray()));
            assertThat(read).as("%s v%d", suffix, v + 1).isNotNull();
            assertThat(read.get(0)).as("%s v%d first field", suffix, v + 1).isEqualTo(sample.get(0).toString());
        }
    }

    private static Schema last(List<Schema> list) {
        return list.get(list.size() - 1);
    }
}
