package io.coxswain.orchestrator.node;

import io.coxswain.avro.Topics;
import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of one Coxswain node.
 *
 * @param schemaRegistryUrl null to use Coxswain's own registry on the schemas topic
 * @param streamsOverrides  extra Kafka Streams / client settings (security, tuning)
 */
public record NodeConfig(String bootstrapServers, Topics topics, String applicationId, Path stateDir,
                         int partitions, short replicationFactor, String schemaRegistryUrl,
                         Map<String, Object> streamsOverrides) {

    public static NodeConfig defaults(String bootstrapServers, Path stateDir) {
        return new NodeConfig(bootstrapServers, Topics.defaults(), "coxswain-node", stateDir, 6, (short) 1, null, Map.of());
    }

    public NodeConfig withTopics(Topics t) {
        return new NodeConfig(bootstrapServers, t, applicationId, stateDir, partitions, replicationFactor, schemaRegistryUrl, streamsOverrides);
    }

    public NodeConfig withApplicationId(String id) {
        return new NodeConfig(bootstrapServers, topics, id, stateDir, partitions, replicationFactor, schemaRegistryUrl, streamsOverrides);
    }

    public NodeConfig withPartitions(int p, short rf) {
        return new NodeConfig(bootstrapServers, topics, applicationId, stateDir, p, rf, schemaRegistryUrl, streamsOverrides);
    }

    public NodeConfig withSchemaRegistryUrl(String url) {
        return new NodeConfig(bootstrapServers, topics, applicationId, stateDir, partitions, replicationFactor, url, streamsOverrides);
    }

    public NodeConfig withStreamsOverrides(Map<String, Object> overrides) {
        return new NodeConfig(bootstrapServers, topics, applicationId, stateDir, partitions, replicationFactor, schemaRegistryUrl, Map.copyOf(overrides));
    }
}
