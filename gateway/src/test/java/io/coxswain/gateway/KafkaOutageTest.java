package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.gateway.GatewayHarness.Reply;
import io.coxswain.sandbox.kafka.EmbeddedKafka;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap Kafka goes away and comes back (its own broker, on a fixed port and data
 * directory, so it can be restarted): POST answers 503 in bounded time, reads keep serving the
 * last known state and say how stale it is, readiness follows, and the refused command never
 * appears afterwards.
 */
class KafkaOutageTest {

    private Path dir;
    private EmbeddedKafka kafka;
    private GatewayHarness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        SharedKafka.deleteQuietly(dir);
    }

    @Test
    void postIs503WithinBoundsReadsServeLastKnownStateAndNothingHalfWrittenAppears() throws Exception {
        dir = Files.createTempDirectory("coxswain-outage");
        int port = freePort();
        kafka = EmbeddedKafka.start(dir, port);
        h = GatewayHarness.start(kafka.bootstrapServers(), GatewayHarness.freshTopics(), "outage-app",
                c -> c.withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(2)));
        assertThat(h.post("/v1/commands?wait=true", create("before")).status()).isEqualTo(200);
        // the reply waits 2 s (this test's read wait) for the state, then answers without it: the state read before Kafka goes
        Poll.until(Duration.ofSeconds(30), "the state of 'before' in the read model", () -> h.get("/v1/clusters/before").status() == 200);

        kafka.close();

        long start = System.nanoTime();
        Reply refused = h.post("/v1/commands?wait=true", create("during"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        String refusedId = refused.json().get("commandId").asText();
        assertThat(refused.json().get("error").asText()).contains(refusedId).contains("Kafka");

        // reads serve the last known state, and say it is getting old
        JsonNode stale = Poll.until(Duration.ofSeconds(20), "the read model to notice Kafka is gone", () -> {
            Reply r = h.get("/v1/clusters/before");
            return r.status() == 200 && "false".equals(r.header("Coxswain-Kafka-Reachable")) ? r.json() : null;
        });
        assertThat(stale.get("version").asLong()).isEqualTo(1);
        assertThat(stale.at("/freshness/kafkaReachable").asBoolean()).isFalse();
        assertThat(stale.at("/freshness/staleSeconds").asDouble()).isGreaterThan(0);
        // a read that must include every committed change cannot be answered while Kafka cannot be asked
        long asked = System.nanoTime();
        Reply unconfirmed = h.get("/v1/clusters/before?consistent=true");
        assertThat(unconfirmed.status()).as(unconfirmed.toString()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(10));
        assertThat(unconfirmed.header("Retry-After")).isEqualTo("1");
        assertThat(unconfirmed.json().get("field").asText()).isEqualTo("consistent");
        assertThat(unconfirmed.json().get("error").asText()).contains("Kafka did not answer");
        Reply notReady = Poll.until(Duration.ofSeconds(20), "not ready", () -> {
            Reply r = h.get("/health/ready");
            return r.status() == 503 ? r : null;
        });
        assertThat(notReady.json().get("reason").asText()).isNotBlank();
        assertThat(h.get("/health/live").status()).isEqualTo(200);

        kafka = EmbeddedKafka.start(dir, port);

        Poll.until(Duration.ofSeconds(120), "ready again", () -> h.get("/health/ready").status() == 200);
        Reply after = Poll.until(Duration.ofSeconds(60), "a command accepted after the restart", () -> {
            Reply r = h.post("/v1/commands?wait=true", "{\"clusterId\":\"before\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":4}}");
            return r.status() == 200 || r.status() == 422 ? r : null;
        });
        assertThat(after.json().get("status").asText()).isIn("accepted", "rejected");
        Poll.until(Duration.ofSeconds(30), "caught up after the restart", () -> h.get("/health/ready").status() == 200);

        assertThat(h.get("/v1/clusters/during").status()).isEqualTo(404);
        assertThat(h.get("/v1/commands/" + refusedId).status()).isEqualTo(404);
        assertThat(h.get("/v1/clusters/before?consistent=true").json().get("version").asLong()).isEqualTo(2);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
