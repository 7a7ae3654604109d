package io.coxswain.orchestrator.operations.config;

import io.coxswain.orchestrator.operations.AdminCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.server.config.DynamicBrokerConfig;

/**
 * Which broker configuration keys Kafka changes without a restart, read from the broker's own
 * table ({@link DynamicBrokerConfig} of the Kafka version on the classpath) rather than from a
 * hand-kept list, so an upgrade of Kafka brings its new dynamic keys along.
 *
 * <p>A change applied live with {@code incrementalAlterConfigs} is stored in the cluster's
 * metadata and overrides {@code server.properties}; the caller still writes the new value to the
 * pods' configuration so that a broker created later starts with it too.
 */
public final class DynamicConfigs {

    /** How a key can be changed. */
    public enum Mode { CLUSTER_WIDE, PER_BROKER, RESTART }

    private static final Map<String, String> MODES = DynamicBrokerConfig.dynamicConfigUpdateModes();

    private DynamicConfigs() {
    }

    public static Mode modeOf(String key) {
        Properties one = new Properties();
        one.put(key, "");
        // listener-prefixed security keys (listener.name.external.ssl.keystore.location) and
        // other per-broker keys: Kafka answers for the exact key, prefixes included
        if (DynamicBrokerConfig.perBrokerConfigs(one).contains(key)) {
            return Mode.PER_BROKER;
        }
        String mode = MODES.get(key);
        if ("cluster-wide".equals(mode)) {
            return Mode.CLUSTER_WIDE;
        }
        if ("per-broker".equals(mode)) {
            return Mode.PER_BROKER;
        }
        // read-only or unknown to Kafka (a plugin's key): only a restart reads it
        return Mode.RESTART;
    }

    /** Every key Kafka can change without a restart. */
    public static Set<String> dynamicKeys() {
        Set<String> keys = new TreeSet<>(DynamicBrokerConfig.ALL_DYNAMIC_CONFIGS);
        MODES.forEach((k, v) -> {
            if (!"read-only".equals(v)) {
                keys.add(k);
            }
        });
        return keys;
    }

    /** Splits the difference between two broker configurations by {@link Mode}. */
    public static ConfigChange diff(Map<String, String> before, Map<String, String> after) {
        Map<String, Optional<String>> clusterWide = new TreeMap<>();
        Map<String, Optional<String>> perBroker = new TreeMap<>();
        Set<String> restart = new TreeSet<>();
        Set<String> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            String old = before.get(key);
            String now = after.get(key);
            if (old != null && old.equals(now)) {
                continue;
            }
            Optional<String> value = Optional.ofNullable(now);
            switch (modeOf(key)) {
                case CLUSTER_WIDE -> clusterWide.put(key, value);
                case PER_BROKER -> perBroker.put(key, value);
                case RESTART -> restart.add(key);
            }
        }
        return ConfigChange.of(clusterWide, perBroker, restart);
    }

    /**
     * Applies the live part of a change: cluster-wide keys once on the cluster default resource,
     * per-broker keys on each given broker. Keys that need a restart are left to the caller's roll.
     */
    public static void applyLive(Admin admin, ConfigChange change, Collection<Integer> brokers, Duration timeout) {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        if (!change.clusterWide().isEmpty()) {
            ops.put(new ConfigResource(ConfigResource.Type.BROKER, ""), ops(change.clusterWide()));
        }
        if (!change.perBroker().isEmpty()) {
            for (int broker : brokers) {
                ops.put(new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker)), ops(change.perBroker()));
            }
        }
        if (!ops.isEmpty()) {
            AdminCalls.await("incrementalAlterConfigs(" + change.summary() + ")", admin.incrementalAlterConfigs(ops).all(), timeout);
        }
    }

    private static List<AlterConfigOp> ops(Map<String, Optional<String>> values) {
        List<AlterConfigOp> ops = new ArrayList<>();
        values.forEach((k, v) -> ops.add(v.isPresent()
                ? new AlterConfigOp(new ConfigEntry(k, v.get()), AlterConfigOp.OpType.SET)
                : new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
        return ops;
    }
}
