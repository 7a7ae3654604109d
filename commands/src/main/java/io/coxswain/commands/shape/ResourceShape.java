package io.coxswain.commands.shape;

import io.coxswain.avro.command.RoleResources;
import io.coxswain.avro.command.UpdateResources;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shape checks of the sizing of a role's pods ({@code CreateCluster.resources}, {@code UpdateResources}):
 * each value a quantity Kubernetes (or the JVM, for the heap) takes, and the values fitting together.
 * The same rules check the sizing a role will have after an {@code UpdateResources}, which DECIDE
 * merges with the cluster's current one.
 */
public final class ResourceShape {

    /** The roles a sizing applies to, as {@code status.components} names them. */
    public static final List<String> ROLES = List.of("brokers", "controllers");
    /**
     * The largest share of the pod's memory the heap may take: Kafka reads and writes through the
     * page cache, and the JVM needs memory beside its heap (metaspace, threads, direct buffers).
     */
    public static final int MAX_HEAP_PERCENT = 75;
    /** In an UpdateResources, the value of a field that puts it back to the installation's default. */
    public static final String DEFAULT = "default";

    private static final Pattern CPU_MILLIS = Pattern.compile("([1-9][0-9]{0,6})m");
    private static final Pattern CPU_CORES = Pattern.compile("([0-9]{1,4})(?:\\.([0-9]{1,3}))?");
    /** At most 6 digits: 999999Ti still fits a long in bytes. */
    private static final Pattern MEMORY = Pattern.compile("([1-9][0-9]{0,5})(Mi|Gi|Ti)");
    private static final Pattern HEAP = Pattern.compile("([1-9][0-9]{0,6})([mMgG])");
    private static final long MI = 1L << 20;

    /**
     * One role's sizing; a null field is the installation's default (in a state or a CreateCluster)
     * or the current value (in an UpdateResources).
     */
    public record Sizing(String cpuRequest, String cpuLimit, String memory, String heap) {

        public static final Sizing NONE = new Sizing(null, null, null, null);

        public static Sizing of(RoleResources r) {
            return r == null ? NONE : new Sizing(r.getCpuRequest(), r.getCpuLimit(), r.getMemory(), r.getHeap());
        }

        public static Sizing of(UpdateResources u) {
            return new Sizing(u.getCpuRequest(), u.getCpuLimit(), u.getMemory(), u.getHeap());
        }

        /**
         * This sizing's values where it has them, {@code base}'s elsewhere; a field of this sizing that is
         * {@link #DEFAULT} is none (the installation's default) whatever {@code base} has.
         */
        public Sizing over(Sizing base) {
            return new Sizing(pick(cpuRequest, base.cpuRequest), pick(cpuLimit, base.cpuLimit), pick(memory, base.memory), pick(heap, base.heap));
        }

        /** Its {@link #DEFAULT} fields as none: the values an update sets, for the checks of their form and pairs. */
        Sizing withoutDefaults() {
            return over(NONE);
        }

        private static String pick(String value, String base) {
            return value == null ? base : DEFAULT.equals(value) ? null : value;
        }

        public boolean isEmpty() {
            return equals(NONE);
        }

        /** The same sizing however written: {@code 1000m} is {@code 1}, {@code 2048m} of heap is {@code 2g} (well-formed values assumed). */
        public boolean sameAs(Sizing other) {
            return same(cpuRequest, other.cpuRequest, ResourceShape::millicores) && same(cpuLimit, other.cpuLimit, ResourceShape::millicores)
                    && same(memory, other.memory, ResourceShape::memoryBytes) && same(heap, other.heap, ResourceShape::heapBytes);
        }

        private static boolean same(String a, String b, java.util.function.Function<String, OptionalLong> value) {
            return a == null || b == null ? a == b : value.apply(a).equals(value.apply(b));
        }
    }

    private ResourceShape() {
    }

