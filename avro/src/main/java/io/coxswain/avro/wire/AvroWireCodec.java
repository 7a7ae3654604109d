package io.coxswain.avro.wire;

import io.coxswain.avro.registry.RegisteredSchema;
import io.coxswain.avro.registry.SchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Encodes and decodes one record type in the Confluent wire format against a {@link SchemaRegistry}.
 * Writes with the current schema (which must be registered under {@code subject}); reads any
 * registered writer schema of the same record type and resolves it to the current one, so records
 * written by every released schema version stay readable.
 */
public final class AvroWireCodec<T extends SpecificRecord> {

    /** Room for a small state or decision without growing; a larger record grows the buffer by doubling. */
    private static final int INITIAL_CAPACITY = 512;

    private final SchemaRegistry registry;
    private final String subject;
    private final Schema readerSchema;
    private final SpecificData data;
    private final CanonicalDatumWriter<T> writer;
    /**
     * Writer schemas already resolved and checked, with their readers and the fields each has that this
     * reader lacks (see {@link #droppedFields}). The registry is asked only on a
     * miss: its look-ups are synchronized, and asking it for every record was 2.3% of the stream
     * threads' CPU in a 1M-command fold (async-profiler, bench/). A schema's id or GUID never names
     * another schema, so an entry never goes stale; an unknown reference is not remembered, so a
     * schema registered later is found.
     */
    private final Map<SchemaRef, Reader<T>> readers = new ConcurrentHashMap<>();
    /** What each older reader schema ({@link #droppedFields(Headers, byte[], Schema)}) lacks of each writer schema, worked out once. */
    private final Map<OlderReader, FieldsUnknownToReader> olderReaders = new ConcurrentHashMap<>();
    private volatile Integer writerId;

    public AvroWireCodec(SchemaRegistry registry, String subject, Class<T> type) {
        this.registry = registry;
        this.subject = subject;
        this.data = SpecificData.getForClass(type);
        this.readerSchema = data.getSchema(type);
        this.writer = new CanonicalDatumWriter<>(readerSchema, data);
    }

    public String subject() {
        return subject;
    }

    /** The id the current schema has in the registry; fails with a clear message if it is not registered. */
    public int writerSchemaId() {
        Integer id = writerId;
        if (id == null) {
            RegisteredSchema rs = registry.lookup(subject, readerSchema).orElseThrow(() -> new IllegalStateException(
                    "schema " + readerSchema.getFullName() + " is not registered under subject " + subject
                            + "; a Coxswain node registers it at start-up: start one against this Kafka (or registry) first"));
            id = rs.id();
            writerId = id;
        }
        return id;
    }

    /** Plain Avro binary of {@code record}, maps in key order. */
    public byte[] avroBytes(T record) {
        EncodingBuffer out = new EncodingBuffer(INITIAL_CAPACITY);
        writeBody(record, out);
        return out.toByteArray();
    }

    /** {@link WireFormat#frame} of {@link #avroBytes}, written in one buffer: the body is not copied into a second one. */
    public byte[] encode(T record) {
        EncodingBuffer out = new EncodingBuffer(INITIAL_CAPACITY);
        WireFormat.writeIdPrefix(writerSchemaId(), out);
        writeBody(record, out);
        return out.toByteArray();
    }

