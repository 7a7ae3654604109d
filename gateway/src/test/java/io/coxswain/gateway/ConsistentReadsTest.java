package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.gateway.GatewayHarness.Reply;
import io.coxswain.gateway.readmodel.ReadModel;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes across gateways without knowing the version: a change accepted by one gateway is
 * in every answer to {@code ?consistent=true} from another, however far behind that one's reading is.
 */
class ConsistentReadsTest {

    static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(GatewayHarness.freshTopics());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /**
     * A second read model of the same topics (another gateway's): started after changes were accepted, it has
     * them all once {@code caughtUpFromNow} completes, before it has read anything on its own; then, asked right
     * after each further accepted change, it has that change. Without the question to Kafka it would often answer
     * from before the change: it learns of a commit only by its next fetch.
     */
    @Test
    void aChangeAcceptedElsewhereIsReadableOnceCaughtUpFromNow() throws Exception {
        String cluster = "ryw-" + System.nanoTime() % 100000;
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        long before = 0;
        for (int i = 0; i < 5; i++) {
            before = h.post("/v1/commands?wait=true", createTopic(cluster, "early" + i)).json().get("version").asLong();
        }
        try (ReadModel other = new ReadModel(SharedKafka.bootstrapServers(), h.node.config().topics(), h.node.codecs(), Map.of(),
                Clock.systemUTC()).start()) {
            other.caughtUpFromNow().get(30, TimeUnit.SECONDS);
            assertThat(other.clusters().get(cluster)).as("the cluster, read before the first catch-up completed")
                    .hasValueSatisfying(s -> assertThat(s.getVersion()).isEqualTo(6));
            assertThat(before).isEqualTo(6);
            for (int i = 0; i < 15; i++) {
                Reply accepted = h.post("/v1/commands?wait=true", createTopic(cluster, "t" + i));
                assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
                long version = accepted.json().get("version").asLong();

                other.caughtUpFromNow().get(10, TimeUnit.SECONDS);

                ClusterState seen = other.clusters().get(cluster).orElseThrow();
                assertThat(seen.getVersion()).as("change %d, accepted at version %d", i, version).isGreaterThanOrEqualTo(version);
                assertThat(seen.getTopics()).containsKey("t" + i);
            }
        }
    }

    /** Many consistent reads at once share questions to Kafka; none is starved while others keep arriving. */
    @Test
    void aBurstOfConsistentReadsIsAnsweredWhileChangesArrive() throws Exception {
        String cluster = "ryw-burst-" + System.nanoTime() % 100000;
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> reads = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                reads.add(pool.submit(() -> h.get("/v1/clusters/" + cluster + "?consistent=true").status()));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "b" + i)).status()).isEqualTo(200);
            }
            for (Future<Integer> r : reads) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theHttpParameterWaitsAndAMalformedOneNamesItself() {
        String cluster = "ryw-http-" + System.nanoTime() % 100000;
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        Reply consistent = h.get("/v1/clusters/" + cluster + "?consistent=true");
        assertThat(consistent.status()).as(consistent.toString()).isEqualTo(200);
        assertThat(consistent.json().get("version").asLong()).isEqualTo(1);
        assertThat(h.get("/v1/clusters?consistent=true&label=").status()).isEqualTo(200);
        assertThat(h.get("/v1/clusters/" + cluster + "/history?consistent=true&last=5").json()).hasSize(1);

        Reply bad = h.get("/v1/clusters/" + cluster + "?consistent=yes");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("consistent");
        assertThat(bad.json().get("error").asText()).contains("true or false");
    }
}
