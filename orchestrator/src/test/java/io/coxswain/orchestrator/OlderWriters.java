package io.coxswain.orchestrator;

import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

/** Records as an older Coxswain wrote them: with a released schema of its time, registered under the topic's subject. */
public final class OlderWriters {

    private OlderWriters() {
    }

    /**
     * {@code record} in the wire format, written with released version {@code version} (1-based) of {@code topic}'s schema
     * ("state", "commands"): the fields added since are not in the bytes, and a current reader fills in their defaults.
     */
    public static <T extends SpecificRecord> byte[] encode(SchemaRegistry registry, AvroWireCodec<T> codec, String topic, int version, T record) {
        Schema older = ShippedSchemas.history().get(topic).get(version - 1);
        return WireFormat.frame(registry.lookup(codec.subject(), older).orElseThrow().id(), body(topic, version, record.getSchema(), codec.avroBytes(record)));
    }

    /** {@code current}, Avro binary of {@code schema}, as released version {@code version} of {@code topic}'s schema writes it (no wire header). */
    public static byte[] body(String topic, int version, Schema schema, byte[] current) {
        Schema older = ShippedSchemas.history().get(topic).get(version - 1);
        try {
            GenericRecord asOlder = new GenericDatumReader<GenericRecord>(schema, older).read(null, DecoderFactory.get().binaryDecoder(current, null));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(older).write(asOlder, enc);
            enc.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
