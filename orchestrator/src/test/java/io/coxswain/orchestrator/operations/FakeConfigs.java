package io.coxswain.orchestrator.operations;

import static io.coxswain.orchestrator.operations.FakeAdmin.done;
import static io.coxswain.orchestrator.operations.FakeAdmin.failed;
import static io.coxswain.orchestrator.operations.FakeAdmin.result;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.AlterConfigsResult;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The dynamic configuration of a {@link FakeKafka}: topics', brokers' and the cluster default's, as describeConfigs and
 * incrementalAlterConfigs see and change it ({@link FakeAdmin} routes those two calls here), with the values it refuses.
 */
final class FakeConfigs {

    private final Map<ConfigResource, Map<String, String>> configs = new HashMap<>();
    /** "key=value" (value null: the key's removal) → the error incrementalAlterConfigs fails with. */
    private final Map<String, Throwable> refusedValues = new HashMap<>();
    private int alterConfigCalls;

    void set(ConfigResource resource, String key, String value) {
        configs.computeIfAbsent(resource, r -> new TreeMap<>()).put(key, value);
    }

    void fail(String key, String value, Throwable error) {
        refusedValues.put(key + "=" + value, error);
    }

    void stopRefusing() {
        refusedValues.clear();
    }

    /** A deleted topic's configuration goes with it. */
    void remove(ConfigResource resource) {
        configs.remove(resource);
    }

    Map<String, String> of(ConfigResource resource) {
        return configs.getOrDefault(resource, Map.of());
    }

    int alterConfigCalls() {
        return alterConfigCalls;
    }

    public DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources, DescribeConfigsOptions options) {
        Map<ConfigResource, KafkaFuture<Config>> futures = new LinkedHashMap<>();
        for (ConfigResource r : resources) {
            Map<String, String> values = new TreeMap<>(of(r));
            if (r.type() == ConfigResource.Type.TOPIC) {
                values.putIfAbsent("min.insync.replicas", "1");
            }
            ConfigEntry.ConfigSource source = r.type() == ConfigResource.Type.TOPIC ? ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                    : r.name().isEmpty() ? ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG : ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG;
            futures.put(r, done(new Config(values.entrySet().stream().map(e -> new ConfigEntry(e.getKey(), e.getValue(), source, false, false,
                    List.of(), ConfigEntry.ConfigType.UNKNOWN, null)).toList())));
        }
        return result(DescribeConfigsResult.class, futures);
    }

    public AlterConfigsResult incrementalAlterConfigs(Map<ConfigResource, Collection<AlterConfigOp>> changes, AlterConfigsOptions options) {
        Map<ConfigResource, KafkaFuture<Void>> futures = new LinkedHashMap<>();
        alterConfigCalls++;
        changes.forEach((resource, ops) -> {
            Optional<Throwable> refusal = ops.stream().map(op -> refusedValues.get(op.configEntry().name() + "=" + op.configEntry().value()))
                    .filter(Objects::nonNull).findFirst();
            if (refusal.isPresent()) {
                futures.put(resource, failed(refusal.get()));
                return;
            }
            Map<String, String> values = configs.computeIfAbsent(resource, r -> new TreeMap<>());
            for (AlterConfigOp op : ops) {
                switch (op.opType()) {
                    case SET -> values.put(op.configEntry().name(), op.configEntry().value());
                    case DELETE -> values.remove(op.configEntry().name());
                    default -> throw new UnsupportedOperationException("FakeKafka supports SET and DELETE, not " + op.opType());
                }
            }
            futures.put(resource, done(null));
        });
        return result(AlterConfigsResult.class, futures);
    }
}
