package io.coxswain.avro.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The fields a writer schema has, at any depth, that a reader schema lacks: Avro's schema resolution skips them, so a
 * record a newer schema wrote loses them silently when an older reader decodes it. Likewise the named union branches
 * (a new command type) and enum symbols the reader lacks: resolution fails on them, or worse, reads a new record type
 * as the first branch of the reader's whose fields it can fill (a RestartMirror read as an UpdateBrokerConfig), and
 * maps a new symbol to the enum's default. Worked out once per writer schema
 * (whether there are any at all is what the codec asks of every record); only a writer that has some is looked into,
 * value by value, with {@link #setIn}.
 */
final class FieldsUnknownToReader {

    /** A field to look into: one the reader lacks, or one whose type leads to such fields. */
    private record Step(Schema.Field field, boolean unknown) {
    }

    private static final Equality EQUALITY = new Equality();

    private final Schema writer;
    /** Per writer record (full name): its steps; empty when nothing below it is unknown. */
    private final Map<String, List<Step>> steps = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    /** Writer named types (full names) that are a union branch the reader's union has no counterpart of. */
    private final Set<String> unknownBranches = new HashSet<>();
    /** Per writer enum (full name): its symbols the reader's enum lacks. */
    private final Map<String, Set<String>> unknownSymbols = new HashMap<>();
    private final boolean none;

    private FieldsUnknownToReader(Schema writer, Schema reader) {
        this.writer = writer;
        this.none = !leads(writer, reader);
    }

    static FieldsUnknownToReader between(Schema writer, Schema reader) {
        return new FieldsUnknownToReader(writer, reader);
    }

    /** The writer has no field the reader lacks: every record it wrote decodes whole. */
    boolean none() {
        return none;
    }

    /**
     * Adds to {@code fields} the paths ({@code payload.approvalPolicy}, {@code payload.rules[0].x},
     * {@code payload.labels.team.x}) of the fields the reader lacks that {@code datum}, decoded with the writer schema,
     * holds with a value other than their default (the declared one, else null or empty), and to {@code values} the
     * branches and symbols the reader lacks that it holds. Map keys are visited in order, so the same record gives the
     * same lists.
     */
    void setIn(GenericRecord datum, List<String> fields, List<DroppedFields.Unknown> values) {
        if (!none) {
            walk(writer, datum, "", fields, values);
        }
    }

    private void walk(Schema w, Object value, String path, List<String> out, List<DroppedFields.Unknown> values) {
        switch (w.getType()) {
            case RECORD -> {
                GenericRecord record = (GenericRecord) value;
                for (Step step : steps.getOrDefault(w.getFullName(), List.of())) {
                    Object v = record.get(step.field().pos());
                    String at = path.isEmpty() ? step.field().name() : path + "." + step.field().name();
                    if (!step.unknown()) {
                        walk(step.field().schema(), v, at, out, values);
                    } else if (!isDefault(v, step.field())) {
                        out.add(at);
                    }
                }
            }
            case UNION -> {
                Schema branch = w.getTypes().get(GenericData.get().resolveUnion(w, value));
                if (unknownBranches.contains(branch.getFullName())) {
                    values.add(new DroppedFields.Unknown(path, branch.getName(), true));
                } else {
                    walk(branch, value, path, out, values);
                }
            }
            case ENUM -> {
                if (unknownSymbols.getOrDefault(w.getFullName(), Set.of()).contains(value.toString())) {
                    values.add(new DroppedFields.Unknown(path, value.toString(), false));
                }
            }
            case ARRAY -> {
                int i = 0;
                for (Object element : (Collection<?>) value) {
                    walk(w.getElementType(), element, path + "[" + i++ + "]", out, values);
                }
            }
            case MAP -> {
                Map<String, Object> byKey = new TreeMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> byKey.put(k.toString(), v));
                byKey.forEach((k, v) -> walk(w.getValueType(), v, path + "." + k, out, values));
            }
            default -> {
                // a value of a type without fields: nothing below it
            }
        }
    }

    /**
     * Whether values of writer type {@code w}, read as {@code r}, can hold a field, branch or symbol {@code r} lacks;
     * fills {@link #steps}, {@link #unknownBranches} and {@link #unknownSymbols}.
     */
    private boolean leads(Schema w, Schema r) {
        return switch (w.getType()) {
            case RECORD -> leadsInRecord(w, counterpart(w, r));
            case UNION -> {
                boolean any = false;
                for (Schema branch : w.getTypes()) {
                    Schema known = counterpart(branch, r);
                    if (known == null && r != null && isNamed(branch)) {
                        unknownBranches.add(branch.getFullName());
                        any = true;
                    } else {
                        any |= leads(branch, known); // every branch, so that each one's steps are filled
                    }
                }
                yield any;
            }
            case ENUM -> {
                Schema re = counterpart(w, r);
                Set<String> lacking = new HashSet<>(w.getEnumSymbols());
                if (re != null) {
                    lacking.removeAll(re.getEnumSymbols());
                }
                if (re != null && !lacking.isEmpty()) {
                    unknownSymbols.put(w.getFullName(), lacking);
                }
                yield re != null && !lacking.isEmpty();
            }
            case ARRAY -> {
                Schema ra = counterpart(w, r);
                yield ra != null && leads(w.getElementType(), ra.getElementType());
            }
            case MAP -> {
                Schema rm = counterpart(w, r);
                yield rm != null && leads(w.getValueType(), rm.getValueType());
            }
            default -> false;
        };
    }

    private boolean leadsInRecord(Schema w, Schema r) {
        if (r == null) {
            return false; // no such record on the reader's side: resolution fails on it before any field is dropped
        }
        String name = w.getFullName();
        if (inProgress.contains(name)) {
            return true; // a recursive type: looked into as far as its own steps say
        }
        List<Step> found = steps.get(name);
        if (found == null) {
            inProgress.add(name);
            found = new ArrayList<>();
            for (Schema.Field f : w.getFields()) {
                Schema.Field known = readerField(r, f.name());
                if (known == null) {
                    found.add(new Step(f, true));
                } else if (leads(f.schema(), known.schema())) {
                    found.add(new Step(f, false));
                }
            }
            inProgress.remove(name);
            steps.put(name, List.copyOf(found));
        }
        return !found.isEmpty();
    }

    /** The reader's field that reads writer field {@code name}: by its name or one of its aliases, as Avro resolves them. */
    private static Schema.Field readerField(Schema r, String name) {
        Schema.Field byName = r.getField(name);
        if (byName != null) {
            return byName;
        }
        return r.getFields().stream().filter(f -> f.aliases().contains(name)).findFirst().orElse(null);
    }

    /** The reader type that reads writer type {@code w}: {@code r} itself, or its union's branch of that type (and name). */
    private static Schema counterpart(Schema w, Schema r) {
        if (r == null) {
            return null;
        }
        if (r.getType() != Schema.Type.UNION) {
            return r.getType() == w.getType() ? r : null;
        }
        for (Schema branch : r.getTypes()) {
            if (branch.getType() == w.getType() && (w.getType() != Schema.Type.RECORD || sameName(w, branch))) {
                return branch;
            }
        }
        return null;
    }

    private static boolean isNamed(Schema s) {
        return s.getType() == Schema.Type.RECORD || s.getType() == Schema.Type.ENUM || s.getType() == Schema.Type.FIXED;
    }

    private static boolean sameName(Schema w, Schema r) {
        return r.getFullName().equals(w.getFullName()) || r.getAliases().contains(w.getFullName()) || r.getName().equals(w.getName());
    }

    private static boolean isDefault(Object value, Schema.Field field) {
        if (field.hasDefaultValue()) {
            return EQUALITY.same(value, GenericData.get().getDefaultValue(field), field.schema());
        }
        return value == null
                || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty()
                || value instanceof CharSequence s && s.length() == 0
                || value instanceof ByteBuffer b && !b.hasRemaining();
    }

    /** Avro's own value equality, which (unlike its public ordering) also compares maps. */
    private static final class Equality extends GenericData {
        boolean same(Object a, Object b, Schema schema) {
            return compare(a, b, schema, true) == 0;
        }
    }
}
