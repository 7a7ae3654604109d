package io.coxswain.avro.wire;

import io.coxswain.avro.registry.RegisteredSchema;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * What decoding a record would drop or cannot read, its writer schema being newer than the reader's
 * ({@link AvroWireCodec#droppedFields}): the fields the reader lacks that the record sets to other than their
 * defaults, and the union branches and enum symbols the reader lacks that it holds.
 *
 * @param writer    the schema that wrote the record, as the registry names it (subject, version, id)
 * @param paths     the fields, as {@code payload.approvalPolicy}
 * @param values    the branches and symbols; when not empty the record is not to be decoded with the reader schema
 * @param asWritten the record decoded with its writer schema; paths and values are never both empty
 */
public record DroppedFields(RegisteredSchema writer, List<String> paths, List<Unknown> values, GenericRecord asWritten) {

    /**
     * A value of a type the reader lacks ({@code type}: a union branch, named by its record name) or a symbol of an
     * enum the reader's lacks, at {@code path} ({@code payload}, {@code payload.to}).
     */
    public record Unknown(String path, String name, boolean type) {
    }

    /** Whether the reader schema can decode the record at all (it may still drop {@link #paths}). */
    public boolean decodable() {
        return values.isEmpty();
    }
}
