package io.coxswain.avro.registry;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Ids for schemas that need no coordination: derived from the schema's parsing canonical form, so
 * every node, every restart and every replay computes the same id for the same schema, and a
 * registry can be rebuilt from the schema history alone.
 */
public final class SchemaIdentity {

    private SchemaIdentity() {
    }

    /** A positive 31-bit id from the CRC-64-AVRO fingerprint of the canonical form. */
    public static int idOf(Schema schema) {
        long fp = SchemaNormalization.parsingFingerprint64(schema);
        int folded = (int) (fp ^ (fp >>> 32)) & 0x7fffffff;
        return folded == 0 ? 1 : folded;
    }

    /** A name-based (v3) UUID of the canonical form, for the 0x01 + GUID wire form. */
    public static UUID guidOf(Schema schema) {
        return UUID.nameUUIDFromBytes(SchemaNormalization.toParsingForm(schema).getBytes(StandardCharsets.UTF_8));
    }

    public static boolean sameSchema(Schema a, Schema b) {
        return SchemaNormalization.toParsingForm(a).equals(SchemaNormalization.toParsingForm(b));
    }
}
