package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.model.KafkaProperties;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.coxswain.orchestrator.operations.balance.ReassignmentExecutor;
import io.coxswain.orchestrator.operations.config.ConfigChange;
import io.coxswain.orchestrator.operations.config.DynamicConfigs;
import io.coxswain.orchestrator.operations.config.DynamicConfigs.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The broker configuration keys Kafka changes without a restart, applied live and level-triggered:
 * the state's values of those keys are compared with the cluster's dynamic configuration
 * (cluster-wide keys on the cluster default, per-broker keys on each registered broker) and the
 * difference is applied with {@code incrementalAlterConfigs}. These keys are left out of the pods'
 * configuration hash ({@link KafkaProperties#configHash}), so changing only them rolls nobody; the
 * ConfigMaps still carry them, so a pod created later starts with them too.
 *
 * <p>Only keys the state names are touched. Kafka writes cluster-level defaults of its own (with
 * ELR, {@code min.insync.replicas}, which it refuses to remove), and the rebalancing sets throttles:
 * so an override is removed only when this executor saw the key in the state before and the state
 * no longer names it. An executor started after such a removal does not know the key any more and
 * leaves its override in place (the ConfigMap no longer has it, so a restarted broker drops it).
 */
final class BrokerConfigSync {

    private static final Set<String> OPERATIONS_KEYS = Set.of(ReassignmentExecutor.LEADER_RATE, ReassignmentExecutor.FOLLOWER_RATE);
    static final String KIND = "KafkaBrokerConfig";

    private final OperationRecorder recorder;
    /** Per cluster: the dynamic keys the state named when this executor last looked. */
    private final Map<String, Set<String>> named = new ConcurrentHashMap<>();

    BrokerConfigSync(OperationRecorder recorder) {
        this.recorder = recorder;
    }

    void sync(ClusterState state, String cause, Admin admin, Duration timeout) {
        String cluster = state.getClusterId();
        Map<String, String> clusterWide = wanted(state, Mode.CLUSTER_WIDE);
        Map<String, String> perBroker = wanted(state, Mode.PER_BROKER);
        Set<String> known = new TreeSet<>(named.getOrDefault(cluster, Set.of()));
        known.addAll(clusterWide.keySet());
        known.addAll(perBroker.keySet());
        named.put(cluster, known); // until the removals below have been applied

        ConfigResource defaults = new ConfigResource(ConfigResource.Type.BROKER, "");
        ConfigChange change = DynamicConfigs.diff(live(admin, defaults, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, known, clusterWide, timeout),
                clusterWide);
        apply(cluster, cause, admin, timeout, change, List.of(), "cluster default");
        // only brokers that answer: a fenced or restarting one gets the values at a later pass (or from its ConfigMap)
        for (Node broker : AdminCalls.await("describeCluster", admin.describeCluster().nodes(), timeout)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, broker.idString());
            change = DynamicConfigs.diff(live(admin, resource, ConfigSource.DYNAMIC_BROKER_CONFIG, known, perBroker, timeout), perBroker);
            apply(cluster, cause, admin, timeout, change, List.of(broker.id()), "broker " + broker.id());
        }
        Set<String> now = new TreeSet<>(clusterWide.keySet());
        now.addAll(perBroker.keySet());
        named.put(cluster, now);
    }

    private void apply(String cluster, String cause, Admin admin, Duration timeout, ConfigChange change, List<Integer> brokers, String where) {
        if (change.isEmpty()) {
            return;
        }
        // recorded before it acts, as every action of the drivers
        recorder.configAction(cluster, where, "UpdateBrokerConfig: keys Kafka changes without a restart, applied live", cause, change.summary());
        DynamicConfigs.applyLive(admin, change, brokers, timeout);
    }

    /** The state's broker configuration restricted to keys of one mode (Coxswain's own keys never come from it). */
    private static Map<String, String> wanted(ClusterState state, Mode mode) {
        Map<String, String> out = new TreeMap<>();
        state.getSpec().getBrokerConfig().forEach((k, v) -> {
            if (!KafkaProperties.RESERVED.contains(k) && DynamicConfigs.modeOf(k) == mode) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The dynamic overrides of one resource, for the keys Coxswain manages of the mode {@code wanted}
     * holds. A sensitive value is never described back; it counts as the wanted one, since it cannot be compared.
     */
    private static Map<String, String> live(Admin admin, ConfigResource resource, ConfigSource source, Set<String> known,
                                            Map<String, String> wanted, Duration timeout) {
        Config config = AdminCalls.await("describeConfigs(" + resource + ")", admin.describeConfigs(List.of(resource)).all(), timeout).get(resource);
        Mode mode = resource.name().isEmpty() ? Mode.CLUSTER_WIDE : Mode.PER_BROKER;
        Map<String, String> out = new TreeMap<>();
        for (ConfigEntry e : config.entries()) {
            if (e.source() != source || !known.contains(e.name()) || OPERATIONS_KEYS.contains(e.name()) || DynamicConfigs.modeOf(e.name()) != mode) {
                continue;
            }
            out.put(e.name(), e.isSensitive() && wanted.containsKey(e.name()) ? wanted.get(e.name()) : e.value());
        }
        return out;
    }
}
