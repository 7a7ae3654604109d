package io.coxswain.node;

import io.coxswain.avro.Topics;
import io.coxswain.commands.nodes.FoldMembers;
import io.coxswain.commands.signing.CommandSignatures;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by {@code dev} and {@code run}. */
public final class NodeOptions {

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Prefix of Coxswain's topics (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of the commands, events and state topics when created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--application-id", defaultValue = FoldMembers.DEFAULT_GROUP, description = "Kafka Streams application id shared by all nodes of one installation.")
    String applicationId;

    @Option(names = "--schema-registry-url", description = "Use this Confluent-compatible registry instead of Coxswain's own schema topic.")
    String schemaRegistryUrl;

    @Option(names = "--session-timeout", defaultValue = "15s", converter = GatewayOptions.DurationConverter.class,
            description = "How long a node that stops without leaving (killed, its machine lost) keeps its share of the command log and of the"
                    + " clusters before the other nodes take them over; within the bootstrap Kafka's group.min.session.timeout.ms and"
                    + " group.max.session.timeout.ms (6s and 30m by default) (default: ${DEFAULT-VALUE}).")
    Duration sessionTimeout = Duration.ofSeconds(15);

    @Option(names = "--command-keys", paramLabel = "FILE",
            description = "Keys that commands may be signed with, one 'KEYID hmac-sha256|ed25519 BASE64KEY' per line. A signed command whose"
                    + " signature does not verify against them is rejected (SIGNATURE_INVALID).")
    Path commandKeys;

    @Option(names = "--signing-key", paramLabel = "KEYID",
            description = "Sign what this node writes to the command log (gateway commands, executor observations) with this key of --command-keys"
                    + " (an hmac-sha256 key, or an ed25519 key with --signing-key-file).")
    String signingKey;

    @Option(names = "--signing-key-file", paramLabel = "FILE",
            description = "The PKCS#8 Ed25519 private key (PEM or base64) of --signing-key, e.g. from: openssl genpkey -algorithm ed25519.")
    Path signingKeyFile;

    @Option(names = "--require-signatures",
            description = "Reject unsigned commands (SIGNATURE_INVALID). Needs --signing-key, so this node's own writes are signed.")
    boolean requireSignatures;

    private CommandSignatures signatures;

    /**
     * Read once (the node, its gateway and its executor share them). Throws IllegalArgumentException or
     * UncheckedIOException naming the option, the file and line, and the fix.
     */
    synchronized CommandSignatures signatures() {
        if (signatures == null) {
            signatures = CommandSignatures.load(commandKeys, requireSignatures, signingKey, signingKeyFile);
        }
        return signatures;
    }
}
