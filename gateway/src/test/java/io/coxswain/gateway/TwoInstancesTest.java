package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.Topics;
import io.coxswain.gateway.GatewayHarness.Reply;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of one installation (same topics, same Streams application id, so they split the
 * partitions) each with a gateway: any instance answers any query, and a client that got version N
 * from one instance reads its write from the other with {@code ?minVersion=N}.
 */
class TwoInstancesTest {

    static GatewayHarness a;
    static GatewayHarness b;

    @BeforeAll
    static void start() {
        Topics topics = GatewayHarness.freshTopics();
        String app = "app-" + topics.prefix();
        a = GatewayHarness.start(SharedKafka.bootstrapServers(), topics, app, c -> c);
        b = GatewayHarness.start(SharedKafka.bootstrapServers(), topics, app, c -> c);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    @Test
    void eitherInstanceAnswersAndReadsItsOwnWritesUnderConcurrentWriters() throws Exception {
        String cluster = "shared-" + System.nanoTime() % 100000;
        assertThat(a.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        int writers = 4;
        int perWriter = 5;
        Set<Long> versions = new ConcurrentSkipListSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perWriter; i++) {
                    GatewayHarness writeTo = (writer + i) % 2 == 0 ? a : b;
                    GatewayHarness readFrom = writeTo == a ? b : a;
                    String topic = "w" + writer + "-" + i;
                    Reply r = writeTo.post("/v1/commands?wait=true", createTopic(cluster, topic));
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    long version = r.json().get("version").asLong();
                    versions.add(version);
                    // the writing instance has it without asking...
                    JsonNode own = writeTo.get("/v1/clusters/" + cluster).json();
                    assertThat(own.get("version").asLong()).isGreaterThanOrEqualTo(version);
                    assertThat(own.get("topics").has(topic)).isTrue();
                    // ...and the other one once asked for that version
                    Reply other = readFrom.get("/v1/clusters/" + cluster + "?minVersion=" + version);
                    assertThat(other.status()).as(other.toString()).isEqualTo(200);
                    assertThat(other.json().get("version").asLong()).isGreaterThanOrEqualTo(version);
                    assertThat(other.json().get("topics").has(topic)).as("topic %s on the other instance", topic).isTrue();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // every accepted command got its own version: 2 .. 1 + writers * perWriter
        assertThat(versions).hasSize(writers * perWriter);
        assertThat(versions).allSatisfy(v -> assertThat(v).isBetween(2L, 1L + writers * perWriter));

        // and both instances hold the same, complete history and list
        // each write waited for the fold on the instance it went through only: the other's arrive at a a moment later
        JsonNode historyA = Poll.until(java.time.Duration.ofSeconds(30), "every command, decided, in a's history", () -> {
            JsonNode h = a.get("/v1/clusters/" + cluster + "/history?limit=1000").json();
            boolean all = h.size() == 1 + writers * perWriter;
            for (JsonNode entry : h) {
                all &= !"pending".equals(entry.get("status").asText());
            }
            return all ? h : null;
        });
        JsonNode historyB = Poll.until(java.time.Duration.ofSeconds(30), "the same history on b", () -> {
            JsonNode h = b.get("/v1/clusters/" + cluster + "/history?limit=1000").json();
            return h.equals(historyA) ? h : null;
        });
        assertThat(historyB).hasSize(1 + writers * perWriter);
        assertThat(b.get("/v1/clusters").json().toString()).contains(cluster);
        String anyCommand = historyA.get(3).get("commandId").asText();
        assertThat(b.get("/v1/commands/" + anyCommand).json().get("status").asText()).isEqualTo("accepted");
    }
}
