package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Prod clusters are born with four eyes", through a gateway with a roles file and a real node: a CreateCluster with a
 * malformed approvalPolicy is a 400 naming the field and writes nothing; {@code cox create-cluster --require} creates one
 * holding its policy from version 1, whose first covered change cox reports as a proposal (exit 8) until another person
 * approves it.
 */
class CreateWithPolicyApiTest {

    private static GatewayHarness h;

    @BeforeAll
    static void start() throws IOException {
        h = GatewayHarness.withTwoAdmins("createpolicy-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    }

    @AfterAll
    static void stop() throws IOException {
        h.close();
    }

    @Test
    void aMalformedPolicyInCreateClusterIsA400NamingTheFieldAndNothingIsWritten() {
        String cluster = "prod-" + UUID.randomUUID().toString().substring(0, 6);
        Reply bad = h.post("/v1/commands?wait=true", "{\"commandId\":\"create-" + cluster + "\",\"clusterId\":\"" + cluster + "\","
                + "\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"},"
                + "\"approvalPolicy\":{\"rules\":[{\"commands\":[\"DeleteTopic\",\"DeleteTopics\"],\"approvals\":1}]}}}");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("payload.approvalPolicy.rules[0].commands[1]");
        assertThat(bad.json().get("error").asText()).contains("unknown command type 'DeleteTopics'");
        Reply notAnObject = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"CreateCluster\",\"payload\":"
                + "{\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"},\"approvalPolicy\":{\"rule\":[]}}}");
        assertThat(notAnObject.status()).as(notAnObject.toString()).isEqualTo(400);
        assertThat(notAnObject.json().get("field").asText()).isEqualTo("payload.approvalPolicy.rule");
        assertThat(h.get("/v1/commands/create-" + cluster).status()).as("never written").isEqualTo(404);
        assertThat(h.get("/v1/clusters/" + cluster).status()).isEqualTo(404);
    }

    @Test
    void coxCreatesAClusterBornWithItsPolicyAndItsFirstCoveredChangeExits8UntilAnotherPersonApproves() {
        String cluster = "prod-" + UUID.randomUUID().toString().substring(0, 6);
        String[] alice = {"--gateway", h.url(), "--token", GatewayHarness.TOKEN};
        String[] bob = {"--gateway", h.url(), "--token", GatewayHarness.OTHER_TOKEN};
        assertThat(GatewayHarness.coxExits(2, alice, "create-cluster", cluster, "--kafka-version", "4.1.0", "--approvals", "2"))
                .as("no quiet cluster without four eyes").contains("name the command types it covers with --require");

        GatewayHarness.coxExits(0, alice, "create-cluster", cluster, "--kafka-version", "4.1.0", "--require", "ScaleBrokers,DeleteCluster",
                "--expires-after-hours", "24", "--command-id", "born-" + cluster);
        JsonNode policy = Poll.until(java.time.Duration.ofSeconds(30), cluster + " in the read model", () -> {
            Reply r = h.get("/v1/clusters/" + cluster + "?minVersion=1");
            return r.status() == 200 ? r.json() : null;
        }).at("/spec/approvalPolicy");
        assertThat(policy.at("/rules/0/commands").toString()).isEqualTo("[\"DeleteCluster\",\"ScaleBrokers\"]");
        assertThat(policy.get("expiresAfterHours").asInt()).isEqualTo(24);
        assertThat(policy.get("commandId").asText()).as("set by the creation itself").isEqualTo("born-" + cluster);
        assertThat(policy.get("issuer").asText()).isEqualTo("alice");

        String scaled = GatewayHarness.coxExits(8, alice, "scale", cluster, "--brokers", "5", "--command-id", "grow-" + cluster);
        assertThat(scaled).contains("ScaleBrokers on " + cluster + ": awaits 1 approval by someone else", "cox approve " + cluster + " grow-" + cluster);
        assertThat(GatewayHarness.coxExits(0, alice, "approvals", "list", cluster)).contains("Policy: DeleteCluster,ScaleBrokers need 1 approval(s)");
        assertThat(GatewayHarness.coxExits(0, alice, "get", cluster)).as("whoever reads the cluster learns a change may wait")
                .contains("Four eyes: DeleteCluster,ScaleBrokers need 1 approval(s) by others; 1 proposal waits for approval (cox approvals list "
                        + cluster + ")");
        assertThat(GatewayHarness.coxExits(0, bob, "approve", cluster, "grow-" + cluster)).contains("ScaleBrokers proposed by alice: APPLIED at version");
    }
}
