package io.coxswain.orchestrator.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.state.Proposal;
import io.coxswain.avro.wire.StoredCommands;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Renders Avro records (ClusterState, Command, Decision, ...) as JSON whose field names are exactly the
 * Avro schema's, so the JSON a person reads and the schema a service compiles against name things the
 * same way. Deterministic: fields in schema order, map keys sorted, so two renderings of equal records
 * are equal strings (replay output can be diffed with plain tools).
 *
 * <p>Rules: {@code timestamp-millis} → ISO-8601 instant string; enums → symbol; bytes → base64; a
 * nullable union → the value or {@code null}; a union of several records (the command payload) → the
 * chosen record's fields preceded by {@code "type": "<record name>"} (the gateway's command "type"); a proposal's stored
 * command (spec.proposals.*.command) → that command's JSON.
 * Shared with the gateway: call {@link #toJson(SpecificRecord)} / {@link #node(SpecificRecord)}.
 */
public final class StateJson {

    public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Resolves union branches of generated classes, including Instant for timestamp-millis. */
    private static final SpecificData DATA = new SpecificData();

    static {
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    private StateJson() {
    }

    public static ObjectNode node(SpecificRecord record) {
        return (ObjectNode) value(record.getSchema(), record);
    }

    public static String toJson(SpecificRecord record) {
        return write(node(record), false);
    }

    public static String toPrettyJson(SpecificRecord record) {
        return write(node(record), true);
    }

    public static String write(JsonNode node, boolean pretty) {
        try {
            return pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) : MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }

    /** Any Avro value of {@code schema} as JSON (used for field values in diffs too). */
    public static JsonNode value(Schema schema, Object v) {
        if (v == null) {
            return F.nullNode();
        }
        switch (schema.getType()) {
            case RECORD:
                return record(schema, (IndexedRecord) v);
            case UNION:
                return union(schema, v);
            case MAP: {
                ObjectNode o = F.objectNode();
                new TreeMap<>(stringKeys((Map<?, ?>) v)).forEach((k, val) -> o.set(k, value(schema.getValueType(), val)));
                return o;
            }
            case ARRAY: {
                ArrayNode a = F.arrayNode();
                for (Object item : (Collection<?>) v) {
                    a.add(value(schema.getElementType(), item));
                }
                return a;
            }
            case LONG:
                return timestamp(schema.getLogicalType(), v);
            case INT:
                return F.numberNode(((Number) v).intValue());
            case FLOAT:
            case DOUBLE:
                return F.numberNode(((Number) v).doubleValue());
            case BOOLEAN:
                return F.booleanNode((Boolean) v);
            case BYTES:
                return F.textNode(Base64.getEncoder().encodeToString(bytes((ByteBuffer) v)));
            case FIXED:
                return F.textNode(Base64.getEncoder().encodeToString(((GenericData.Fixed) v).bytes()));
            case NULL:
                return F.nullNode();
            default: // STRING, ENUM
                return F.textNode(v.toString());
        }
    }

    private static ObjectNode record(Schema schema, IndexedRecord r) {
        ObjectNode o = F.objectNode();
        for (Schema.Field f : schema.getFields()) {
            o.set(f.name(), r instanceof Proposal p && f.name().equals("command") ? storedCommand(p) : value(f.schema(), r.get(f.pos())));
        }
        return o;
    }

    /**
     * A proposal's command as the command it is (what an approver reads before approving), not its Avro bytes; base64 only
     * when this Coxswain does not ship the schema version that wrote it.
     */
    private static JsonNode storedCommand(Proposal p) {
        return StoredCommands.ships(p.getCommandSchemaVersion()) ? node(StoredCommands.decode(p.getCommand(), p.getCommandSchemaVersion()))
                : F.textNode(Base64.getEncoder().encodeToString(bytes(p.getCommand())));
    }

    private static JsonNode union(Schema schema, Object v) {
        Schema branch = nonNullBranch(schema);
        if (branch == null) {
            branch = schema.getTypes().get(DATA.resolveUnion(schema, v));
        }
        JsonNode rendered = value(branch, v);
        long records = schema.getTypes().stream().filter(s -> s.getType() == Schema.Type.RECORD).count();
        if (records > 1 && rendered instanceof ObjectNode body) {
            // several record branches: say which one, as the gateway's JSON does with "type"
            ObjectNode typed = F.objectNode();
            typed.put(body.has("type") ? "@type" : "type", branch.getName());
            typed.setAll(body);
            return typed;
        }
        return rendered;
    }

    /** The only non-null branch of a nullable union, or null when there are several. */
    private static Schema nonNullBranch(Schema union) {
        Schema found = null;
        for (Schema s : union.getTypes()) {
            if (s.getType() != Schema.Type.NULL) {
                if (found != null) {
                    return null;
                }
                found = s;
            }
        }
        return found;
    }

    private static JsonNode timestamp(LogicalType logical, Object v) {
        if (v instanceof Instant i) {
            return F.textNode(i.toString());
        }
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return F.textNode(Instant.ofEpochMilli(((Number) v).longValue()).toString());
        }
        return F.numberNode(((Number) v).longValue());
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, val) -> out.put(k.toString(), val));
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer copy = b.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
