package io.coxswain.avro.wire;

import io.coxswain.avro.registry.RegisteredSchema;
import java.util.List;

/**
 * What decoding a record dropped: the fields its writer schema has and the reader's lacks that the record sets to
 * other than their defaults ({@link AvroWireCodec#droppedFields}).
 *
 * @param writer the schema that wrote the record, as the registry names it (subject, version, id)
 * @param paths  the fields, as {@code payload.approvalPolicy}; never empty
 */
public record DroppedFields(RegisteredSchema writer, List<String> paths) {
}
