package io.coxswain.orchestrator.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Field-by-field differences between two Avro records of one schema, as paths a person can read:
 * {@code spec.brokers}, {@code spec.brokerConfig["log.retention.ms"]}, {@code status.operation.steps[3]}.
 * Map keys are quoted because Kafka config keys contain dots. Values are rendered with {@link StateJson};
 * a map key or array element present on one side only shows {@code null} on the other.
 */
public final class FieldDiff {

    /** One changed leaf (or a whole subtree, when its shape changed, e.g. a union switched branch). */
    public record FieldChange(String path, JsonNode before, JsonNode after) {
        /** {@code {"path": ..., "before": ..., "after": ...}}, as the diff and dry-run answers show a change. */
        public ObjectNode toJson() {
            ObjectNode n = JsonNodeFactory.instance.objectNode().put("path", path);
            n.set("before", before);
            n.set("after", after);
            return n;
        }

        @Override
        public String toString() {
            return path + ": " + before + " -> " + after;
        }
    }

    private FieldDiff() {
    }

    /** @param before null means "absent": every field of {@code after} is reported */
    public static List<FieldChange> between(SpecificRecord before, SpecificRecord after) {
        Schema schema = (after != null ? after : before).getSchema();
        List<FieldChange> out = new ArrayList<>();
        if (before == null || after == null) {
            // a record appearing or disappearing: one change per top-level field reads better than one blob
            for (Schema.Field f : schema.getFields()) {
                diff(f.schema(), before == null ? null : before.get(f.pos()), after == null ? null : after.get(f.pos()), f.name(), out);
            }
            return out;
        }
        diff(schema, before, after, "", out);
        return out;
    }

    private static void diff(Schema schema, Object a, Object b, String path, List<FieldChange> out) {
        if (a == null || b == null) {
            if (a != b) {
                out.add(change(schema, a, b, path));
            }
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                for (Schema.Field f : schema.getFields()) {
                    diff(f.schema(), ((IndexedRecord) a).get(f.pos()), ((IndexedRecord) b).get(f.pos()), join(path, f.name()), out);
                }
            }
            case MAP -> {
                Map<String, Object> ma = byString((Map<?, ?>) a);
                Map<String, Object> mb = byString((Map<?, ?>) b);
                TreeSet<String> keys = new TreeSet<>(ma.keySet());
                keys.addAll(mb.keySet());
                for (String k : keys) {
                    diff(schema.getValueType(), ma.get(k), mb.get(k), path + "[\"" + k + "\"]", out);
                }
            }
            case ARRAY -> {
                List<?> la = (List<?>) a;
                List<?> lb = (List<?>) b;
                for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                    diff(schema.getElementType(), i < la.size() ? la.get(i) : null, i < lb.size() ? lb.get(i) : null, path + "[" + i + "]", out);
                }
            }
            case UNION -> {
                Schema sa = branch(schema, a);
                Schema sb = branch(schema, b);
                if (sa == schema || sb == schema) {
                    if (!leafEquals(a, b)) {
                        out.add(change(schema, a, b, path));
                    }
                } else if (sa.equals(sb)) {
                    diff(sa, a, b, path, out);
                } else {
                    out.add(change(schema, a, b, path));
                }
            }
            default -> {
                if (!leafEquals(a, b)) {
                    out.add(change(schema, a, b, path));
                }
            }
        }
    }

    /** The union branch a non-null value belongs to; the union itself if it cannot tell (then compared as a leaf). */
    private static Schema branch(Schema union, Object v) {
        for (Schema s : union.getTypes()) {
            if (s.getType() == Schema.Type.RECORD && v instanceof IndexedRecord r && r.getSchema().getFullName().equals(s.getFullName())) {
                return s;
            }
        }
        List<Schema> others = union.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL && s.getType() != Schema.Type.RECORD).toList();
        return others.size() == 1 ? others.get(0) : union;
    }

    private static boolean leafEquals(Object a, Object b) {
        if (a instanceof CharSequence || b instanceof CharSequence) {
            return a.toString().equals(b.toString());
        }
        if (a instanceof ByteBuffer x && b instanceof ByteBuffer y) {
            return x.duplicate().equals(y.duplicate());
        }
        return Objects.equals(a, b);
    }

    private static Map<String, Object> byString(Map<?, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }

    private static FieldChange change(Schema schema, Object a, Object b, String path) {
        return new FieldChange(path.isEmpty() ? "." : path, render(schema, a), render(schema, b));
    }

    private static JsonNode render(Schema schema, Object v) {
        return v == null ? JsonNodeFactory.instance.nullNode() : StateJson.value(schema, v);
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
