package io.coxswain.avro.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Confluent's framing of Avro records: {@code 0x00}, a 4-byte big-endian schema id, then Avro binary.
 * Readers also accept the newer {@code 0x01} + 16-byte GUID prefix, and the schema reference carried in
 * the {@code __value_schema_id} header (then the value is bare Avro binary).
 */
public final class WireFormat {

    public static final byte MAGIC_ID = 0x00;
    public static final byte MAGIC_GUID = 0x01;
    public static final String VALUE_SCHEMA_ID_HEADER = "__value_schema_id";
    private static final int ID_PREFIX_BYTES = 5;

    private WireFormat() {
    }

    /** Where the Avro body starts and which schema wrote it. */
    public record Framed(SchemaRef ref, int bodyOffset) {
    }

    public static byte[] frame(int schemaId, byte[] avroBody) {
        EncodingBuffer out = new EncodingBuffer(ID_PREFIX_BYTES + avroBody.length);
        writeIdPrefix(schemaId, out);
        out.write(avroBody, 0, avroBody.length);
        return out.toByteArray();
    }

    /** The {@code 0x00} + big-endian schema id prefix, for a body written after it in the same buffer. */
    static void writeIdPrefix(int schemaId, EncodingBuffer out) {
        out.write(MAGIC_ID);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /** Reads the schema reference from the header if present, otherwise from the value's prefix. */
    public static Framed parse(Headers headers, byte[] value) {
        if (value == null) {
            throw new UndecodableRecordException("null value (tombstone) where a record was expected");
        }
        Header header = headers == null ? null : headers.lastHeader(VALUE_SCHEMA_ID_HEADER);
        if (header != null) {
            return new Framed(parseRef(header.value(), "header " + VALUE_SCHEMA_ID_HEADER), 0);
        }
        if (value.length == 0) {
            throw new UndecodableRecordException("empty value: expected Confluent wire format (magic byte 0x00 + 4-byte schema id + Avro)");
        }
        SchemaRef ref = parseRef(value, "value prefix");
        return new Framed(ref, ref instanceof SchemaRef.Id ? ID_PREFIX_BYTES : 17);
    }

    private static SchemaRef parseRef(byte[] bytes, String where) {
        if (bytes == null || bytes.length == 0) {
            throw new UndecodableRecordException("empty schema reference in " + where);
        }
        byte magic = bytes[0];
        if (magic == MAGIC_ID) {
            if (bytes.length < 5) {
                throw new UndecodableRecordException("truncated " + where + ": magic byte 0x00 needs a 4-byte schema id, got " + (bytes.length - 1) + " bytes");
            }
            return new SchemaRef.Id(ByteBuffer.wrap(bytes, 1, 4).getInt());
        }
        if (magic == MAGIC_GUID) {
            if (bytes.length < 17) {
                throw new UndecodableRecordException("truncated " + where + ": magic byte 0x01 needs a 16-byte schema GUID, got " + (bytes.length - 1) + " bytes");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, 16);
            return new SchemaRef.Guid(new UUID(b.getLong(), b.getLong()));
        }
        throw new UndecodableRecordException(String.format(
                "unknown magic byte 0x%02x in %s: expected 0x00 (schema id) or 0x01 (schema GUID); first bytes: %s",
                magic, where, preview(bytes)));
    }

    private static String preview(byte[] bytes) {
        int n = Math.min(bytes.length, 16);
        String text = new String(bytes, 0, n, StandardCharsets.ISO_8859_1).replaceAll("\\p{Cntrl}", ".");
        return "\"" + text + "\"";
    }
}
