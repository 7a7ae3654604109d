package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coxswain.avro.Topics;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code coxswain replay} end to end on a small log: JSON out, exit codes, --verify without a node. */
class ReplayCommandTest {

    private static String bootstrap;
    private static Topics topics;

    @BeforeAll
    static void writeLog() throws Exception {
        bootstrap = SharedKafka.bootstrapServers();
        topics = PayLog.write(bootstrap);
    }

    private static int run(String... args) {
        return new CommandLine(new CoxswainMain()).execute(args);
    }

    @Test
    void writesTheSummaryAndStatesAsJsonAndStopsAtATime() throws Exception {
        Path out = Files.createTempFile("replay", ".json");
        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(), "--out", out.toString())).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.at("/summary/commands").asLong()).isEqualTo(3);
        assertThat(json.at("/summary/accepted").asLong()).isEqualTo(2);
        assertThat(json.at("/summary/rejected").asLong()).isEqualTo(1);
        assertThat(json.at("/states/pay/spec/brokers").asInt()).isEqualTo(5);
        assertThat(json.at("/states/pay/version").asLong()).isEqualTo(2);

        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(), "--cluster", "pay",
                "--to", "2026-11-20T10:00:30Z", "--out", out.toString())).isZero();
        assertThat(new ObjectMapper().readTree(out.toFile()).at("/states/pay/spec/brokers").asInt()).isEqualTo(3);
        Files.deleteIfExists(out);
    }

    @Test
    void exitCodesSayWhatHappened() {
        // no node has written the state topic: every replayed cluster is missing there
        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(), "--verify", "--out",
                System.getProperty("java.io.tmpdir") + "/replay-verify-" + UUID.randomUUID() + ".json")).isEqualTo(1);
        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--verify", "--to-offset", "3")).isEqualTo(2);
        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--to", "yesterday")).isEqualTo(2);
        assertThat(run("replay", "--bootstrap-servers", bootstrap, "--topic-prefix", "no-such-prefix.")).isEqualTo(3);
    }
}
