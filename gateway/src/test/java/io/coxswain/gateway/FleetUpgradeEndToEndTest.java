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
 * upgrades the rest in a wave. Then {@code cox fleet restart} of the brokers of the clusters a label
 * selects, and the same run again restarting nothing twice; then {@code cox fleet config} of a key Kafka takes live, done
 * without a restart once each executor has acted on it, and the same settings again are already so; and
 * {@code cox wait} after a change that rolls a broker: not done in 1 s, done once the roll is over, refused on a paused cluster.
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
                assertThat(ids).as("the log names the run that upgraded " + cluster).anyMatch(id -> id.equals("fleet-r1-" + cluster) || id.startsWith("fleet-r1-" + cluster + "."));
            }

            // a JVM patched under the same tag: the brokers of the clusters labelled for it restarted, a canary first
            String kube = dev.ready("kube");
            assertThat(cox(gateway, token, "label", "fleet-a", "jvm=patched").code()).isZero();
            assertThat(cox(gateway, token, "label", "fleet-c", "jvm=patched").code()).isZero();
            String brokerA = podUid(kube, "fleet-a", "fleet-a-broker-0");
            String brokerB = podUid(kube, "fleet-b", "fleet-b-broker-0");
            Run restarted = cox(gateway, token, "fleet", "restart", "--selector", "jvm=patched", "--component", "brokers", "--reason", "JVM patch",
                    "--run-id", "r2", "--timeout", "3m");
            assertThat(restarted.code()).as(restarted.out() + restarted.err()).isZero();
            assertThat(restarted.out()).contains("fleet restart r2 of brokers: 2 cluster(s) in 2 wave(s)", "wave 1/2 (canary): fleet-a",
                    "fleet-a: restarting brokers (command fleet-r2-fleet-a", "fleet-c: Ready, brokers restarted", "2 cluster(s) Ready, brokers restarted");
            assertThat(podUid(kube, "fleet-a", "fleet-a-broker-0")).as("fleet-a's broker restarted").isNotEqualTo(brokerA);
            assertThat(podUid(kube, "fleet-b", "fleet-b-broker-0")).as("fleet-b is not labelled for it").isEqualTo(brokerB);
            assertThat(cluster(gateway, token, "fleet-c").path("status").path("operation").path("causeCommandId").asText())
                    .as("the run's command, at its first attempt or a later one after a version conflict").matches("fleet-r2-fleet-c(\\.[0-9])?");
            Run again = cox(gateway, token, "fleet", "restart", "--selector", "jvm=patched", "--component", "brokers", "--reason", "JVM patch",
                    "--run-id", "r2");
            assertThat(again.code()).as(again.out() + again.err()).isZero();
            assertThat(again.out()).as("the same run again restarts nothing twice").contains("skipped fleet-a: already restarted by this run",
                    "skipped fleet-c: already restarted by this run", "0 cluster(s) in 0 wave(s)");

            // a key Kafka takes live, on the same clusters: applied without a restart, each done once its executor has acted on it
            String brokerC = podUid(kube, "fleet-c", "fleet-c-broker-0");
            Run configured = cox(gateway, token, "fleet", "config", "--set", "message.max.bytes=2000000", "--selector", "jvm=patched",
                    "--run-id", "r3", "--timeout", "2m");
            assertThat(configured.code()).as(configured.out() + configured.err()).isZero();
            assertThat(configured.out()).contains("fleet config r3 message.max.bytes=2000000: 2 cluster(s) in 2 wave(s)",
                    "fleet-a: changing message.max.bytes=2000000 (command fleet-r3-fleet-a", "2 cluster(s) Ready, configuration applied");
            assertThat(podUid(kube, "fleet-c", "fleet-c-broker-0")).as("a live key restarts nothing").isEqualTo(brokerC);
            JsonNode c = cluster(gateway, token, "fleet-c");
            assertThat(c.path("spec").path("brokerConfig").path("message.max.bytes").asText()).isEqualTo("2000000");
            assertThat(c.path("status").path("reconciledIntentVersion").asLong()).isEqualTo(c.path("intentVersion").asLong());
            assertThat(cox(gateway, token, "get", "fleet-c").out()).contains("Acted on: every change asked for");
            Run already = cox(gateway, token, "fleet", "config", "--set", "message.max.bytes=2000000", "--selector", "jvm=patched", "--run-id", "r4");
            assertThat(already.code()).as(already.out() + already.err()).isZero();
            assertThat(already.out()).contains("fleet-a: already so (", "2 cluster(s) Ready, configuration applied");

            // a pipeline's change and cox wait: a key that needs a roll, not done in 1 s (a real broker cannot restart so fast), then done
            String brokerOfB = podUid(kube, "fleet-b", "fleet-b-broker-0");
            assertThat(cox(gateway, token, "config", "set", "fleet-b", "log.roll.hours=100").code()).isZero();
            Run tooSoon = cox(gateway, token, "wait", "fleet-b", "--timeout", "1s");
            assertThat(tooSoon.code()).as(tooSoon.out() + tooSoon.err()).isEqualTo(7);
            assertThat(tooSoon.err()).contains("fleet-b is not done after 1s", "cox operation show fleet-b");
            Run waited = cox(gateway, token, "wait", "fleet-b", "--timeout", "2m");
            assertThat(waited.code()).as(waited.out() + waited.err()).isZero();
            assertThat(waited.out()).containsPattern("fleet-b: Ready, every change up to version [0-9]+ acted on");
            assertThat(podUid(kube, "fleet-b", "fleet-b-broker-0")).as("the roll is over when cox wait returns").isNotEqualTo(brokerOfB);
            assertThat(cox(gateway, token, "pause", "fleet-b", "--reason", "disk swap").code()).isZero();
            Run paused = cox(gateway, token, "wait", "fleet-b");
            assertThat(paused.code()).isEqualTo(1);
            assertThat(paused.err()).contains("fleet-b is paused (disk swap)", "cox resume fleet-b");
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

    /** The pod's uid in the dev node's Kubernetes API: a restarted pod is a new one. */
    private static String podUid(String kube, String namespace, String pod) {
        return get(kube, "", "/api/v1/namespaces/" + namespace + "/pods/" + pod).path("metadata").path("uid").asText();
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
