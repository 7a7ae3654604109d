package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.gateway.GatewayHarness.Reply;
import io.coxswain.gateway.quota.CommandQuota;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway started with a command rate: a principal past its allowance gets 429 with Retry-After
 * and nothing is written; another principal is not held back; dry runs and reads are not counted.
 */
class CommandQuotaApiTest {

    private static GatewayHarness h;

    @BeforeAll
    static void start() {
        // one command per 100 s after a burst of 2: the third of a quick series is refused whatever the machine's pace
        h = GatewayHarness.start("quota-" + UUID.randomUUID().toString().substring(0, 8) + ".", c -> c.withQuota(CommandQuota.of(0.01, 2)));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static String createWithId(String cluster, String commandId) {
        return GatewayHarness.create(cluster).replace("{\"clusterId\"", "{\"commandId\":\"" + commandId + "\",\"clusterId\"");
    }

    @Test
    void pastItsBurstAPrincipalIsToldToWaitAndNothingIsWritten() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Reply dry = h.post("/v1/commands?dryRun=true", create("q-dry-" + suffix));
        assertThat(dry.status()).as("a dry run writes nothing and takes no allowance").isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", create("q1-" + suffix)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", create("q2-" + suffix)).status()).isEqualTo(200);

        Reply third = h.post("/v1/commands?wait=true", createWithId("q3-" + suffix, "throttled-" + suffix));
        assertThat(third.status()).as(third.body()).isEqualTo(429);
        assertThat(Long.parseLong(third.header("Retry-After"))).isBetween(1L, 100L);
        assertThat(third.json().get("error").asText()).contains("principal 'alice'", "nothing was written");
        assertThat(h.get("/v1/commands/throttled-" + suffix).status()).isEqualTo(404);
        assertThat(h.get("/v1/clusters/q3-" + suffix).status()).isEqualTo(404);
        assertThat(h.get("/metrics").body()).contains("coxswain_gateway_commands_total{type=\"CreateCluster\",result=\"throttled\"} 1");

        Reply bob = h.send(h.request("/v1/commands?wait=true").setHeader("Authorization", "Bearer " + GatewayHarness.OTHER_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(create("q4-" + suffix))).build());
        assertThat(bob.status()).as("another principal has its own allowance: " + bob.body()).isEqualTo(200);
    }
}