    private void writeBody(T record, EncodingBuffer out) {
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public T decode(byte[] value) {
        return decode(null, value);
    }

    /** Decodes or throws {@link UndecodableRecordException} with a reason fit for the dead-letter topic. */
    public T decode(Headers headers, byte[] value) {
        WireFormat.Framed framed = WireFormat.parse(headers, value);
        return decode(framed, reader(framed.ref()), value);
    }

    /**
     * A record read as the fold reads commands: decoded, unless what this reader lacks of it ({@link #droppedFields}) means
     * it must not be ({@code decoded} then null), its frame parsed and its writer schema looked up once for both.
     */
    public Read<T> read(Headers headers, byte[] value) {
        WireFormat.Framed framed = WireFormat.parse(headers, value);
        Reader<T> reader = reader(framed.ref());
        Optional<DroppedFields> dropped = droppedFields(framed, reader.writerSchema(), reader.unknown(), value);
        return new Read<>(dropped.map(DroppedFields::decodable).orElse(true) ? decode(framed, reader, value) : null, dropped);
    }

    /** @param decoded null only when {@code dropped} says the record is not {@link DroppedFields#decodable} */
    public record Read<T>(T decoded, Optional<DroppedFields> dropped) {
    }

    private T decode(WireFormat.Framed framed, Reader<T> reader, byte[] value) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, framed.bodyOffset(), value.length - framed.bodyOffset(), null);
            T result = reader.datum().read(null, decoder);
            if (!decoder.isEnd()) {
                throw new UndecodableRecordException("trailing bytes after the Avro body of " + framed.ref()
                        + " (" + subjectOf(reader.writerSchema()) + "): the value was not written with this schema");
            }
            return result;
        } catch (IOException | AvroRuntimeException | ClassCastException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw mismatch(framed, reader.writerSchema(), e);
        }
    }

    /**
     * What {@link #decode} drops of this record: the fields its writer schema has and this reader's lacks (a newer
     * schema wrote it) that it sets to other than their defaults, and the union branches (record types) and enum symbols
     * this reader lacks that it holds; with any of those, {@link #decode} fails on the record or reads it as something
     * else, so it is not to be decoded. Throws {@link UndecodableRecordException} as {@link #decode} does when the
     * record does not match even its writer schema. Whether a writer schema has such fields at all is
     * worked out once per schema: for every other record this is a look-up, and only a record of a schema that has
     * some is decoded a second time, generically, to look at their values.
     */
    public Optional<DroppedFields> droppedFields(Headers headers, byte[] value) {
        WireFormat.Framed framed = WireFormat.parse(headers, value);
        Reader<T> reader = reader(framed.ref());
        return droppedFields(framed, reader.writerSchema(), reader.unknown(), value);
    }

    /**
     * What a reader of schema {@code olderReader} (an earlier version of this record type, such as a released one from
     * {@code ShippedSchemas}) would drop of this record, as {@link #droppedFields(Headers, byte[])} says it for this codec's own
     * reader. A gateway asks it of a command it is about to write, for the schema of the oldest node that would fold it.
     */
    public Optional<DroppedFields> droppedFields(Headers headers, byte[] value, Schema olderReader) {
        WireFormat.Framed framed = WireFormat.parse(headers, value);
        RegisteredSchema writer = reader(framed.ref()).writerSchema();
        FieldsUnknownToReader unknown = olderReaders.computeIfAbsent(new OlderReader(framed.ref(), olderReader),
                k -> FieldsUnknownToReader.between(writer.schema(), olderReader));
        return droppedFields(framed, writer, unknown, value);
    }

    private record OlderReader(SchemaRef writer, Schema reader) {
    }

    private Optional<DroppedFields> droppedFields(WireFormat.Framed framed, RegisteredSchema writer, FieldsUnknownToReader unknown, byte[] value) {
        if (unknown.none()) {
            return Optional.empty();
        }
        GenericRecord asWritten;
        try {
            asWritten = new GenericDatumReader<GenericRecord>(writer.schema())
                    .read(null, DecoderFactory.get().binaryDecoder(value, framed.bodyOffset(), value.length - framed.bodyOffset(), null));
        } catch (IOException | AvroRuntimeException | ClassCastException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw mismatch(framed, writer, e);
        }
        List<String> paths = new ArrayList<>();
        List<DroppedFields.Unknown> values = new ArrayList<>();
        unknown.setIn(asWritten, paths, values);
        return paths.isEmpty() && values.isEmpty() ? Optional.empty()
                : Optional.of(new DroppedFields(writer, List.copyOf(paths), List.copyOf(values), asWritten));
    }

    private static UndecodableRecordException mismatch(WireFormat.Framed framed, RegisteredSchema writer, Exception e) {
        return new UndecodableRecordException("Avro body does not match its " + framed.ref() + " (" + subjectOf(writer) + "): "
                + e.getMessage(), e);
    }

    private Reader<T> reader(SchemaRef ref) {
        Reader<T> reader = readers.get(ref);
        if (reader == null) {
            RegisteredSchema rs = resolve(ref);
            reader = readers.computeIfAbsent(ref, r -> new Reader<>(rs, new SpecificDatumReader<>(rs.schema(), readerSchema, data),
                    FieldsUnknownToReader.between(rs.schema(), readerSchema)));
        }
        return reader;
    }

    private record Reader<T>(RegisteredSchema writerSchema, SpecificDatumReader<T> datum, FieldsUnknownToReader unknown) {
    }

    private RegisteredSchema resolve(SchemaRef ref) {
        RegisteredSchema rs = (ref instanceof SchemaRef.Id id ? registry.byId(id.id())
                : registry.byGuid(((SchemaRef.Guid) ref).guid()))
                .orElseThrow(() -> new UndecodableRecordException("unknown " + ref + ": not in the schema registry"));
        if (rs.schema().getType() != Schema.Type.RECORD || !rs.schema().getFullName().equals(readerSchema.getFullName())) {
            throw new UndecodableRecordException(ref + " is " + rs.schema().getFullName() + " (" + subjectOf(rs)
                    + "), not " + readerSchema.getFullName() + ": wrong record type for this topic");
        }
        return rs;
    }

    private static String subjectOf(RegisteredSchema rs) {
        return rs.subject() == null || rs.subject().isEmpty() ? "subject unknown" : rs.subject() + " v" + rs.version();
    }
}
