package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coxswain.avro.Topics;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/coxswain replay} as an auditor runs it, after {@code package}: the launcher's class-data
 * archive is recorded by the first replay, mapped by the next, and never changes what a replay prints
 * (stdout stays pure JSON, whatever the JVM has to say about the archive goes to stderr).
 */
class LauncherReplayIT {

    private static final Path LAUNCHER = Path.of("..", "bin", "coxswain").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String bootstrap;
    private static Topics topics;

    private record Run(int exit, String stdout, String stderr) {
    }

    @BeforeAll
    static void writeLog() throws Exception {
        bootstrap = SharedKafka.bootstrapServers();
        topics = PayLog.write(bootstrap);
    }

    private static Run replay(Path archiveDir, String prefix) throws IOException, InterruptedException {
        Path out = Files.createTempFile("launcher-replay", ".out");
        Path err = Files.createTempFile("launcher-replay", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "replay", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("COXSWAIN_JAVA_OPTS"); // the launcher's own options, archive included
            pb.environment().put("COXSWAIN_ARCHIVE_DIR", archiveDir.toString());
            Process p = pb.start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("bin/coxswain replay did not finish within 2 minutes; stderr: " + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static JsonNode replayedPay(Run run) throws IOException {
        assertThat(run.exit()).as("exit code; stderr: %s", run.stderr()).isZero();
        JsonNode json = JSON.readTree(run.stdout());
        assertThat(json.at("/summary/commands").asLong()).isEqualTo(3);
        assertThat(json.at("/states/pay/spec/brokers").asInt()).isEqualTo(5);
        return json;
    }

    @Test
    void theFirstReplayRecordsTheArchiveAndTheNextMapsItPrintingTheSameJson(@TempDir Path archiveDir) throws Exception {
        JsonNode first = replayedPay(replay(archiveDir, topics.prefix()));
        List<Path> recorded = files(archiveDir);
        assertThat(recorded).as("one archive, renamed into place").singleElement()
                .satisfies(a -> assertThat(a.getFileName().toString()).matches("replay-[0-9]+\\.jsa"));
        FileTime recordedAt = Files.getLastModifiedTime(recorded.get(0));

        Run second = replay(archiveDir, topics.prefix());
        assertThat(replayedPay(second)).isEqualTo(first);
        assertThat(second.stderr()).as("the archive maps without a word from the JVM").doesNotContainIgnoringCase("warning");
        assertThat(files(archiveDir)).isEqualTo(recorded);
        assertThat(Files.getLastModifiedTime(recorded.get(0))).as("mapped, not recorded again").isEqualTo(recordedAt);
    }

    @Test
    void aDamagedArchiveNeitherFailsTheReplayNorReachesItsJson(@TempDir Path archiveDir) throws Exception {
        JsonNode first = replayedPay(replay(archiveDir, topics.prefix()));
        Path archive = files(archiveDir).get(0);
        Files.writeString(archive, "not a class-data archive");

        assertThat(replayedPay(replay(archiveDir, topics.prefix()))).isEqualTo(first);
    }

    @Test
    void aReplayThatCouldNotReadTheLogKeepsNoArchive(@TempDir Path archiveDir) throws Exception {
        Run run = replay(archiveDir, "no-such-prefix.");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.stderr()).contains("topic no-such-prefix.commands does not exist");
        assertThat(files(archiveDir)).as("an archive of the classes a failed replay loaded would miss most of a replay's").isEmpty();
    }
}