    /** {@code CreateCluster.resources.<role>}: well formed, and complete where the rules need a pair. */
    static void checkCreate(RoleResources r, String prefix, List<Violation> v) {
        Sizing s = Sizing.of(r);
        List<Violation> values = new ArrayList<>();
        checkValues(s, prefix, values);
        v.addAll(values.isEmpty() ? checkCombination(s, prefix) : values);
    }

    /**
     * An installation's default sizing of a role: complete (a cpu request, a memory and a heap; a cpu
     * limit if wanted), each value well formed, the pairs consistent. It is what a cluster that does
     * not size the role gets, so nothing may be left to another default.
     *
     * @param prefix what the violations' fields start with, e.g. the option that gave the sizing
     */
    public static List<Violation> checkDefaults(Sizing s, String prefix) {
        List<Violation> v = new ArrayList<>();
        if (s.cpuRequest() == null) {
            v.add(new Violation(prefix + "cpuRequest", "is missing: a default sizing needs a cpu request, e.g. cpuRequest=500m"));
        }
        if (s.memory() == null || s.heap() == null) {
            v.add(new Violation(prefix + (s.memory() == null ? "memory" : "heap"), "is missing: a default sizing needs both memory and heap,"
                    + " e.g. memory=2Gi,heap=1g (the heap at most " + MAX_HEAP_PERCENT + "% of the memory)"));
        }
        checkValues(s, prefix, v);
        if (v.isEmpty()) {
            v.addAll(checkCombination(s, prefix));
        }
        return v;
    }

    /**
     * {@code UpdateResources}: the role, at least one value, each well formed or {@link #DEFAULT}, and the
     * pairs it gives consistent.
     */
    static void checkUpdate(UpdateResources u, List<Violation> v) {
        if (!ROLES.contains(u.getRole())) {
            v.add(new Violation("payload.role", "must be one of " + String.join(", ", ROLES) + ", got '" + u.getRole() + "'"));
        }
        Sizing s = Sizing.of(u);
        if (s.isEmpty()) {
            v.add(new Violation("payload", "set at least one of cpuRequest, cpuLimit, memory, heap (a field left out keeps its value)"));
            return;
        }
        Sizing given = s.withoutDefaults();
        List<Violation> values = new ArrayList<>();
        checkValues(given, "payload.", values);
        v.addAll(values);
        if (values.isEmpty()) {
            // only the pairs given here: the rest is checked by DECIDE against the cluster's current sizing
            cpuLimitFits(given, "payload.", v);
            heapFits(given, "payload.", v);
        }
    }

    /**
     * The rules between the values of the sizing a role will have (well-formed values assumed): a cpu
     * limit needs a request no larger; heap and memory go together, the heap at most
     * {@value #MAX_HEAP_PERCENT}% of the memory.
     *
     * @param prefix what the violations' fields start with, e.g. {@code payload.} or {@code payload.resources.brokers.}
     */
    public static List<Violation> checkCombination(Sizing s, String prefix) {
        List<Violation> v = new ArrayList<>();
        if (s.cpuLimit() != null && s.cpuRequest() == null) {
            v.add(new Violation(prefix + "cpuRequest", "is needed with cpuLimit " + s.cpuLimit()
                    + " (the installation's default request could be above it); set both"));
        }
        if (s.heap() != null && s.memory() == null) {
            v.add(new Violation(prefix + "memory", "is needed with heap " + s.heap() + ": the heap must leave room under the pod's memory"
                    + " (at most " + MAX_HEAP_PERCENT + "% of it); set both"));
        }
        if (s.memory() != null && s.heap() == null) {
            v.add(new Violation(prefix + "heap", "is needed with memory " + s.memory() + ": the installation's default heap may not leave"
                    + " room under it (at most " + MAX_HEAP_PERCENT + "% of the memory); set both"));
        }
        cpuLimitFits(s, prefix, v);
        heapFits(s, prefix, v);
        return v;
    }

