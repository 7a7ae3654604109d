package io.coxswain.avro.registry;

import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

/** Sample records written with released schema versions and read by the current reader, for the schema history tests. */
final class ReleasedSamples {

    private final Topics topics;

    ReleasedSamples(Topics topics) {
        this.topics = topics;
    }

    /** A registry holding every shipped version of the commands, events and state schemas under these topics' subjects. */
    InMemorySchemaRegistry registry() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        ShippedSchemas.registerAll(registry, topics);
        return registry;
    }

    /** A sample record written with released version {@code version} (1-based) of the topic's schema, read by the current reader. */
    <T extends SpecificRecord> T sampleOf(SchemaRegistry registry, String topic, int version, Class<T> type) {
        String subject = Topics.valueSubject(topics.prefix() + topic);
        Schema writer = ShippedSchemas.history().get(topic).get(version - 1);
        return decode(registry, subject, new AvroWireCodec<>(registry, subject, type), writer, SampleRecords.of(writer));
    }

    /** The payload of a sample of every union branch of released commands schema {@code version}, read by the current reader. */
    List<Object> payloadsOf(SchemaRegistry registry, int version) {
        String subject = Topics.valueSubject(topics.prefix() + "commands");
        AvroWireCodec<Command> commands = new AvroWireCodec<>(registry, subject, Command.class);
        Schema writer = ShippedSchemas.history().get("commands").get(version - 1);
        return SampleRecords.everyBranch(writer).stream().map(sample -> decode(registry, subject, commands, writer, sample).getPayload()).toList();
    }

    static <T extends SpecificRecord> T decode(SchemaRegistry registry, String subject, AvroWireCodec<T> codec, Schema writer,
                                                      GenericRecord sample) {
        int id = registry.lookup(subject, writer).orElseThrow().id();
        return codec.decode(WireFormat.frame(id, binary(writer, sample)));
    }

    /** {@code sample} in Avro binary, written with {@code writer}. */
    static byte[] binary(Schema writer, GenericRecord sample) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer, GenericData.get()).write(sample, enc);
            enc.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
