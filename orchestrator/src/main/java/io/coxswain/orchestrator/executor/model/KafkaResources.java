package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.RoleResourcesSpec;
import io.coxswain.commands.shape.ResourceShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sizing of a role's Kafka container: the cluster's own ({@code spec.resources}, from CreateCluster
 * and UpdateResources) over the installation's ({@link ModelSettings}), value by value. A cluster
 * that sizes a role by the defaults gets exactly the defaults' objects, as before per-cluster sizing.
 */
final class KafkaResources {

    private KafkaResources() {
    }

    static ModelSettings.Resources of(ClusterSpec spec, KafkaRole role, ModelSettings settings) {
        ModelSettings.Resources defaults = settings.resources(role);
        RoleResourcesSpec own = own(spec, role);
        if (own == null) {
            return defaults;
        }
        Map<String, String> requests = new TreeMap<>(defaults.requests());
        Map<String, String> limits = new TreeMap<>(defaults.limits());
        if (own.getCpuRequest() != null) {
            requests.put("cpu", canonicalCpu(own.getCpuRequest()));
        }
        if (own.getCpuLimit() != null) {
            limits.put("cpu", canonicalCpu(own.getCpuLimit()));
        }
        if (own.getMemory() != null) {
            // request = limit: a Kafka pod is never the one squeezed when its node runs short of memory
            requests.put("memory", canonicalMemory(own.getMemory()));
            limits.put("memory", canonicalMemory(own.getMemory()));
        }
        return new ModelSettings.Resources(requests, limits, own.getHeap() == null ? defaults.heap() : heapOptions(own.getHeap()));
    }

    /**
     * A CPU quantity as the API server writes it back ({@code 1.5} → {@code 1500m}, {@code 1000m} → {@code 1}):
     * the StatefulSet read back must equal the one built, or every pass would see an edit to repair.
     */
    static String canonicalCpu(String cpu) {
        long millis = ResourceShape.millicores(cpu).orElseThrow();
        return millis % 1000 == 0 ? String.valueOf(millis / 1000) : millis + "m";
    }

    /** A memory quantity as the API server writes it back: the largest binary suffix that divides it ({@code 2048Mi} → {@code 2Gi}). */
    static String canonicalMemory(String memory) {
        long value = ResourceShape.memoryBytes(memory).orElseThrow();
        String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        int i = 0;
        while (i < suffixes.length - 1 && value % 1024 == 0) {
            value /= 1024;
            i++;
        }
        return value + suffixes[i];
    }

    /** {@code KAFKA_HEAP_OPTS} for a heap size: a fixed heap, so the JVM never grows into the memory the page cache needs. */
    static String heapOptions(String heap) {
        return "-Xms" + heap + " -Xmx" + heap;
    }

    /**
     * The value of {@link ClusterNames#RESOURCES_ANNOTATION} on the role's pod template, e.g.
     * {@code cpu=1,cpu-limit=2,memory=8Gi,heap=6g}; null when the role runs on the defaults. A pod
     * whose annotation differs was created before the last change of the role's sizing: it is rolled.
     */
    static String annotation(ClusterSpec spec, KafkaRole role) {
        RoleResourcesSpec own = own(spec, role);
        if (own == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        add(parts, "cpu", own.getCpuRequest());
        add(parts, "cpu-limit", own.getCpuLimit());
        add(parts, "memory", own.getMemory());
        add(parts, "heap", own.getHeap());
        return String.join(",", parts);
    }

    private static RoleResourcesSpec own(ClusterSpec spec, KafkaRole role) {
        if (spec.getResources() == null) {
            return null;
        }
        return role == KafkaRole.CONTROLLER ? spec.getResources().getControllers() : spec.getResources().getBrokers();
    }

    private static void add(List<String> parts, String key, String value) {
        if (value != null) {
            parts.add(key + "=" + value);
        }
    }
}
