package io.coxswain.gateway.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * JSON → Avro specific records, walking the schema so that every error names the JSON path of the
 * field at fault ({@code payload.brokers}, {@code payload.config.retention.ms}). Strict on purpose:
 * an unknown field is an error, because a typo such as {@code "broker": 5} silently ignored would
 * send a command that does something other than what the caller meant.
 */
public final class JsonToAvro {

    private final SpecificData data;

    public JsonToAvro(SpecificData data) {
        this.data = data;
    }

    /** Converts {@code json} (possibly null or missing) to a value of {@code schema}. */
    public Object convert(JsonNode json, Schema schema, String path) {
        boolean absent = json == null || json.isNull() || json.isMissingNode();
        if (schema.getType() == Schema.Type.UNION) {
            return union(json, absent, schema, path);
        }
        if (absent) {
            if (schema.getType() == Schema.Type.NULL) {
                return null;
            }
            throw new BadInputException(path, "is required");
        }
        switch (schema.getType()) {
            case RECORD:
                return record(json, schema, path);
            case STRING:
                require(json.isTextual(), path, "must be a string");
                return json.textValue();
            case INT:
                require(json.isIntegralNumber() && json.canConvertToInt(), path, "must be a whole number (32-bit)");
                return json.intValue();
            case LONG:
                return longValue(json, schema, path);
            case FLOAT:
            case DOUBLE:
                require(json.isNumber(), path, "must be a number");
                return schema.getType() == Schema.Type.FLOAT ? (Object) json.floatValue() : (Object) json.doubleValue();
            case BOOLEAN:
                require(json.isBoolean(), path, "must be true or false");
                return json.booleanValue();
            case ENUM:
                require(json.isTextual() && schema.getEnumSymbols().contains(json.textValue()), path,
                        "must be one of " + schema.getEnumSymbols());
                return data.createEnum(json.textValue(), schema);
            case MAP:
                require(json.isObject(), path, "must be an object of " + schema.getValueType().getType().getName() + " values");
                Map<String, Object> map = new HashMap<>();
                json.fields().forEachRemaining(e -> map.put(e.getKey(), convert(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
                return map;
            case ARRAY:
                require(json.isArray(), path, "must be an array");
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < json.size(); i++) {
                    list.add(convert(json.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return list;
            case BYTES:
                require(json.isTextual(), path, "must be a base64 string");
                try {
                    return ByteBuffer.wrap(Base64.getDecoder().decode(json.textValue()));
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(path, "must be a base64 string");
                }
            default:
                throw new BadInputException(path, "has Avro type " + schema.getType() + ", which the gateway cannot take as JSON");
        }
    }

    /** A record from a JSON object; absent fields take their schema default or are reported as required. */
    public IndexedRecord record(JsonNode json, Schema schema, String path) {
        require(json != null && json.isObject(), path.isEmpty() ? null : path, "must be a JSON object");
        IndexedRecord record = (IndexedRecord) data.newRecord(null, schema);
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (schema.getField(name) == null) {
                throw new BadInputException(join(path, name), "is not a field of " + schema.getName()
                        + "; its fields are " + schema.getFields().stream().map(Schema.Field::name).toList());
            }
        }
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = json.get(field.name());
            String fieldPath = join(path, field.name());
            boolean missing = value == null || value.isMissingNode();
            boolean explicitNull = !missing && value.isNull();
            if ((missing || explicitNull && !allowsNull(field.schema())) && field.hasDefaultValue()) {
                record.put(field.pos(), data.deepCopy(field.schema(), data.getDefaultValue(field)));
            } else {
                record.put(field.pos(), convert(value, field.schema(), fieldPath));
            }
        }
        return record;
    }

    private Object union(JsonNode json, boolean absent, Schema union, String path) {
        if (absent) {
            if (allowsNull(union)) {
                return null;
            }
            throw new BadInputException(path, "is required");
        }
        List<Schema> branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (branches.size() == 1) {
            return convert(json, branches.get(0), path);
        }
        // several records: the object names its branch in "type", as StateJson writes it
        require(json.isObject() && json.path("type").isTextual(), path, "must be an object with a \"type\" naming one of "
                + names(branches));
        String type = json.get("type").textValue();
        Schema branch = branches.stream().filter(s -> s.getName().equals(type)).findFirst()
                .orElseThrow(() -> new BadInputException(join(path, "type"), "unknown type '" + type + "'; one of " + names(branches)));
        com.fasterxml.jackson.databind.node.ObjectNode body = json.deepCopy();
        body.remove("type");
        return record(body, branch, path);
    }

    private static List<String> names(List<Schema> schemas) {
        return schemas.stream().map(Schema::getName).toList();
    }

    private static Object longValue(JsonNode json, Schema schema, String path) {
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            if (json.isTextual()) {
                try {
                    return Instant.parse(json.textValue());
                } catch (DateTimeParseException e) {
                    throw new BadInputException(path, "must be an ISO-8601 instant such as 2025-01-31T12:00:00Z or epoch milliseconds");
                }
            }
            require(json.isIntegralNumber() && json.canConvertToLong(), path, "must be an ISO-8601 instant or epoch milliseconds");
            return Instant.ofEpochMilli(json.longValue());
        }
        require(json.isIntegralNumber() && json.canConvertToLong(), path, "must be a whole number");
        return json.longValue();
    }

    static boolean allowsNull(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static String join(String path, String name) {
        return path == null || path.isEmpty() ? name : path + "." + name;
    }

    private static void require(boolean ok, String path, String message) {
        if (!ok) {
            throw new BadInputException(path, message);
        }
    }

    /** The branch of {@code union} whose record name is {@code simpleName}. */
    public static Optional<Schema> branch(Schema union, String simpleName) {
        return union.getTypes().stream().filter(s -> s.getType() == Schema.Type.RECORD && s.getName().equals(simpleName)).findFirst();
    }
}
