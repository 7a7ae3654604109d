package io.coxswain.commands.signing;

import io.coxswain.avro.wire.WireFormat;
import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The bytes a command signature covers: everything that decides how the record decodes.
 *
 * <p>Normally that is the value alone: it starts with the schema reference (Confluent's {@code 0x00}
 * + id, or {@code 0x01} + GUID). A producer may instead carry the reference in the
 * {@code __value_schema_id} header; the reader then decodes the value with the schema the header
 * names, so a signature over the value alone would let anyone swap the header and have the same
 * bytes read under another schema. With the header, the signature covers {@code 0xFF}, the header's
 * length (4 bytes, big-endian), the header and the value. No value the reader accepts starts with
 * {@code 0xFF}, so the two forms can never be passed off as one another.
 */
final class SignedBytes {

    /** Not a wire-format magic byte: marks the form that includes the schema-reference header. */
    static final byte WITH_SCHEMA_HEADER = (byte) 0xFF;

    private SignedBytes() {
    }

    /** The bytes to sign or verify for a record with these headers and value; the reader uses the last schema header. */
    static byte[] of(Headers headers, byte[] value) {
        Header schema = headers.lastHeader(WireFormat.VALUE_SCHEMA_ID_HEADER);
        if (schema == null || schema.value() == null) {
            return value;
        }
        byte[] ref = schema.value();
        return ByteBuffer.allocate(1 + 4 + ref.length + value.length)
                .put(WITH_SCHEMA_HEADER).putInt(ref.length).put(ref).put(value).array();
    }
}
