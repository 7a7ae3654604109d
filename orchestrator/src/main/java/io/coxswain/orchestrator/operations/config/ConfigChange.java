package io.coxswain.orchestrator.operations.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A broker configuration change split by how Kafka can take it. Values are {@code Optional.empty()}
 * for a key that is removed (it falls back to its default).
 *
 * @param clusterWide keys Kafka applies to every broker at once without a restart
 * @param perBroker keys Kafka applies without a restart but only broker by broker
 * @param needsRestart keys only read at start-up: they need a rolling restart
 */
public record ConfigChange(SortedMap<String, Optional<String>> clusterWide, SortedMap<String, Optional<String>> perBroker,
        SortedSet<String> needsRestart) {

    public ConfigChange {
        clusterWide = new TreeMap<>(clusterWide);
        perBroker = new TreeMap<>(perBroker);
        needsRestart = new TreeSet<>(needsRestart);
    }

    public static ConfigChange of(Map<String, Optional<String>> clusterWide, Map<String, Optional<String>> perBroker, Set<String> needsRestart) {
        return new ConfigChange(new TreeMap<>(clusterWide), new TreeMap<>(perBroker), new TreeSet<>(needsRestart));
    }

    public boolean isEmpty() {
        return clusterWide.isEmpty() && perBroker.isEmpty() && needsRestart.isEmpty();
    }

    public boolean needsRoll() {
        return !needsRestart.isEmpty();
    }

    public boolean hasDynamicPart() {
        return !clusterWide.isEmpty() || !perBroker.isEmpty();
    }

    /** For the operation's history: which keys go live at once and which wait for a roll. */
    public String summary() {
        if (isEmpty()) {
            return "no broker configuration change";
        }
        StringBuilder b = new StringBuilder();
        if (!clusterWide.isEmpty()) {
            b.append("applied live cluster-wide: ").append(clusterWide.keySet());
        }
        if (!perBroker.isEmpty()) {
            b.append(b.length() > 0 ? "; " : "").append("applied live per broker: ").append(perBroker.keySet());
        }
        if (!needsRestart.isEmpty()) {
            b.append(b.length() > 0 ? "; " : "").append("needs a rolling restart: ").append(needsRestart);
        }
        return b.toString();
    }
}
