package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.coxswain.gateway.GatewayHarness.Reply;
import io.coxswain.gateway.auth.Authenticator;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Four eyes through a gateway with a roles file, on the real embedded Kafka: alice (platform admin) proposes, may not
 * approve her own proposal; bob may approve only the command types his role allows; his approval applies the change,
 * which GET /v1/commands and GET /v1/clusters show, as cox does; the history says what became of each proposal.
 */
class ApprovalsApiTest {

    private static GatewayHarness h;

    @BeforeAll
    static void start() throws IOException {
        h = GatewayHarness.withRoles("approvals-" + UUID.randomUUID().toString().substring(0, 8) + ".", """
                role platform-admin * *
                role executor RecordObservation *
                role payments-dev CreateTopic,DeleteTopic,UpdateBrokerConfig,ApproveCommand,RejectProposal,WithdrawProposal payments-*
                grant alice platform-admin executor
                grant bob payments-dev
                grant carol payments-dev
                """);
    }

    @AfterAll
    static void stop() throws IOException {
        h.close();
    }

    private static Reply asBob(String body) {
        return h.postAsOther("/v1/commands?wait=true", body);
    }

    private static String command(String id, String cluster, String type, String payload) {
        return "{\"commandId\":\"" + id + "\",\"clusterId\":\"" + cluster + "\",\"type\":\"" + type + "\",\"payload\":" + payload + "}";
    }

    private static String approve(String cluster, String proposal) {
        return command("approve-" + UUID.randomUUID(), cluster, "ApproveCommand", "{\"commandId\":\"" + proposal + "\"}");
    }

    @Test
    void aProposalIsApprovedOnlyByAnotherPersonWhoseRolesAllowTheChangeItself() {
        String payments = "payments-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(h.post("/v1/commands?wait=true", create(payments)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(payments, "orders")).status()).isEqualTo(200);
        Reply policy = h.post("/v1/commands?wait=true", command("policy-" + payments, payments, "SetApprovalPolicy",
                "{\"rules\":[{\"commands\":[\"DeleteTopic\",\"ScaleBrokers\"],\"approvals\":1}],\"expiresAfterHours\":24}"));
        assertThat(policy.status()).as(policy.toString()).isEqualTo(200);

        Reply preview = h.post("/v1/commands?dryRun=true", command("drop-orders-" + payments, payments, "DeleteTopic", "{\"name\":\"orders\"}"));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(202);
        assertThat(preview.json().get("message").asText()).as("a preview says what would happen")
                .contains("it would be recorded as a proposal, applied once 1 other person approves it; nothing was written");
        Reply proposed = h.post("/v1/commands?wait=true", command("drop-orders-" + payments, payments, "DeleteTopic", "{\"name\":\"orders\"}"));
        assertThat(proposed.status()).as(proposed.toString()).isEqualTo(202);
        assertThat(proposed.json().get("status").asText()).isEqualTo("accepted");
        assertThat(proposed.json().get("awaitingApprovals").asInt()).isEqualTo(1);
        assertThat(proposed.json().get("message").asText()).contains("cox approve " + payments + " drop-orders-" + payments);
        JsonNode pending = h.get("/v1/commands/drop-orders-" + payments).json();
        assertThat(pending.get("awaitingApprovals").asInt()).isEqualTo(1);
        assertThat(pending.at("/proposal/state").asText()).isEqualTo("PENDING");
        JsonNode cluster = h.get("/v1/clusters/" + payments).json();
        assertThat(cluster.at("/topics/orders").isObject()).as("not applied").isTrue();
        assertThat(cluster.at("/spec/approvalPolicy/rules/0/commands").toString()).isEqualTo("[\"DeleteTopic\",\"ScaleBrokers\"]");
        assertThat(cluster.at("/spec/proposals/drop-orders-" + payments + "/command/payload/type").asText())
                .as("an approver reads the command itself").isEqualTo("DeleteTopic");
        assertThat(cluster.at("/spec/proposals/drop-orders-" + payments + "/command/payload/name").asText()).isEqualTo("orders");

        Reply self = h.post("/v1/commands?wait=true", approve(payments, "drop-orders-" + payments));
        assertThat(self.status()).as(self.toString()).isEqualTo(422);
        assertThat(self.json().get("code").asText()).isEqualTo("APPROVAL_NOT_ALLOWED");

        Reply scale = h.post("/v1/commands?wait=true", command("scale-" + payments, payments, "ScaleBrokers", "{\"brokers\":5}"));
        assertThat(scale.status()).as(scale.toString()).isEqualTo(202);
        Reply notHisToApprove = asBob(approve(payments, "scale-" + payments));
        assertThat(notHisToApprove.status()).as(notHisToApprove.toString()).isEqualTo(403);
        assertThat(notHisToApprove.json().get("field").asText()).isEqualTo("payload.commandId");
        assertThat(notHisToApprove.json().get("error").asText()).contains("'bob' may not approve the ScaleBrokers", "scale-" + payments,
                "may not issue ScaleBrokers");
        Reply unknown = asBob(approve(payments, "no-such-" + payments));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(403);
        assertThat(unknown.json().get("error").asText()).contains("no proposal of command no-such-" + payments + " is pending");

        Reply approved = asBob(approve(payments, "drop-orders-" + payments));
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().at("/proposal/state").asText()).isEqualTo("APPLIED");
        long version = approved.json().get("version").asLong();
        assertThat(approved.json().at("/proposal/version").asLong()).isEqualTo(version);
        JsonNode after = h.get("/v1/clusters/" + payments).json();
        assertThat(after.at("/topics/orders").isMissingNode()).as("applied").isTrue();
        assertThat(after.get("lastCommandId").asText()).isEqualTo("drop-orders-" + payments);
        JsonNode ended = h.get("/v1/commands/drop-orders-" + payments).json();
        assertThat(ended.has("awaitingApprovals")).isFalse();
        assertThat(ended.at("/proposal/state").asText()).isEqualTo("APPLIED");
        assertThat(ended.at("/proposal/approvers").toString()).isEqualTo("[\"bob\"]");
        assertThat(ended.at("/proposal/by").asText()).isEqualTo("bob");

