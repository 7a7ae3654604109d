package io.coxswain.node;

import io.coxswain.avro.Topics;
import io.coxswain.commands.signing.CommandKeys;
import io.coxswain.commands.signing.SignatureVerifier;
import io.coxswain.orchestrator.audit.Difference;
import io.coxswain.orchestrator.audit.LogLocation;
import io.coxswain.orchestrator.audit.ReplayOptions;
import io.coxswain.orchestrator.audit.ReplayResult;
import io.coxswain.orchestrator.audit.Replayer;
import io.coxswain.orchestrator.audit.StateJson;
import io.coxswain.orchestrator.audit.Verifier;
import io.coxswain.orchestrator.audit.VerifyReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coxswain replay}: folds the command topic again, read-only, and prints what it finds; with
 * {@code --verify}, proves (or disproves) that the live state topic is exactly that fold. Runs against
 * production or against any copy of the topics; needs no Coxswain node.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay the command log (read-only: no consumer group, no writes) and print the clusters' states as JSON.",
                "Exit codes: 0 done (and identical with --verify), 1 --verify found differences, 2 bad arguments, 3 the log could not be read."})
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "The Kafka holding the topics (production or a copy), HOST:PORT[,...].")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Prefix of Coxswain's topics (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--cluster", description = "Only this cluster (only records keyed by it are decoded).")
    String cluster;

    @Option(names = "--to", description = "State as of this instant (ISO-8601, e.g. 2026-11-20T10:00:00Z), by the records' log timestamps.")
    String to;

    @Option(names = "--to-offset", description = "Stop each partition after this offset (inclusive).")
    Long toOffset;

    @Option(names = "--verify", description = "Compare the replayed states byte for byte with the live state topic; exit 1 on any difference.")
    boolean verify;

    @Option(names = "--out", description = "Write the JSON (summary, states, verification) to this file instead of standard output.")
    Path out;

    @Option(names = "--schema-registry-url", description = "Read schemas from this Confluent-compatible registry instead of the <prefix>schemas topic.")
    String schemaRegistryUrl;

    @Option(names = "--client-config", description = "Properties file of extra Kafka client settings (security.protocol, ssl.*, sasl.*).")
    Path clientConfig;

    @Option(names = "--command-keys", paramLabel = "FILE",
            description = "The nodes' --command-keys file (public keys suffice for ed25519): signed commands are verified against it as the nodes did.")
    Path commandKeys;

    @Option(names = "--require-signatures", description = "Reject unsigned commands, as nodes started with --require-signatures did.")
    boolean requireSignatures;

    @Override
    public Integer call() {
        PrintStream human = out == null ? System.err : System.out; // keep stdout pure JSON when the JSON goes there
        ReplayOptions options;
        LogLocation where;
        SignatureVerifier signatures;
        try {
            if (verify && (to != null || toOffset != null)) {
                throw new IllegalArgumentException("--verify compares with the live state, which is the end of the log: drop --to/--to-offset");
            }
            options = new ReplayOptions(cluster, to == null ? null : parseInstant(to), toOffset);
            where = new LogLocation(bootstrapServers, new Topics(topicPrefix), clientSettings(), schemaRegistryUrl);
            // the same rules as the nodes', or signed and unsigned commands are decided differently (a warning says so)
            signatures = new SignatureVerifier(commandKeys == null ? CommandKeys.none() : CommandKeys.load(commandKeys), requireSignatures);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("coxswain replay: " + e.getMessage());
            return 2;
        }
        try (Replayer replayer = new Replayer(where, signatures)) {
            long started = System.nanoTime();
            ReplayResult result = replayer.replay(options);
            human.printf("Replayed %s from %s in %d ms: %s%n", where.topics().commands(), bootstrapServers,
                    (System.nanoTime() - started) / 1_000_000, result.summary().oneLine());
            result.summary().warnings().forEach(w -> human.println("WARNING: " + w));
            ObjectNode json = result.toJson();
            int exit = 0;
            if (verify) {
                VerifyReport report = Verifier.compare(replayer, result, cluster);
                json.set("verify", report.toJson());
                report.differences().forEach(d -> human.println("DIFFERENCE " + line(d)));
                report.notes().stream().filter(n -> !result.summary().warnings().contains(n)).forEach(n -> human.println("NOTE: " + n));
                human.println(report.identical()
                        ? "IDENTICAL: the live state topic equals the replay of the command log for all " + report.clusters() + " clusters"
                        : "NOT IDENTICAL: " + report.differences().size() + " differences in " + report.clusters() + " clusters");
                exit = report.identical() ? 0 : 1;
            }
            String text = StateJson.write(json, true) + System.lineSeparator();
            if (out != null) {
                Files.writeString(out, text, StandardCharsets.UTF_8);
                human.println("States written to " + out.toAbsolutePath());
            } else {
                System.out.print(text);
            }
            System.out.flush();
            return exit;
        } catch (IOException | RuntimeException e) {
            System.err.println("coxswain replay: could not replay " + where.topics().commands() + " on " + bootstrapServers + ": " + e.getMessage());
            return 3;
        }
    }

    private static String line(Difference d) {
        return "cluster=" + d.clusterId() + " replayedVersion=" + d.replayedVersion() + " liveVersion=" + d.liveVersion() + " path=" + d.path()
                + " replayed=" + d.replayed() + " live=" + d.live() + " (" + d.explanation() + ")";
    }

    static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("--to must be an ISO-8601 instant such as 2026-11-20T10:00:00Z, got '" + text + "'");
            }
        }
    }

    private Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>();
        if (clientConfig != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(clientConfig)) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --client-config " + clientConfig + ": " + e.getMessage());
            }
            p.forEach((k, v) -> settings.put(k.toString(), v));
        }
        return settings;
    }
}
