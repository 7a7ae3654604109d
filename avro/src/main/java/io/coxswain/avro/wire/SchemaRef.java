package io.coxswain.avro.wire;

import java.util.UUID;

/** How a record names its writer schema: a Confluent integer id, or (newer form) a GUID. */
public sealed interface SchemaRef {
    record Id(int id) implements SchemaRef {
        @Override public String toString() { return "schema id " + id; }
    }

    record Guid(UUID guid) implements SchemaRef {
        @Override public String toString() { return "schema guid " + guid; }
    }
}