        Reply repeated = h.post("/v1/commands?wait=true", command("drop-orders-" + payments, payments, "DeleteTopic", "{\"name\":\"orders\"}"));
        assertThat(repeated.status()).as("its id sent again, after it was applied: " + repeated).isEqualTo(200);
        assertThat(repeated.json().has("awaitingApprovals")).isFalse();
        assertThat(repeated.json().get("message").asText()).contains("it has since ended: APPLIED v" + version + " by bob");
    }

    @Test
    void coxSaysAProposalAwaitsApprovalListsItAndAnotherPersonApprovesOrRejectsIt() {
        String payments = clusterWithOrdersAndAudit();
        String[] alice = as(GatewayHarness.TOKEN);
        String[] bob = as(GatewayHarness.OTHER_TOKEN);
        assertThat(cox(alice, "approvals", "list", payments)).contains("has no approval policy");
        cox(alice, "approvals", "policy", payments, "--require", "DeleteTopic", "--expires-after-hours", "48");

        long read = h.get("/v1/clusters/" + payments).json().get("version").asLong();
        String out = coxExits(8, alice, "topic", "delete", payments, "orders", "--command-id", "d-orders", "--unchanged-since", Long.toString(read));
        assertThat(out).contains("DeleteTopic on " + payments + ": awaits 1 approval by someone else", "cox approve " + payments + " d-orders");
        String list = cox(alice, "approvals", "list", payments);
        assertThat(list).contains("Policy: DeleteTopic need 1 approval(s) by others, expiring after 48 h").containsPattern(
                "d-orders +DeleteTopic +\\{\"name\":\"orders\"\\} \\(decided on version " + read + "\\) +alice .*cox approve " + payments
                        + " d-orders").contains("WHAT");
        assertThat(cox(bob, "approve", payments, "d-orders")).contains("DeleteTopic proposed by alice: APPLIED at version");

        coxExits(8, alice, "topic", "delete", payments, "audit", "--command-id", "d-audit");
        assertThat(cox(bob, "reject", payments, "d-audit", "--reason", "compliance reads it")).contains("REJECTED: compliance reads it");
        assertThat(cox(alice, "approvals", "list", payments)).contains("No proposal waits for approval.")
                .containsPattern("d-audit +DeleteTopic +alice +REJECTED +bob").containsPattern("d-orders +DeleteTopic +alice +APPLIED +bob");
        assertThat(h.get("/v1/clusters/" + payments).json().at("/topics/audit").isObject()).isTrue();
    }

    @Test
    void historySaysWhatBecameOfEachProposalAndOfTheOneEachApprovalActedOn() {
        String payments = "payments-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(h.post("/v1/commands?wait=true", create(payments)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(payments, "orders")).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(payments, "audit")).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", command("policy-" + payments, payments, "SetApprovalPolicy",
                "{\"rules\":[{\"commands\":[\"DeleteTopic\"],\"approvals\":1}]}")).status()).isEqualTo(200);
        for (String topic : new String[] {"orders", "audit"}) {
            assertThat(h.post("/v1/commands?wait=true", command("drop-" + topic, payments, "DeleteTopic", "{\"name\":\"" + topic + "\"}"))
                    .status()).isEqualTo(202);
        }
        JsonNode waiting = entry(payments, "drop-orders");
        assertThat(waiting.get("status").asText()).as("as before approvals: the proposal was recorded").isEqualTo("accepted");
        assertThat(waiting.get("proposed").asBoolean()).isTrue();
        assertThat(waiting.get("awaitingApprovals").asInt()).isEqualTo(1);
        assertThat(waiting.at("/proposal/state").asText()).isEqualTo("PENDING");
        assertThat(waiting.at("/proposal/summary").asText()).isEqualTo("awaiting 1 approval");

        long applied = asBob(approve(payments, "drop-orders")).json().get("version").asLong();
        assertThat(asBob(command("veto-audit", payments, "RejectProposal", "{\"commandId\":\"drop-audit\",\"reason\":\"compliance reads it\"}"))
                .status()).isEqualTo(200);
        JsonNode ended = entry(payments, "drop-orders");
        assertThat(ended.has("awaitingApprovals")).isFalse();
        assertThat(ended.at("/proposal/summary").asText()).isEqualTo("APPLIED v" + applied + " by bob");
        assertThat(ended.get("version").asLong()).as("the version that recorded the proposal").isLessThan(applied);
        assertThat(entry(payments, "drop-audit").at("/proposal/summary").asText()).isEqualTo("REJECTED by bob: compliance reads it");
        JsonNode veto = entry(payments, "veto-audit");
        assertThat(veto.has("proposed")).isFalse();
        assertThat(veto.at("/proposal/commandId").asText()).as("the proposal it acted on").isEqualTo("drop-audit");
        JsonNode plain = entry(payments, "policy-" + payments);
        assertThat(plain.has("proposed") || plain.has("proposal")).as("not a proposal").isFalse();

        String[] alice = {"--gateway", h.url(), "--token", GatewayHarness.TOKEN};
        assertThat(cox(alice, "history", payments, "--changes"))
                .containsPattern("DeleteTopic +alice +proposed +v\\d+, APPLIED v" + applied + " by bob")
                .containsPattern("ApproveCommand +bob +accepted +v" + applied + ", DeleteTopic drop-orders APPLIED v" + applied + " by bob")
                .containsPattern("DeleteTopic +alice +proposed +v\\d+, REJECTED by bob: compliance reads it");
        assertThat(cox(alice, "audit", "--cluster", payments, "--type", "DeleteTopic")).contains("as a proposal awaiting 1 approval(s)");
    }

    /** The cluster's history entry of {@code commandId}, without the executor's observations. */
    private static JsonNode entry(String cluster, String commandId) {
        for (JsonNode e : h.get("/v1/clusters/" + cluster + "/history?observations=false").json()) {
            if (commandId.equals(e.path("commandId").asText())) {
                return e;
            }
        }
        throw new AssertionError("no history entry of " + commandId + " on " + cluster);
    }

    @Test
    void anApprovalThatLeavesMoreToComeSaysSoAndNamesTheProposalNotItself() {
        String payments = clusterWithOrdersAndAudit();
        String[] alice = as(GatewayHarness.TOKEN);
        String[] bob = as(GatewayHarness.OTHER_TOKEN);
        String[] carol = as(GatewayHarness.THIRD_TOKEN);
        cox(alice, "approvals", "policy", payments, "--require", "DeleteTopic", "--approvals", "2");
        coxExits(8, alice, "topic", "delete", payments, "orders", "--command-id", "d2-orders");

        String first = coxExits(8, bob, "approve", payments, "d2-orders", "--command-id", "a1-" + payments);
        assertThat(first).contains("DeleteTopic proposed by alice: approved by bob, 1 more approval needed: cox approve " + payments + " d2-orders")
                .doesNotContain("awaits", "approve it with");
        JsonNode approval = h.get("/v1/commands/a1-" + payments).json();
        assertThat(approval.has("awaitingApprovals")).as("the approval itself awaits nothing: " + approval).isFalse();
        Reply again = h.post("/v1/commands?wait=true", approve(payments, "d2-orders"));
        assertThat(again.status()).as("alice proposed it: " + again).isEqualTo(422);
        String second = cox(carol, "approve", payments, "d2-orders");
        assertThat(second).contains("DeleteTopic proposed by alice: APPLIED at version");
        assertThat(h.get("/v1/clusters/" + payments).json().at("/topics/orders").isMissingNode()).as("applied after two").isTrue();

        coxExits(8, alice, "topic", "delete", payments, "audit", "--command-id", "d2-audit");
        Reply byBob = asBob(approve(payments, "d2-audit"));
        assertThat(byBob.status()).as(byBob.toString()).isEqualTo(200);
        assertThat(byBob.json().has("awaitingApprovals")).as("an approval's reply: " + byBob).isFalse();
        assertThat(byBob.json().at("/proposal/commandId").asText()).isEqualTo("d2-audit");
        assertThat(byBob.json().at("/proposal/state").asText()).isEqualTo("PENDING");
        assertThat(byBob.json().at("/proposal/awaitingApprovals").asInt()).isEqualTo(1);
        assertThat(byBob.json().at("/proposal/message").asText()).contains("cox approve " + payments + " d2-audit");
    }

    @Test
    void scriptsTellAProposalFromADoneChangeByItsExitCode() {
        String payments = clusterWithOrdersAndAudit();
        String[] alice = as(GatewayHarness.TOKEN);
        for (String role : new String[] {"controllers", "brokers"}) {
            h.observe(payments, "{\"type\":\"ComponentObserved\",\"component\":\"" + role + "\",\"desired\":3,\"ready\":3,"
                    + "\"versions\":[\"4.1.0\"]}");
        }
        cox(alice, "approvals", "policy", payments, "--require", "DeleteTopic,UpdateBrokerConfig,ResetConsumerGroupOffsets");
        h.observe(payments, "{\"type\":\"ReconciledObserved\",\"intentVersion\":" + h.get("/v1/clusters/" + payments).json()
                .get("intentVersion").asLong() + "}");

        assertThat(coxExits(8, alice, "topic", "delete", payments, "orders", "--dry-run")).contains("awaits 1 approval", "nothing written");
        assertThat(coxExits(8, alice, "topic", "delete", payments, "orders", "-o", "json")).contains("\"awaitingApprovals\" : 1");
        assertThat(cox(alice, "wait", payments, "--timeout", "30s")).as("nothing was asked of the cluster yet")
                .contains("1 change(s) await approval and are not among them: cox approvals list " + payments);

        String reset = coxExits(8, alice, "offsets", "reset", payments, "billing", "--to-earliest", "--wait", "--timeout", "30s",
                "--command-id", "r-" + payments);
        assertThat(reset).contains("ResetConsumerGroupOffsets on " + payments + ": awaits 1 approval",
                "the reset of billing on " + payments + " awaits approval under the cluster's approval policy, so --wait does not wait for it",
                "cox approve " + payments + " r-" + payments);

        String fleet = coxExits(8, alice, "fleet", "config", "--set", "log.retention.hours=48", "--clusters", payments, "--run-id", "f1");
        assertThat(fleet).contains(payments + ": proposed, awaiting 1 approval(s) (command fleet-f1-" + payments, "stopped in wave 1",
                "proposed, awaiting approval under the cluster's approval policy: " + payments + " (cox approve " + payments + " fleet-f1-" + payments)
                .doesNotContain("not sent", "cluster(s) Ready");

        // approved, then the same run again: the proposal's id returns how it ended, and the run waits for it like any change
        cox(as(GatewayHarness.OTHER_TOKEN), "approve", payments, "fleet-f1-" + payments);
        JsonNode applied = h.get("/v1/clusters/" + payments).json();
        assertThat(applied.at("/spec/brokerConfig/log.retention.hours").asText()).isEqualTo("48");
        h.observe(payments, "{\"type\":\"ReconciledObserved\",\"intentVersion\":" + applied.get("intentVersion").asLong() + "}");
        String resumed = cox(alice, "fleet", "config", "--set", "log.retention.hours=48", "--clusters", payments, "--run-id", "f1");
        assertThat(resumed).contains("(command fleet-f1-" + payments + ", version " + applied.get("intentVersion").asLong() + ")",
                payments + ": Ready, configuration applied", "fleet config f1: 1 cluster(s) Ready, configuration applied")
                .doesNotContain("awaiting", "proposed");
        assertThat(h.get("/v1/commands/fleet-f1-" + payments + ".2").status()).as("nothing sent again: " + resumed).isEqualTo(404);

        // vetoed: the same run again must not call the cluster done, nor may the same command sent again by hand
        coxExits(8, alice, "fleet", "config", "--set", "log.retention.hours=72", "--clusters", payments, "--run-id", "f2");
        cox(as(GatewayHarness.OTHER_TOKEN), "reject", payments, "fleet-f2-" + payments, "--reason", "72 hours breaks the disk budget");
        String vetoed = coxExits(1, alice, "fleet", "config", "--set", "log.retention.hours=72", "--clusters", payments, "--run-id", "f2");
        assertThat(vetoed).contains("UpdateBrokerConfig proposed by alice: REJECTED: 72 hours breaks the disk budget; nothing was applied",
                "a new command id proposes the change again").doesNotContain("configuration applied");
        String again = coxExits(1, alice, "config", "set", payments, "log.retention.hours=72", "--command-id", "fleet-f2-" + payments);
        assertThat(again).contains("REJECTED: 72 hours breaks the disk budget; nothing was applied").doesNotContain("accepted");
        assertThat(h.get("/v1/clusters/" + payments).json().at("/spec/brokerConfig/log.retention.hours").asText()).isEqualTo("48");
    }

    /** Without authentication every caller is the same principal: a first policy could never be approved, loosened or cleared. */
    @Test
    void aGatewayWithoutAuthenticationRefusesAnApprovalPolicy() {
        String prefix = "noauth-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (GatewayHarness open = GatewayHarness.start(prefix, c -> c.withAuth(Authenticator.insecureNoAuth()))) {
            String payments = "payments-" + UUID.randomUUID().toString().substring(0, 6);
            assertThat(open.post("/v1/commands?wait=true", create(payments)).status()).isEqualTo(200);
            String policy = command("policy-" + payments, payments, "SetApprovalPolicy", "{\"rules\":[{\"commands\":[\"DeleteTopic\"],\"approvals\":1}]}");
            for (String path : new String[] {"/v1/commands?dryRun=true", "/v1/commands?wait=true"}) {
                Reply refused = open.post(path, policy);
                assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
                assertThat(refused.json().get("field").asText()).isEqualTo("payload.rules");
                assertThat(refused.json().get("error").asText()).contains("an approval policy needs authenticated callers", "--insecure-no-auth",
                        "'anonymous'", "Nothing was written");
            }
            assertThat(open.post("/v1/commands?wait=true", createTopic(payments, "after")).status()).isEqualTo(200);
            assertThat(open.get("/v1/commands/policy-" + payments).status()).as("never written").isEqualTo(404);
            assertThat(open.get("/v1/clusters/" + payments).json().at("/spec/approvalPolicy").isObject()).isFalse();
            Reply clear = open.post("/v1/commands?wait=true", command("clear-" + payments, payments, "SetApprovalPolicy", "{\"rules\":[]}"));
            assertThat(clear.status()).as("clearing takes nobody's approval here, there being no policy: " + clear).isNotEqualTo(400);

            String born = "born-" + payments;
            Reply create = open.post("/v1/commands?wait=true", command("create-" + born, born, "CreateCluster", "{\"kafkaVersion\":\"4.1.0\","
                    + "\"controllers\":1,\"brokers\":1,\"storage\":{\"size\":\"1Gi\"},\"approvalPolicy\":{\"rules\":[{\"commands\":[\"DeleteTopic\"]}]}}"));
            assertThat(create.status()).as("a cluster born with a policy no one else could approve: " + create).isEqualTo(400);
            assertThat(create.json().get("field").asText()).isEqualTo("payload.approvalPolicy.rules");
            assertThat(create.json().get("error").asText()).contains("--insecure-no-auth", "Nothing was written");
            assertThat(open.get("/v1/commands/create-" + born).status()).as("never written").isEqualTo(404);
        }
    }

    @Test
    void theOpenApiDocumentNamesTheApprovalCommandsAndFields() throws IOException {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(h.get("/openapi.yaml").body());
        assertThat(doc.at("/components/schemas/CommandRequest/properties/type/enum").toString())
                .contains("SetApprovalPolicy", "ApproveCommand", "RejectProposal", "WithdrawProposal");
        assertThat(doc.at("/components/schemas/CommandResult/properties/awaitingApprovals").isObject()).isTrue();
        assertThat(doc.at("/components/schemas/Cluster/properties/spec/properties/proposals").isObject()).isTrue();
        assertThat(doc.at("/components/schemas/Cluster/properties/status/properties/proposalOutcomes").isObject()).isTrue();
        assertThat(doc.at("/components/schemas/CommandRequest/properties/payload/description").asText())
                .contains("CreateCluster takes approvalPolicy?", "payload.approvalPolicy.rules[i].commands[j]");
    }

    /** A new payments-* cluster with the topics orders and audit. */
    private static String clusterWithOrdersAndAudit() {
        String payments = "payments-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(h.post("/v1/commands?wait=true", create(payments)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(payments, "orders")).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(payments, "audit")).status()).isEqualTo(200);
        return payments;
    }

    /** cox's common options for the person holding {@code token}. */
    private static String[] as(String token) {
        return new String[] {"--gateway", h.url(), "--token", token};
    }

    private static String cox(String[] base, String... args) {
        return coxExits(0, base, args);
    }

    private static String coxExits(int expected, String[] base, String... args) {
        return GatewayHarness.coxExits(expected, base, args);
    }
}
