package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.Topics;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry endpoint driven by a non-Java client: Node.js with kafkajs and
 * {@code @kafkajs/confluent-schema-registry}, installed by npm into target/, fetches the command
 * schema from the gateway and produces a command that the node accepts. Skipped only when node or
 * npm is not installed.
 */
class NodeProducerTest {

    static GatewayHarness h;
    static Topics topics;

    @BeforeAll
    static void start() {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed");
        topics = GatewayHarness.freshTopics();
        h = GatewayHarness.start(topics);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aKafkajsProducerUsingTheRegistryEndpointWritesACommandTheNodeAccepts() throws Exception {
        Path dir = Paths.get("target", "node-registry-test").toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "produce.js")) {
            try (InputStream in = NodeProducerTest.class.getResourceAsStream("/node/" + file)) {
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@kafkajs/confluent-schema-registry"))) {
            Result install = run(dir, Duration.ofMinutes(4), "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
            assertThat(install.code()).as("npm install failed:\n" + install.output()).isZero();
        }
        String cluster = "from-node";
        String commandId = "node-" + UUID.randomUUID();
        Result produced = run(dir, Duration.ofMinutes(2), "node", "produce.js", SharedKafka.bootstrapServers(), h.url() + "/registry",
                topics.commands(), Topics.valueSubject(topics.commands()), cluster, commandId);
        assertThat(produced.code()).as(produced.output()).isZero();
        assertThat(produced.output()).contains("produced command " + commandId);

        JsonNode status = Poll.until(Duration.ofSeconds(30), "the node's decision on " + commandId, () -> {
            GatewayHarness.Reply r = h.get("/v1/commands/" + commandId);
            return r.status() == 200 && !r.json().get("status").asText().equals("pending") ? r.json() : null;
        });
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("accepted");
        assertThat(status.get("issuer").asText()).isEqualTo("node-billing-svc");
        // the decision and the state are read from two topics: the state may come a poll later, so asked for at the decided version
        JsonNode state = h.get("/v1/clusters/" + cluster + "?minVersion=" + status.get("version").asLong()).json();
        assertThat(state.at("/spec/brokers").asInt()).isEqualTo(3);
    }

    record Result(int code, String output) {
    }

    private static Result run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("node-test", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " did not finish within " + timeout.toSeconds() + "s:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(p.exitValue(), output);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(d, program))) {
                return true;
            }
        }
        return false;
    }
}