    private static void checkValues(Sizing s, String prefix, List<Violation> v) {
        if (s.cpuRequest() != null && millicores(s.cpuRequest()).isEmpty()) {
            v.add(new Violation(prefix + "cpuRequest", cpuMessage(s.cpuRequest())));
        }
        if (s.cpuLimit() != null && millicores(s.cpuLimit()).isEmpty()) {
            v.add(new Violation(prefix + "cpuLimit", cpuMessage(s.cpuLimit())));
        }
        if (s.memory() != null && memoryBytes(s.memory()).isEmpty()) {
            v.add(new Violation(prefix + "memory", "must be a Kubernetes memory quantity such as 4Gi or 512Mi (Mi, Gi or Ti), got '"
                    + s.memory() + "'"));
        }
        if (s.heap() != null && heapBytes(s.heap()).isEmpty()) {
            v.add(new Violation(prefix + "heap", "must be a JVM heap size such as 2g or 2048m, got '" + s.heap() + "'"));
        }
    }

    private static void cpuLimitFits(Sizing s, String prefix, List<Violation> v) {
        if (s.cpuRequest() != null && s.cpuLimit() != null
                && millicores(s.cpuLimit()).getAsLong() < millicores(s.cpuRequest()).getAsLong()) {
            v.add(new Violation(prefix + "cpuLimit", "cpu limit " + s.cpuLimit() + " is below the cpu request " + s.cpuRequest()
                    + "; the limit must be at least the request"));
        }
    }

    private static void heapFits(Sizing s, String prefix, List<Violation> v) {
        // in MiB, both whole numbers of them: the products stay far inside a long
        if (s.memory() != null && s.heap() != null
                && heapBytes(s.heap()).getAsLong() / MI * 100 > memoryBytes(s.memory()).getAsLong() / MI * MAX_HEAP_PERCENT) {
            v.add(new Violation(prefix + "heap", "heap " + s.heap() + " is more than " + MAX_HEAP_PERCENT + "% of memory " + s.memory()
                    + " (at most " + memoryBytes(s.memory()).getAsLong() / MI * MAX_HEAP_PERCENT / 100 + "m): the rest is the JVM's"
                    + " own memory and the page cache Kafka reads through; lower the heap or raise the memory"));
        }
    }

    private static String cpuMessage(String value) {
        return "must be a Kubernetes CPU quantity such as 500m or 2 (cores, up to 3 decimals, or millicores with m), got '" + value + "'";
    }

    /** A CPU quantity in millicores: {@code 500m} → 500, {@code 2} → 2000, {@code 1.5} → 1500; empty if malformed or zero. */
    public static OptionalLong millicores(String cpu) {
        if (cpu == null) {
            return OptionalLong.empty();
        }
        Matcher m = CPU_MILLIS.matcher(cpu);
        if (m.matches()) {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        }
        m = CPU_CORES.matcher(cpu);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        String fraction = m.group(2) == null ? "" : m.group(2);
        long millis = Long.parseLong(m.group(1)) * 1000 + (fraction.isEmpty() ? 0 : Long.parseLong((fraction + "00").substring(0, 3)));
        return millis == 0 ? OptionalLong.empty() : OptionalLong.of(millis);
    }

    /** A memory quantity in bytes: {@code 4Gi}, {@code 512Mi}; empty if malformed. */
    public static OptionalLong memoryBytes(String memory) {
        Matcher m = memory == null ? null : MEMORY.matcher(memory);
        if (m == null || !m.matches()) {
            return OptionalLong.empty();
        }
        long n = Long.parseLong(m.group(1));
        return OptionalLong.of(switch (m.group(2)) {
            case "Mi" -> n * MI;
            case "Gi" -> n * MI * 1024;
            default -> n * MI * 1024 * 1024;
        });
    }

    /** A JVM heap size in bytes, as {@code -Xmx} takes it: {@code 2g}, {@code 2048m}; empty if malformed. */
    public static OptionalLong heapBytes(String heap) {
        Matcher m = heap == null ? null : HEAP.matcher(heap);
        if (m == null || !m.matches()) {
            return OptionalLong.empty();
        }
        long n = Long.parseLong(m.group(1));
        return OptionalLong.of(Character.toLowerCase(m.group(2).charAt(0)) == 'g' ? n * MI * 1024 : n * MI);
    }
}
