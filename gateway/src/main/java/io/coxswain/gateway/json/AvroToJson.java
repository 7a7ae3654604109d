package io.coxswain.gateway.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro datum → JSON, walking the schema so that the JSON tree has exactly the Avro field names.
 * Timestamps become ISO-8601 strings, maps are written in key order (stable output for diffs and
 * tests), and a member of a union of several records carries its record name in {@code "type"},
 * the same convention the gateway accepts on input.
 */
public final class AvroToJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroToJson() {
    }

    public static JsonNode toJson(Object datum, Schema schema) {
        if (datum == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case RECORD:
                return record((IndexedRecord) datum, schema);
            case UNION:
                return union(datum, schema);
            case MAP:
                ObjectNode map = NODES.objectNode();
                new TreeMap<>((Map<?, ?>) datum).forEach((k, v) -> map.set(k.toString(), toJson(v, schema.getValueType())));
                return map;
            case ARRAY:
                ArrayNode array = NODES.arrayNode();
                ((Collection<?>) datum).forEach(item -> array.add(toJson(item, schema.getElementType())));
                return array;
            case STRING:
            case ENUM:
                return NODES.textNode(datum.toString());
            case INT:
                return NODES.numberNode(((Number) datum).intValue());
            case LONG:
                if (datum instanceof Instant instant) {
                    return NODES.textNode(instant.toString());
                }
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    return NODES.textNode(Instant.ofEpochMilli(((Number) datum).longValue()).toString());
                }
                return NODES.numberNode(((Number) datum).longValue());
            case FLOAT:
            case DOUBLE:
                return NODES.numberNode(((Number) datum).doubleValue());
            case BOOLEAN:
                return NODES.booleanNode((Boolean) datum);
            case BYTES:
                ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            case FIXED:
                return NODES.textNode(Base64.getEncoder().encodeToString(((org.apache.avro.generic.GenericFixed) datum).bytes()));
            default:
                return NODES.nullNode();
        }
    }

    private static ObjectNode record(IndexedRecord record, Schema schema) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : schema.getFields()) {
            node.set(field.name(), toJson(record.get(field.pos()), field.schema()));
        }
        return node;
    }

    private static JsonNode union(Object datum, Schema union) {
        Schema branch = branchOf(datum, union);
        JsonNode json = toJson(datum, branch);
        long records = union.getTypes().stream().filter(s -> s.getType() == Schema.Type.RECORD).count();
        if (records > 1 && json instanceof ObjectNode object) {
            ObjectNode typed = NODES.objectNode().put("type", branch.getName());
            typed.setAll(object);
            return typed;
        }
        return json;
    }

    private static Schema branchOf(Object datum, Schema union) {
        if (datum instanceof GenericContainer container) {
            String name = container.getSchema().getFullName();
            for (Schema s : union.getTypes()) {
                if (s.getType() != Schema.Type.NULL && s.getFullName().equals(name)) {
                    return s;
                }
            }
        }
        // a nullable primitive: the one non-null branch (the only union shape Coxswain's schemas use besides records)
        return union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no branch of " + union + " fits " + datum.getClass().getName()));
    }
}
