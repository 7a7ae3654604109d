package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The series a dashboard follows a change of replication factor by, from status.replication: the
 * topic's partitions and those at the new factor while it is under way, whether it is blocked, and
 * no series once every partition has it.
 */
class ReplicationMetricsTest {

    private static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(GatewayHarness.freshTopics().prefix(), c -> c);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aChangeUnderWayHasItsProgressAndNoneOnceDone() {
        String cluster = "rf-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "audit")).status()).isEqualTo(200);
        h.observe(cluster, "{\"type\":\"ReplicationObserved\",\"topics\":{"
                + "\"orders\":{\"factor\":3,\"partitions\":3,\"atFactor\":1,\"moving\":1,\"blocked\":null},"
                + "\"audit\":{\"factor\":3,\"partitions\":3,\"atFactor\":0,\"moving\":0,\"blocked\":\"replication factor 3 needs 3 brokers up\"}}}");

        String labels = "{cluster=\"" + cluster + "\",topic=\"orders\",factor=\"3\"} ";
        assertThat(h.get("/metrics").body())
                .contains("coxswain_topic_replication_partitions" + labels + "3\n")
                .contains("coxswain_topic_replication_partitions_at_factor" + labels + "1\n")
                .contains("coxswain_topic_replication_blocked" + labels + "0\n")
                .contains("coxswain_topic_replication_blocked{cluster=\"" + cluster + "\",topic=\"audit\",factor=\"3\"} 1\n");

        h.observe(cluster, "{\"type\":\"ReplicationObserved\",\"topics\":{}}");
        assertThat(h.get("/metrics").body()).as("every topic at its factor: no series left")
                .doesNotContain("coxswain_topic_replication_partitions{cluster=\"" + cluster)
                .doesNotContain("coxswain_topic_replication_blocked{cluster=\"" + cluster);
    }
}
