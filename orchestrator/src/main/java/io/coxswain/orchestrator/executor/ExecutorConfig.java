package io.coxswain.orchestrator.executor;

import io.coxswain.avro.Topics;
import io.coxswain.commands.signing.CommandSignatures;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the Kubernetes executor of one Coxswain node.
 *
 * @param groupId        consumer group of the executors of one installation: the group splits the
 *                       state topic's partitions, so each cluster has exactly one executor
 * @param observerId     names this executor in the observations it records
 * @param resync         how often every owned cluster is reconciled even if nothing was heard
 * @param workers        clusters reconciled at the same time
 * @param bootstrapOverride the address published as the clusters' bootstrap servers, {@code {cluster}}
 *                       and {@code {namespace}} replaced; null for the in-cluster bootstrap Service
 * @param signatures     the node's signature rules: its signer signs the observations written to the command log (none:
 *                       unsigned), and its verifier is what a replay of the log by the executor applies, as the nodes do
 * @param sessionTimeout how long an executor that dies without leaving keeps its clusters before the others take them over
 */
public record ExecutorConfig(String bootstrapServers, Topics topics, String groupId, String observerId,
                             String schemaRegistryUrl, Map<String, Object> clientOverrides, ModelSettings model,
                             Duration resync, int workers, String bootstrapOverride, CommandSignatures signatures,
                             Duration sessionTimeout) {

    public static ExecutorConfig defaults(String bootstrapServers, Topics topics, String observerId) {
        return new ExecutorConfig(bootstrapServers, topics, "coxswain-executor", observerId, null, Map.of(),
                ModelSettings.defaults(), Duration.ofMinutes(1), 2, null, CommandSignatures.none(), Duration.ofSeconds(15));
    }

    public ExecutorConfig withGroupId(String id) {
        return new ExecutorConfig(bootstrapServers, topics, id, observerId, schemaRegistryUrl, clientOverrides, model, resync, workers, bootstrapOverride, signatures, sessionTimeout);
    }

    public ExecutorConfig withSchemaRegistryUrl(String url) {
        return new ExecutorConfig(bootstrapServers, topics, groupId, observerId, url, clientOverrides, model, resync, workers, bootstrapOverride, signatures, sessionTimeout);
    }

    public ExecutorConfig withClientOverrides(Map<String, Object> overrides) {
        return new ExecutorConfig(bootstrapServers, topics, groupId, observerId, schemaRegistryUrl, Map.copyOf(overrides), model, resync, workers, bootstrapOverride, signatures, sessionTimeout);
    }

    public ExecutorConfig withModel(ModelSettings m) {
        return new ExecutorConfig(bootstrapServers, topics, groupId, observerId, schemaRegistryUrl, clientOverrides, m, resync, workers, bootstrapOverride, signatures, sessionTimeout);
    }

    public ExecutorConfig withResync(Duration d) {
        return new ExecutorConfig(bootstrapServers, topics, groupId, observerId, schemaRegistryUrl, clientOverrides, model, d, workers, bootstrapOverride, signatures, sessionTimeout);
    }

    public ExecutorConfig withSignatures(CommandSignatures s) {
        return new ExecutorConfig(bootstrapServers, topics, groupId, observerId, schemaRegistryUrl, clientOverrides, model, resync, workers, bootstrapOverride, s, sessionTimeout);
    }

    public ExecutorConfig withBootstrapOverride(String template) {
        return new ExecutorConfig(bootstrapServers, topics, groupId, observerId, schemaRegistryUrl, clientOverrides, model, resync, workers, template, signatures, sessionTimeout);
    }

    public ExecutorConfig withSessionTimeout(Duration d) {
        return new ExecutorConfig(bootstrapServers, topics, groupId, observerId, schemaRegistryUrl, clientOverrides, model, resync, workers, bootstrapOverride, signatures, d);
    }
}
