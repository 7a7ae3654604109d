package io.coxswain.node;

import io.coxswain.avro.Topics;
import picocli.CommandLine.Option;

/** Options shared by {@code dev} and {@code run}. */
public final class NodeOptions {

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Prefix of Coxswain's topics (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of the commands, events and state topics when created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--application-id", defaultValue = "coxswain-node", description = "Kafka Streams application id shared by all nodes of one installation.")
    String applicationId;

    @Option(names = "--schema-registry-url", description = "Use this Confluent-compatible registry instead of Coxswain's own schema topic.")
    String schemaRegistryUrl;
}
