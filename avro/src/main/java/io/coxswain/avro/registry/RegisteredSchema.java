package io.coxswain.avro.registry;

import java.util.UUID;
import org.apache.avro.Schema;

/** One version of a subject, as a Confluent-compatible registry describes it. */
public record RegisteredSchema(String subject, int version, int id, UUID guid, Schema schema) {
}
