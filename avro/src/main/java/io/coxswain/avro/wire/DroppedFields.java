package io.coxswain.avro.wire;

import io.coxswain.avro.registry.RegisteredSchema;
import java.util.ArrayList;
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

    /**
     * What {@code reader} ("this node", "this gateway", "commands schema v28") lacks to read the record: its command type,
     * enum symbols and fields unknown to it, as "it is a DrainBroker, a command type this node does not know; it sets
     * payload.x, a field ...". One wording for every reader that refuses or rejects such a record, so each names it alike.
     */
    public String lacks(String reader) {
        List<String> what = new ArrayList<>();
        for (Unknown v : values) {
            what.add(!v.type() ? "it sets " + v.path() + " to " + v.name() + ", a value " + reader + " does not know"
                    : v.path().equals("payload") ? "it is a " + v.name() + ", a command type " + reader + " does not know"
                    : "its " + v.path() + " is a " + v.name() + ", a type " + reader + " does not know");
        }
        if (!paths.isEmpty()) {
            what.add("it sets " + String.join(", ", paths) + (paths.size() == 1 ? ", a field" : ", fields") + " "
                    + reader + " does not know and would drop");
        }
        return String.join("; ", what);
    }
}
