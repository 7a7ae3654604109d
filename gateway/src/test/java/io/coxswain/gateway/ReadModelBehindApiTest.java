package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/commands?wait=true} when the gateway's read model has not reached the version it reports accepted: a real
 * node, gateway and broker, the gateway's consumer holding back the state topic (ReadModel.holdStates pauses its partitions)
 * while it reads the decisions, as a slow state-topic leader would make it. The reply stays 200 accepted, and says the read
 * model is behind (field and header) and which read waits for the version; cox says so on stderr. The read wait is 2 s here.
 */
class ReadModelBehindApiTest {

    private static final String WAIT = "/v1/commands?wait=true";
    private static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(GatewayHarness.freshTopics().prefix(),
                c -> c.withTimeouts(c.decisionTimeout(), Duration.ofSeconds(2), c.sendTimeout()));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @AfterEach
    void resume() {
        h.gateway.readModel().holdStates(false);
    }

    private static String cluster(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void anAcceptedWriteTheReadModelHasNotReachedSaysSoAndNamesTheReadThatWaitsForIt() {
        String cluster = cluster("behind");
        Reply created = h.post(WAIT, create(cluster));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.json().has("readModelBehind")).as("caught up: nothing to say").isFalse();
        assertThat(created.header("Coxswain-Read-Model-Behind")).isNull();

        h.gateway.readModel().holdStates(true);
        Reply r = h.post(WAIT, createTopic(cluster, "orders"));
        assertThat(r.status()).as("the same answer as ever: %s", r).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("accepted");
        long accepted = r.json().get("version").asLong();
        JsonNode behind = r.json().get("readModelBehind");
        assertThat(behind).as(r.toString()).isNotNull();
        long held = behind.get("version").asLong();
        assertThat(held).isBetween(1L, accepted - 1);
        assertThat(r.header("Coxswain-Read-Model-Behind")).isEqualTo(Long.toString(held));
        assertThat(behind.get("read").asText()).isEqualTo("/v1/clusters/" + cluster + "?minVersion=" + accepted);
        assertThat(behind.get("message").asText()).contains("cluster '" + cluster + "'", "accepted at version " + accepted,
                "still had version " + held, "GET /v1/clusters/" + cluster + "?minVersion=" + accepted);
        // what the reply warns of: a plain read here answers the older state
        JsonNode plain = h.get("/v1/clusters/" + cluster).json();
        assertThat(plain.get("version").asLong()).isEqualTo(held);
        assertThat(plain.at("/topics/orders").isMissingNode()).isTrue();

        h.gateway.readModel().holdStates(false);
        Reply read = h.get(behind.get("read").asText());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("version").asLong()).isGreaterThanOrEqualTo(accepted);
        assertThat(read.json().at("/topics/orders").isObject()).isTrue();
    }

    @Test
    void coxWarnsOnStderrThatTheGatewayHasNotReadItsChangeYet() {
        String cluster = cluster("cox-behind");
        String[] alice = {"--gateway", h.url(), "--token", GatewayHarness.TOKEN};
        assertThat(GatewayHarness.coxExits(0, alice, "create-cluster", cluster, "--kafka-version", "4.1.0"))
                .doesNotContain("warning");

        h.gateway.readModel().holdStates(true);
        String said = GatewayHarness.coxExits(0, alice, "topic", "create", cluster, "orders", "--replication-factor", "1");
        assertThat(said).contains("CreateTopic on " + cluster + ": accepted, version 2", "cox: warning: accepted at version 2, but the"
                + " gateway's read model still had " + cluster + " at version 1", "cox get " + cluster + " waits for the change",
                "GET /v1/clusters/" + cluster + "?minVersion=2");

        h.gateway.readModel().holdStates(false);
        assertThat(GatewayHarness.coxExits(0, alice, "get", cluster)).contains("orders");
    }
}
