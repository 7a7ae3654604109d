package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cox fleet approvals}: one approval policy on every cluster a selector picks, Ready or not, with a real node
 * behind the gateway; then a change of it, which each cluster's policy (covering its own changes) makes a proposal, so
 * the run stops after its canary with exit 8, as for any fleet change proposed.
 */
class FleetApprovalsCliTest {

    private static GatewayHarness h;
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void start() throws IOException {
        h = GatewayHarness.withTwoAdmins("fleetapprovals-" + SUFFIX + ".");
    }

    @AfterAll
    static void stop() throws IOException {
        h.close();
    }

    @Test
    void aPolicyIsSetOnEverySelectedClusterAndItsChangeWaitsForApprovalOnEach() {
        List<String> prod = List.of("prod-a-" + SUFFIX, "prod-b-" + SUFFIX, "prod-c-" + SUFFIX);
        String dev = "dev-" + SUFFIX;
        for (String c : List.of(prod.get(0), prod.get(1), prod.get(2), dev)) {
            assertThat(h.post("/v1/commands?wait=true", create(c)).status()).isEqualTo(200);
        }
        String[] alice = {"--gateway", h.url(), "--token", GatewayHarness.TOKEN};
        String selected = "prod-*";

        String preview = cox(0, alice, "fleet", "approvals", "--clusters", selected, "--require", "DeleteTopic,DeleteCluster", "--dry-run");
        assertThat(preview).contains("would set DeleteTopic,DeleteCluster need 1 approval(s)", "nothing written");
        assertThat(policy(prod.get(0)).isObject()).as("a dry run writes nothing").isFalse();

        String set = cox(0, alice, "fleet", "approvals", "--clusters", selected, "--require", "DeleteTopic,DeleteCluster", "--wave-size", "5",
                "--run-id", "p1");
        assertThat(set).contains("fleet approvals p1 DeleteTopic,DeleteCluster need 1 approval(s), expiring after 72 h: 3 cluster(s) in 2 wave(s)",
                "fleet approvals p1: 3 cluster(s) policy in force");
        for (String c : prod) {
            assertThat(policy(c).at("/rules/0/commands").toString()).as(c + " (Ready or not: no executor here)")
                    .isEqualTo("[\"DeleteCluster\",\"DeleteTopic\"]"); // kept sorted
            assertThat(h.get("/v1/commands/fleet-p1-" + c).json().get("issuer").asText()).isEqualTo("alice");
        }
        assertThat(policy(dev).isObject()).as("not selected").isFalse();
        assertThat(cox(0, alice, "fleet", "approvals", "--clusters", selected, "--require", "DeleteTopic,DeleteCluster", "--run-id", "p1b"))
                .as("the same policy again is already so").contains("already so");

        // each policy covers its own changes: the stricter one is a proposal on the canary, and no later wave starts
        String stricter = cox(8, alice, "fleet", "approvals", "--clusters", selected, "--require", "DeleteTopic,DeleteCluster,ScaleBrokers",
                "--approvals", "2", "--run-id", "p2");
        assertThat(stricter).contains(prod.get(0) + ": proposed, awaiting 1 approval(s) (command fleet-p2-" + prod.get(0), "stopped in wave 1")
                .doesNotContain("wave 2/2");
        assertThat(h.get("/v1/clusters/" + prod.get(0)).json().at("/spec/proposals/fleet-p2-" + prod.get(0) + "/type").asText())
                .isEqualTo("SetApprovalPolicy");
        assertThat(policy(prod.get(1)).at("/rules/0/approvals").asInt()).as("a later wave untouched").isEqualTo(1);

        assertThat(cox(2, alice, "fleet", "approvals", "--clusters", selected, "--require", "DeleteTopic", "--clear"))
                .contains("give --clear or --require TYPE[,TYPE], not both");
    }

    private static JsonNode policy(String cluster) {
        return h.get("/v1/clusters/" + cluster).json().at("/spec/approvalPolicy");
    }

    private static String cox(int expected, String[] base, String... args) {
        return GatewayHarness.coxExits(expected, base, args);
    }
}
