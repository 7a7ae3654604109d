package io.coxswain.avro.registry;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Builds a populated generic record for any schema: the first branch of each union that is not null, sample values elsewhere. */
final class SampleRecords {

    private SampleRecords() {
    }

    static GenericRecord of(Schema schema) {
        return (GenericRecord) value(schema, 0);
    }

    private static Object value(Schema s, int depth) {
        return switch (s.getType()) {
            case RECORD -> {
                GenericData.Record r = new GenericData.Record(s);
                for (Schema.Field f : s.getFields()) {
                    r.put(f.pos(), value(f.schema(), depth + 1));
                }
                yield r;
            }
            case UNION -> value(s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow(), depth);
            case STRING -> "sample-" + depth;
            case INT -> 3;
            case LONG -> 1_700_000_000_000L;
            case BOOLEAN -> true;
            case BYTES -> ByteBuffer.wrap(new byte[] {1, 2});
            case ENUM -> new GenericData.EnumSymbol(s, s.getEnumSymbols().get(0));
            case MAP -> Map.of("k", value(s.getValueType(), depth + 1));
            case ARRAY -> List.of(value(s.getElementType(), depth + 1));
            case DOUBLE -> 1.0;
            case FLOAT -> 1.0f;
            case NULL -> null;
            case FIXED -> new GenericData.Fixed(s, new byte[s.getFixedSize()]);
        };
    }
}
