package io.coxswain.bench;

import io.coxswain.avro.Topics;
import io.coxswain.avro.registry.TopicSchemaRegistry;
import io.coxswain.orchestrator.topology.Codecs;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.coxswain.orchestrator.audit.LogLocation;
import io.coxswain.orchestrator.audit.ReplayOptions;
import io.coxswain.orchestrator.audit.ReplayResult;
import io.coxswain.orchestrator.audit.Replayer;

/**
 * Replay: the time to decode and fold the whole command topic with the replay engine that
 * {@code bin/coxswain replay} runs, beside a plain consumer reading the same topic (measured just
 * before, in the same run), and beside one that also decodes every record (what no replay can
 * avoid), in this JVM after a warm-up replay; then {@code bin/coxswain replay} as a process of its own,
 * JVM start-up and JIT included.
 */
final class ReplayBench {

    private static final Logger log = LoggerFactory.getLogger(ReplayBench.class);
    private static final Path LAUNCHER = Path.of("bin/coxswain");

    private ReplayBench() {
    }

    /**
     * What an auditor waits for: {@code bin/coxswain replay} as its own process, with the launcher's JVM
     * settings, from JVM start to the JSON written. Empty when the launcher is not there (bench/run
     * starts from the repository's root).
     */
    private static Optional<Long> cli(String bootstrap, Topics topics, long commands) {
        if (!Files.isExecutable(LAUNCHER)) {
            log.info("replay: {} not found from {}; the whole-process row is left out", LAUNCHER, Path.of("").toAbsolutePath());
            return Optional.empty();
        }
        try {
            Path out = Files.createTempFile("bench-replay", ".json");
            try {
                ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "replay", "--bootstrap-servers", bootstrap,
                        "--topic-prefix", topics.prefix(), "--out", out.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.environment().remove("COXSWAIN_JAVA_OPTS"); // the launcher's own settings, as a user gets them
                long start = System.nanoTime();
                Process p = pb.start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("bin/coxswain replay did not finish within 5 minutes");
                }
                long elapsed = System.nanoTime() - start;
                long folded = new ObjectMapper().readTree(out.toFile()).path("summary").path("commands").asLong(-1);
                if (p.exitValue() != 0 || folded != commands) {
                    throw new IllegalStateException("bin/coxswain replay exited " + p.exitValue() + " having folded " + folded
                            + " commands, not " + commands + "; run it by hand to see why");
                }
                return Optional.of(elapsed);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Result> run(String bootstrap, Topics topics, Topics warmUpTopics, long commands) {
        long rawNanos = KafkaProbe.rawConsume(bootstrap, topics.commands(), commands);
        long decodeNanos;
        try (TopicSchemaRegistry registry = new TopicSchemaRegistry(bootstrap, topics.schemas(), Map.of())) {
            decodeNanos = KafkaProbe.decodeConsume(bootstrap, topics.commands(), commands, Codecs.of(registry, topics).commands());
        }
        // as the fold stage does: the replay's own code (its engine, the fold threads) compiles on the
        // fold stage's warm-up log, a fifth of the size, and the measured replay finds it compiled; the
        // whole-process row below shows what a cold JVM costs
        try (Replayer warmUp = new Replayer(LogLocation.of(bootstrap, warmUpTopics))) {
            warmUp.replay(ReplayOptions.all());
        }
        try (Replayer replayer = new Replayer(LogLocation.of(bootstrap, topics))) {
            long start = System.nanoTime();
            ReplayResult result = replayer.replay(ReplayOptions.all());
            long elapsed = System.nanoTime() - start;
            if (result.states().isEmpty()) {
                throw new IllegalStateException("replay produced no state; the benchmark topic is empty");
            }
            String metric = "replay of " + commands + " commands (decode + fold)";
            List<Result> results = new ArrayList<>(List.of(new Result(metric, elapsed / 1e9, rawNanos / 1e9, "s", "raw consume", false, ">= 0.50"),
                    new Result(metric + " vs decode only", elapsed / 1e9, decodeNanos / 1e9, "s", "consume + Avro decode", false, "-")));
            cli(bootstrap, topics, commands).ifPresent(cliNanos -> results.add(new Result("bin/coxswain replay of " + commands
                    + " commands (whole process)", cliNanos / 1e9, rawNanos / 1e9, "s", "raw consume", false, "-")));
            return results;
        }
    }
}
