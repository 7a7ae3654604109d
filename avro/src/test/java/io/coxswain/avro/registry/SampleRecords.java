package io.coxswain.avro.registry;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;

/**
 * Populated generic records for any schema, sample values everywhere. {@link #of} takes the first
 * branch of each union that is not null; {@link #everyBranch} gives records that between them take
 * every branch of every union (nested ones too), so each command type ever released is written.
 */
final class SampleRecords {

    private SampleRecords() {
    }

    static GenericRecord of(Schema schema) {
        return (GenericRecord) new Builder(Map.of()).value(schema, "", 0);
    }

    /** One record per union branch reachable from {@code schema}, each union elsewhere on its first non-null branch. */
    static List<GenericRecord> everyBranch(Schema schema) {
        List<GenericRecord> out = new ArrayList<>();
        Set<String> explored = new HashSet<>();
        Deque<Map<String, Integer>> work = new ArrayDeque<>(List.of(Map.of()));
        while (!work.isEmpty()) {
            Map<String, Integer> choices = work.poll();
            Builder b = new Builder(choices);
            out.add((GenericRecord) b.value(schema, "", 0));
            b.unions.forEach((path, branches) -> {
                if (explored.add(path)) {
                    branches.forEach(branch -> {
                        Map<String, Integer> next = new LinkedHashMap<>(choices);
                        next.put(path, branch);
                        work.add(next);
                    });
                }
            });
        }
        return out;
    }

    /** Full names of the records inside a datum, in field order: the union branches it took. */
    static List<String> recordNames(Object datum) {
        List<String> names = new ArrayList<>();
        collect(datum, names);
        return names;
    }

    private static void collect(Object datum, List<String> names) {
        if (datum instanceof IndexedRecord r) {
            names.add(r.getSchema().getFullName());
            for (Schema.Field f : r.getSchema().getFields()) {
                collect(r.get(f.pos()), names);
            }
        } else if (datum instanceof Map<?, ?> m) {
            m.values().forEach(v -> collect(v, names));
        } else if (datum instanceof Collection<?> c) {
            c.forEach(v -> collect(v, names));
        }
    }

    private static final class Builder {
        private final Map<String, Integer> choices;
        /** union path → its non-null branch indexes, as met while building */
        private final Map<String, List<Integer>> unions = new LinkedHashMap<>();

        Builder(Map<String, Integer> choices) {
            this.choices = choices;
        }

        Object value(Schema s, String path, int depth) {
            return switch (s.getType()) {
                case RECORD -> {
                    GenericData.Record r = new GenericData.Record(s);
                    for (Schema.Field f : s.getFields()) {
                        r.put(f.pos(), value(f.schema(), path + "/" + f.name(), depth + 1));
                    }
                    yield r;
                }
                case UNION -> {
                    List<Integer> branches = new ArrayList<>();
                    for (int i = 0; i < s.getTypes().size(); i++) {
                        if (s.getTypes().get(i).getType() != Schema.Type.NULL) {
                            branches.add(i);
                        }
                    }
                    unions.putIfAbsent(path, branches);
                    yield value(s.getTypes().get(choices.getOrDefault(path, branches.get(0))), path, depth);
                }
                case STRING -> "sample-" + depth;
                case INT -> 3;
                case LONG -> 1_700_000_000_000L;
                case BOOLEAN -> true;
                case BYTES -> ByteBuffer.wrap(new byte[] {1, 2});
                case ENUM -> new GenericData.EnumSymbol(s, s.getEnumSymbols().get(0));
                case MAP -> Map.of("k", value(s.getValueType(), path + "/*", depth + 1));
                case ARRAY -> List.of(value(s.getElementType(), path + "/*", depth + 1));
                case DOUBLE -> 1.0;
                case FLOAT -> 1.0f;
                case NULL -> null;
                case FIXED -> new GenericData.Fixed(s, new byte[s.getFixedSize()]);
            };
        }
    }
}
