package io.coxswain.orchestrator.node;

import io.coxswain.avro.Topics;
import io.coxswain.commands.nodes.FoldMembers;
import io.coxswain.commands.signing.CommandSignatures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of one Coxswain node.
 *
 * @param schemaRegistryUrl null to use Coxswain's own registry on the schemas topic
 * @param streamsOverrides  extra Kafka Streams / client settings (security, tuning)
 * @param signatures        how commands' signatures are verified, and the key this node signs its own writes with
 * @param sessionTimeout    how long a node that dies without leaving keeps its partitions of the command log
 */
public record NodeConfig(String bootstrapServers, Topics topics, String applicationId, Path stateDir,
                         int partitions, short replicationFactor, String schemaRegistryUrl,
                         Map<String, Object> streamsOverrides, CommandSignatures signatures, Duration sessionTimeout) {

    public static NodeConfig defaults(String bootstrapServers, Path stateDir) {
        return new NodeConfig(bootstrapServers, Topics.defaults(), FoldMembers.DEFAULT_GROUP, stateDir, 6, (short) 1, null, Map.of(), CommandSignatures.none(),
                Duration.ofSeconds(15));
    }

    public NodeConfig withSignatures(CommandSignatures s) {
        return new NodeConfig(bootstrapServers, topics, applicationId, stateDir, partitions, replicationFactor, schemaRegistryUrl, streamsOverrides, s, sessionTimeout);
    }

    public NodeConfig withTopics(Topics t) {
        return new NodeConfig(bootstrapServers, t, applicationId, stateDir, partitions, replicationFactor, schemaRegistryUrl, streamsOverrides, signatures, sessionTimeout);
    }

    public NodeConfig withApplicationId(String id) {
        return new NodeConfig(bootstrapServers, topics, id, stateDir, partitions, replicationFactor, schemaRegistryUrl, streamsOverrides, signatures, sessionTimeout);
    }

    public NodeConfig withStateDir(Path dir) {
        return new NodeConfig(bootstrapServers, topics, applicationId, dir, partitions, replicationFactor, schemaRegistryUrl, streamsOverrides, signatures, sessionTimeout);
    }

    public NodeConfig withPartitions(int p, short rf) {
        return new NodeConfig(bootstrapServers, topics, applicationId, stateDir, p, rf, schemaRegistryUrl, streamsOverrides, signatures, sessionTimeout);
    }

    public NodeConfig withSchemaRegistryUrl(String url) {
        return new NodeConfig(bootstrapServers, topics, applicationId, stateDir, partitions, replicationFactor, url, streamsOverrides, signatures, sessionTimeout);
    }

    public NodeConfig withStreamsOverrides(Map<String, Object> overrides) {
        return new NodeConfig(bootstrapServers, topics, applicationId, stateDir, partitions, replicationFactor, schemaRegistryUrl, Map.copyOf(overrides), signatures, sessionTimeout);
    }

    public NodeConfig withSessionTimeout(Duration d) {
        return new NodeConfig(bootstrapServers, topics, applicationId, stateDir, partitions, replicationFactor, schemaRegistryUrl, streamsOverrides, signatures, d);
    }
}
