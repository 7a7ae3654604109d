package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coxswain.commands.cli.Cox;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code cox fleet upgrade} as a person runs it, against {@code coxswain dev --pods=real}: three
 * clusters of real Kafka nodes, a canary waiting for its maintenance window, then one not done in time,
 * stop the run before any other cluster is touched, and the same run resumed finishes the canary and
 * upgrades the rest in a wave.
 */
class FleetUpgradeEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FLEET = List.of("fleet-a", "fleet-b", "fleet-c");

    private record Run(int code, String out, String err) {
    }

    @Test
    void aCanaryFirstThenWavesStoppingAtAFailureAndResumedByRunId() throws Exception {
        Path dir = Files.createTempDirectory("coxswain-fleet");
        NodeProcess dev = NodeProcess.dev("fleet-dev", "--data-dir", dir.toString(), "--pods=real", "--http-port", "0"); // any free port: 8080 may be taken
        try {
            String gateway = dev.ready("http");
            String token = dev.ready("token");
            for (String cluster : FLEET) {
                Run created = cox(gateway, token, "create-cluster", cluster, "--brokers", "1", "--controllers", "1", "--kafka-version", "4.2.0");
                assertThat(created.code()).as(created.err()).isZero();
            }
            Poll.until(Duration.ofSeconds(120), "the fleet Ready on 4.2.0", () -> FLEET.stream().allMatch(c -> readyOn(gateway, token, c, "4.2.0")));

            // the canary's roll waits for its maintenance window, three days away: the run stops at once rather than wait it out
            String day = LocalDate.now(ZoneOffset.UTC).plusDays(3).getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            assertThat(cox(gateway, token, "maintenance-windows", "fleet-a", day + " 02:00-03:00").code()).isZero();
            Run waits = cox(gateway, token, "fleet", "upgrade", "--kafka-version", "4.3.1", "--clusters", "fleet-*", "--wave-size", "2",
                    "--run-id", "r1", "--timeout", "3m");
            assertThat(waits.code()).as(waits.out() + waits.err()).isEqualTo(1);
            assertThat(waits.err()).contains("fleet-a's upgrade waits for its maintenance window, opening at", day + " 02:00-03:00",
                    "run this fleet upgrade again with the same --run-id");
            assertThat(cluster(gateway, token, "fleet-b").path("spec").path("kafkaVersion").asText()).isEqualTo("4.2.0");
            assertThat(cox(gateway, token, "maintenance-windows", "fleet-a", "--any-time").code()).isZero();

            // the canary cannot roll two real nodes in 1 s: the run stops after it, and no other cluster is asked
            Run stopped = cox(gateway, token, "fleet", "upgrade", "--kafka-version", "4.3.1", "--clusters", "fleet-*", "--wave-size", "2",
                    "--run-id", "r1", "--timeout", "1s");
            assertThat(stopped.code()).as(stopped.out() + stopped.err()).isEqualTo(1);
            assertThat(stopped.out()).contains("fleet upgrade r1 to 4.3.1: 3 cluster(s) in 2 wave(s)", "wave 1/2 (canary): fleet-a")
                    .doesNotContain("wave 2/2");
            assertThat(stopped.err()).contains("stopped in wave 1", "fleet-a is not Ready on 4.3.1 after 1s", "2 cluster(s) of later waves were not touched",
                    "--run-id r1");
            for (String untouched : List.of("fleet-b", "fleet-c")) {
                assertThat(cluster(gateway, token, untouched).path("spec").path("kafkaVersion").asText()).as(untouched).isEqualTo("4.2.0");
            }

            Run resumed = cox(gateway, token, "fleet", "upgrade", "--kafka-version", "4.3.1", "--clusters", "fleet-*", "--wave-size", "2",
                    "--run-id", "r1", "--timeout", "3m");
            assertThat(resumed.code()).as(resumed.out() + resumed.err()).isZero();
            String out = resumed.out();
            assertThat(out).contains("fleet-a: Ready on 4.3.1", "wave 2/2: fleet-b, fleet-c", "3 cluster(s) Ready on 4.3.1");
            assertThat(out.indexOf("fleet-a: Ready on 4.3.1")).as("the canary is done before the next wave starts").isLessThan(out.indexOf("wave 2/2"));
            for (String cluster : FLEET) {
                assertThat(readyOn(gateway, token, cluster, "4.3.1")).as(cluster).isTrue();
                JsonNode history = get(gateway, token, "/v1/clusters/" + cluster + "/history?limit=1000");
                List<String> ids = new ArrayList<>();
                history.forEach(e -> ids.add(e.path("commandId").asText()));
                assertThat(ids).as("the log names the run that upgraded " + cluster).contains("fleet-r1-" + cluster);
            }
        } finally {
            dev.stop();
            SharedKafka.deleteQuietly(dir);
        }
    }

    private static boolean readyOn(String gateway, String token, String cluster, String version) {
        JsonNode status = cluster(gateway, token, cluster).path("status");
        return "Ready".equals(status.path("phase").asText())
                && List.of(version).equals(versions(status, "controllers")) && List.of(version).equals(versions(status, "brokers"));
    }

    private static List<String> versions(JsonNode status, String role) {
        List<String> v = new ArrayList<>();
        status.path("components").path(role).path("versions").forEach(n -> v.add(n.asText()));
        return v;
    }

    private static JsonNode cluster(String gateway, String token, String cluster) {
        return get(gateway, token, "/v1/clusters/" + cluster);
    }

    private static JsonNode get(String gateway, String token, String path) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gateway + path)).header("Authorization", "Bearer " + token).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + ": " + e, e);
        }
    }

    private static Run cox(String gateway, String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--gateway", gateway, "--token", token));
        all.addAll(List.of(args));
        int code = Cox.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
