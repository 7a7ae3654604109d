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
 * avoid), in this JVM after a warm-up replay. Then the measure: {@code bin/coxswain replay} as a
 * process of its own, JVM start-up and JIT included, beside a raw consume that is a process of its own
 * too ({@link RawConsumeProcess}); the warm rows say what is left once both are paid for. The launcher
 * maps a class-data archive that the first replay after a build records: that first replay has a row of
 * its own, and the anchor is measured with an archive of its own too, beside the one without.
 */
final class ReplayBench {

    private static final Logger log = LoggerFactory.getLogger(ReplayBench.class);
    private static final Path LAUNCHER = Path.of("bin/coxswain");

    private ReplayBench() {
    }

    /**
     * What an auditor waits for: {@code bin/coxswain replay} as its own process, with the launcher's JVM
     * settings, from JVM start to the JSON written.
     */
    private static long cli(String bootstrap, Topics topics, long commands) {
        try {
            Path out = Files.createTempFile("bench-replay", ".json");
            try {
                ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "replay", "--bootstrap-servers", bootstrap,
                        "--topic-prefix", topics.prefix(), "--out", out.toString());
                pb.environment().remove("COXSWAIN_JAVA_OPTS"); // the launcher's own settings, as a user gets them
                long elapsed = timed(pb, "bin/coxswain replay");
                long folded = new ObjectMapper().readTree(out.toFile()).path("summary").path("commands").asLong(-1);
                if (folded != commands) {
                    throw new IllegalStateException("bin/coxswain replay folded " + folded + " commands, not " + commands
                            + "; run it by hand to see why");
                }
                return elapsed;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The anchor of the whole-process row: {@link RawConsumeProcess} in a JVM started as the launcher starts
     * a replay (the same {@code java} from the PATH, the same heap limit and collector, see bin/coxswain),
     * from JVM start to exit.
     */
    private static long rawConsumeProcess(String bootstrap, Topics topics, long commands, String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-XX:+UseParallelGC"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RawConsumeProcess.class.getName(), bootstrap,
                topics.commands(), Long.toString(commands)));
        return timed(new ProcessBuilder(command), "the raw consume process");
    }

    /** Runs the process to its end, its output discarded; the elapsed nanoseconds from start to exit. */
    private static long timed(ProcessBuilder pb, String what) {
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within 5 minutes");
            }
            long elapsed = System.nanoTime() - start;
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " exited " + p.exitValue() + "; run it by hand to see why");
            }
            return elapsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Result> run(String bootstrap, Topics topics, Topics warmUpTopics, long commands) throws IOException {
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
            String metric = "replay of " + commands + " commands (decode + fold, warm)";
            List<Result> results = new ArrayList<>(List.of(new Result(metric, elapsed / 1e9, rawNanos / 1e9, "s", "raw consume, warm", false, "-"),
                    new Result(metric + " vs decode only", elapsed / 1e9, decodeNanos / 1e9, "s", "consume + Avro decode", false, "-")));
            // the measure: bin/coxswain replay, a process, beside a raw consume that is a process too;
            // two turns each, alternating, best of each, so that a slow spell of the machine falls on both.
            // First the launcher's replay that records its class-data archive (the first after a build, and
            // only it), and the same for the anchor: the last row compares with a raw consume mapping one too.
            if (Files.isExecutable(LAUNCHER)) {
                long firstNanos = cli(bootstrap, topics, commands);
                Path rawArchive = Files.createTempFile("bench-raw-consume", ".jsa");
                try {
                    Files.delete(rawArchive); // the JVM writes it at exit
                    long firstRawNanos = rawConsumeProcess(bootstrap, topics, commands, "-XX:ArchiveClassesAtExit=" + rawArchive, "-Xlog:disable");
                    long cliNanos = Long.MAX_VALUE;
                    long rawProcessNanos = Long.MAX_VALUE;
                    long rawArchivedNanos = Long.MAX_VALUE;
                    for (int turn = 0; turn < 2; turn++) {
                        rawProcessNanos = Math.min(rawProcessNanos, rawConsumeProcess(bootstrap, topics, commands));
                        rawArchivedNanos = Math.min(rawArchivedNanos, rawConsumeProcess(bootstrap, topics, commands,
                                "-XX:SharedArchiveFile=" + rawArchive, "-Xlog:disable"));
                        cliNanos = Math.min(cliNanos, cli(bootstrap, topics, commands));
                    }
                    String whole = "bin/coxswain replay of " + commands + " commands (whole process)";
                    results.add(new Result(whole, cliNanos / 1e9, rawProcessNanos / 1e9, "s", "raw consume process", false, ">= 0.50"));
                    results.add(new Result(whole + " vs warm", cliNanos / 1e9, rawNanos / 1e9, "s", "raw consume, warm", false, "-"));
                    results.add(new Result("bin/coxswain replay of " + commands + " commands, first after a build", firstNanos / 1e9,
                            firstRawNanos / 1e9, "s", "raw consume process, recording one", false, "-"));
                    results.add(new Result(whole + " vs archived anchor", cliNanos / 1e9, rawArchivedNanos / 1e9, "s",
                            "raw consume process, class archive", false, "-"));
                } finally {
                    Files.deleteIfExists(rawArchive);
                }
            } else {
                log.info("replay: {} not found from {}; the whole-process rows are left out", LAUNCHER, Path.of("").toAbsolutePath());
            }
            return results;
        }
    }
}
