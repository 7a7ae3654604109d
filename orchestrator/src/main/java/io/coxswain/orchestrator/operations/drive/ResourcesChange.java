package io.coxswain.orchestrator.operations.drive;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a change of a role's sizing changes for one pod, for the record of its restart: the Kafka
 * container the pod runs against the one its StatefulSet's template asks for now, e.g.
 * {@code resources changed: memory 2Gi → 4Gi, heap 1g → 3g}. Whether the pod must roll is the
 * sizing annotation's call ({@link ClusterPods}); this only says what differs.
 */
final class ResourcesChange {

    static final String PREFIX = "resources changed";
    private static final String HEAP_OPTS = "KAFKA_HEAP_OPTS";
    private static final String MAX_HEAP = "-Xmx";

    private ResourcesChange() {
    }

    static String between(Container running, Container wanted) {
        List<String> changes = new ArrayList<>();
        add(changes, "cpu request", quantity(running, true, "cpu"), quantity(wanted, true, "cpu"));
        add(changes, "cpu limit", quantity(running, false, "cpu"), quantity(wanted, false, "cpu"));
        add(changes, "memory", quantity(running, false, "memory"), quantity(wanted, false, "memory"));
        add(changes, "heap", heap(running), heap(wanted));
        return changes.isEmpty() ? PREFIX : PREFIX + ": " + String.join(", ", changes);
    }

    private static void add(List<String> changes, String what, String before, String after) {
        if (!Objects.equals(before, after)) {
            changes.add(what + " " + (before == null ? "none" : before) + " → " + (after == null ? "none" : after));
        }
    }

    private static String quantity(Container c, boolean request, String name) {
        ResourceRequirements r = c == null ? null : c.getResources();
        Map<String, Quantity> values = r == null ? null : request ? r.getRequests() : r.getLimits();
        Quantity q = values == null ? null : values.get(name);
        return q == null ? null : q.toString();
    }

    /** The maximum heap of the container's JVM, e.g. {@code 3g} of {@code -Xms3g -Xmx3g}. */
    private static String heap(Container c) {
        String opts = c == null || c.getEnv() == null ? null : c.getEnv().stream().filter(e -> HEAP_OPTS.equals(e.getName()))
                .map(EnvVar::getValue).filter(Objects::nonNull).findFirst().orElse(null);
        if (opts == null) {
            return null;
        }
        for (String option : opts.split(" ")) {
            if (option.startsWith(MAX_HEAP)) {
                return option.substring(MAX_HEAP.length());
            }
        }
        return opts;
    }
}
