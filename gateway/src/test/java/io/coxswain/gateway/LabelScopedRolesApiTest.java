package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A team's role that follows its clusters by label ({@code role payments-ops * * team=payments}): bob
 * creates, changes and reads the clusters labelled team=payments, whatever their names, and no other;
 * he can neither create one outside the label nor move one out of it, and a cluster labelled into
 * it by an administrator becomes his to read.
 */
class LabelScopedRolesApiTest {

    private static GatewayHarness h;
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String PAY = "pay-" + SUFFIX;
    private static final String ORDERS = "ord-" + SUFFIX;
    /** bob's mirror and its source (aMirrorNeedsARoleOverItsSourceToBeSetOrApprovedButNotVetoed), also his to read in the audit trail. */
    private static final String DR = "dr-" + SUFFIX;
    private static final String BILLING = "billing-" + SUFFIX;

    @BeforeAll
    static void start() throws IOException {
        h = GatewayHarness.withRoles("labelroles-" + SUFFIX + ".", """
                reads by-role
                role platform-admin * *
                role payments-ops * * team=payments
                grant alice platform-admin
                grant bob payments-ops
                role prod-approver SetClusterLabels,ApproveCommand,RejectProposal * env=prod
                grant carol prod-approver
                """);
    }

    @AfterAll
    static void stop() throws IOException {
        h.close();
    }

    private static String create(String clusterId, String team) {
        return "{\"clusterId\":\"" + clusterId + "\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\",\"controllers\":1,"
                + "\"brokers\":1,\"storage\":{\"size\":\"1Gi\"},\"labels\":{\"team\":\"" + team + "\"}}}";
    }

    private static String labels(String clusterId, String labelsJson) {
        return "{\"clusterId\":\"" + clusterId + "\",\"type\":\"SetClusterLabels\",\"payload\":{\"labels\":" + labelsJson + "}}";
    }

    private static Reply asCarol(String body) {
        return h.send(h.request("/v1/commands?wait=true").setHeader("Authorization", "Bearer " + GatewayHarness.THIRD_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String reject(String clusterId, String proposal) {
        return "{\"clusterId\":\"" + clusterId + "\",\"type\":\"RejectProposal\",\"payload\":{\"commandId\":\"" + proposal
                + "\",\"reason\":\"prod stays prod\"}}";
    }

    private static String approve(String clusterId, String proposal) {
        return "{\"clusterId\":\"" + clusterId + "\",\"type\":\"ApproveCommand\",\"payload\":{\"commandId\":\"" + proposal + "\"}}";
    }

    /**
     * An approver's role is checked as the proposer's would be: against the labels the change leaves, not only those it finds;
     * a veto, which leaves the cluster as it is, against the labels it has.
     */
    @Test
    void anApproverWithASelectorMayNotApproveALabelChangeThatMovesTheClusterOutOfItButMayVetoIt() {
        String prod = "prod-" + SUFFIX;
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + prod + "\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":"
                + "\"4.1.0\",\"controllers\":1,\"brokers\":1,\"storage\":{\"size\":\"1Gi\"},\"labels\":{\"env\":\"prod\"}}}").status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + prod + "\",\"type\":\"SetApprovalPolicy\",\"payload\":{\"rules\":"
                + "[{\"commands\":[\"SetClusterLabels\"],\"approvals\":1}]}}").status()).isEqualTo(200);

        String move = labels(prod, "{\"env\":\"dev\"}").replace("{\"clusterId\"", "{\"commandId\":\"move-" + prod + "\",\"clusterId\"");
        assertThat(h.post("/v1/commands?wait=true", move).status()).isEqualTo(202);
        Reply away = asCarol(approve(prod, "move-" + prod));
        assertThat(away.status()).as(away.toString()).isEqualTo(403);
        assertThat(away.json().path("field").asText()).isEqualTo("payload.commandId");
        assertThat(away.json().path("error").asText()).contains("'carol' may not approve the SetClusterLabels",
                "approving a change needs a role that allows the change itself", "to be env=dev");
        assertThat(h.get("/v1/clusters/" + prod).json().at("/spec/labels/env").asText()).as("nothing written").isEqualTo("prod");
        Reply veto = asCarol(reject(prod, "move-" + prod));
        assertThat(veto.status()).as("but she may stop the change that would take it out of her care: " + veto).isEqualTo(200);
        assertThat(veto.json().at("/proposal/state").asText()).isEqualTo("REJECTED");
        assertThat(veto.json().at("/proposal/by").asText()).isEqualTo("carol");
        assertThat(h.get("/v1/clusters/" + prod).json().at("/spec/labels/env").asText()).isEqualTo("prod");

        String tier = labels(prod, "{\"env\":\"prod\",\"tier\":\"gold\"}").replace("{\"clusterId\"", "{\"commandId\":\"tier-" + prod + "\",\"clusterId\"");
        assertThat(h.post("/v1/commands?wait=true", tier).status()).isEqualTo(202);
        Reply within = asCarol(approve(prod, "tier-" + prod));
        assertThat(within.status()).as(within.toString()).isEqualTo(200);
        assertThat(within.json().at("/proposal/state").asText()).isEqualTo("APPLIED");
    }

    private static Reply asBob(String method, String path, String body) {
        HttpRequest.Builder b = h.request(path).setHeader("Authorization", "Bearer " + GatewayHarness.OTHER_TOKEN);
        return h.send((body == null ? b.GET() : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)))
                .build());
    }

    private static List<String> listedForBob() {
        List<String> ids = new ArrayList<>();
        asBob("GET", "/v1/clusters", null).json().forEach(c -> ids.add(c.path("clusterId").asText()));
        return ids;
    }

    @Test
    void aRoleWithASelectorCoversTheClustersItsLabelsMatchAndNoCommandMayMoveOneAcrossIt() {
        assertThat(asBob("POST", "/v1/commands?wait=true", create(PAY, "payments")).status()).isEqualTo(200);
        Reply outside = asBob("POST", "/v1/commands?wait=true", create(ORDERS, "orders"));
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.json().path("field").asText()).isEqualTo("clusterId");
        assertThat(outside.json().path("error").asText()).contains("may not issue CreateCluster on cluster '" + ORDERS + "' (labelled team=orders)",
                "allow CreateCluster only on clusters * labelled team=payments");
        assertThat(h.post("/v1/commands?wait=true", create(ORDERS, "orders")).status()).as("the administrator may").isEqualTo(200);

        assertThat(listedForBob()).contains(PAY).doesNotContain(ORDERS);
        assertThat(asBob("GET", "/v1/clusters/" + ORDERS, null).status()).isEqualTo(403);
        assertThat(asBob("POST", "/v1/commands?wait=true", "{\"clusterId\":\"" + ORDERS + "\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":3}}")
                .status()).isEqualTo(403);

        Reply away = asBob("POST", "/v1/commands?wait=true", labels(PAY, "{\"team\":\"orders\"}"));
        assertThat(away.status()).as("moving a cluster out of the role's label").isEqualTo(403);
        assertThat(away.json().path("error").asText()).contains("(labelled team=payments, to be team=orders)");
        assertThat(asBob("POST", "/v1/commands?wait=true", labels(PAY, "{\"team\":\"payments\",\"env\":\"prod\"}")).status()).isEqualTo(200);

        // labelled into the role by the administrator: bob's to read, once this gateway has the new labels
        assertThat(h.post("/v1/commands?wait=true", labels(ORDERS, "{\"team\":\"payments\"}")).status()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(30), ORDERS + " readable by bob", () -> asBob("GET", "/v1/clusters/" + ORDERS, null).status() == 200);
        assertThat(listedForBob()).contains(PAY, ORDERS);

        // the audit trail across bob's clusters: whole histories of what he may read now; ?label= by the labels each command found
        JsonNode all = asBob("GET", "/v1/audit", null).json();
        assertThat(all.get("entries")).extracting(e -> e.get("cluster").asText() + " " + e.get("type").asText())
                .contains(PAY + " CreateCluster", ORDERS + " CreateCluster", ORDERS + " SetClusterLabels")
                .allSatisfy(line -> assertThat(line).as("only bob's clusters").matches("(" + PAY + "|" + ORDERS + "|" + DR + "|" + BILLING + ") .*"));
        JsonNode labelled = asBob("GET", "/v1/audit?label=team%3Dpayments", null).json();
        assertThat(labelled.get("entries")).extracting(e -> e.get("cluster").asText() + " " + e.get("type").asText())
                .contains(ORDERS + " SetClusterLabels").doesNotContain(ORDERS + " CreateCluster");

        JsonNode me = asBob("GET", "/v1/whoami", null).json();
        assertThat(me.path("roles").get(0).path("selector").asText()).isEqualTo("team=payments");
    }

    /**
     * A mirror reads its source's data: a role over the target alone must not reach another team's cluster through one, whether
     * by issuing it or by approving another's proposal of it; a veto reads nothing, so the target's role is enough for that.
     */
    @Test
    void aMirrorNeedsARoleOverItsSourceToBeSetOrApprovedButNotVetoed() {
        String target = DR;
        String theirs = "ledger-" + SUFFIX;
        String ours = BILLING;
        assertThat(asBob("POST", "/v1/commands?wait=true", create(target, "payments")).status()).isEqualTo(200);
        assertThat(asBob("POST", "/v1/commands?wait=true", create(ours, "payments")).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", create(theirs, "orders")).status()).isEqualTo(200);
        assertThat(asBob("POST", "/v1/commands?wait=true", "{\"clusterId\":\"" + target + "\",\"type\":\"SetComponent\",\"payload\":"
                + "{\"component\":\"connect\",\"replicas\":1}}").status()).isEqualTo(200);

        Reply other = asBob("POST", "/v1/commands?wait=true", mirror(target, theirs));
        assertThat(other.status()).as(other.toString()).isEqualTo(403);
        assertThat(other.json().path("field").asText()).isEqualTo("payload.sourceCluster");
        assertThat(other.json().path("error").asText()).contains("'bob' may not mirror cluster '" + theirs + "' into '" + target + "'",
                "a role must allow SetMirror on the source", "labelled team=orders", "nothing was written");
        assertThat(h.get("/v1/clusters/" + target).json().at("/spec/mirrors").size()).as("nothing written").isZero();

        Reply own = asBob("POST", "/v1/commands?wait=true", mirror(target, ours));
        assertThat(own.status()).as("a source his role covers: " + own).isEqualTo(200);
        Reply admin = h.post("/v1/commands?wait=true", mirror(target, theirs).replace("\"name\":\"m\"", "\"name\":\"m2\""));
        assertThat(admin.status()).as("the administrator's role covers both: " + admin).isEqualTo(200);
        // a restart changes nothing the mirror reads: bob's role over the target is enough, though it does not cover the source
        Reply restart = asBob("POST", "/v1/commands?wait=true", "{\"clusterId\":\"" + target + "\",\"type\":\"RestartMirror\","
                + "\"payload\":{\"name\":\"m2\"}}");
        assertThat(restart.status()).as(restart.toString()).isEqualTo(200);
        assertThat(h.get("/v1/clusters/" + target).json().at("/spec/mirrors/m2/restart/onlyFailed").asBoolean()).isTrue();

        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + target + "\",\"type\":\"SetApprovalPolicy\",\"payload\":{\"rules\":"
                + "[{\"commands\":[\"SetMirror\",\"RestartMirror\"],\"approvals\":1}]}}").status()).as("a policy may cover RestartMirror")
                .isEqualTo(200);
        String fromTheirs = "from-theirs-" + SUFFIX;
        assertThat(h.post("/v1/commands?wait=true", proposedMirror(fromTheirs, target, theirs, "m3")).status()).isEqualTo(202);
        Reply approval = asBob("POST", "/v1/commands?wait=true", approve(target, fromTheirs));
        assertThat(approval.status()).as(approval.toString()).isEqualTo(403);
        assertThat(approval.json().path("field").asText()).isEqualTo("payload.commandId");
        assertThat(approval.json().path("error").asText()).contains("'bob' may not approve the SetMirror proposed as command " + fromTheirs,
                "it mirrors cluster '" + theirs + "', the source", "labelled team=orders", "nothing was written");
        assertThat(h.get("/v1/clusters/" + target).json().at("/spec/mirrors").has("m3")).as("nothing written").isFalse();
        Reply veto = asBob("POST", "/v1/commands?wait=true", reject(target, fromTheirs));
        assertThat(veto.status()).as("a veto reads nothing, so the target's role suffices: " + veto).isEqualTo(200);
        assertThat(veto.json().at("/proposal/state").asText()).isEqualTo("REJECTED");

        String fromOurs = "from-ours-" + SUFFIX;
        assertThat(h.post("/v1/commands?wait=true", proposedMirror(fromOurs, target, ours, "m4")).status()).isEqualTo(202);
        Reply approved = asBob("POST", "/v1/commands?wait=true", approve(target, fromOurs));
        assertThat(approved.status()).as("a source his role covers: " + approved).isEqualTo(200);
        assertThat(approved.json().at("/proposal/state").asText()).isEqualTo("APPLIED");
        assertThat(h.get("/v1/clusters/" + target).json().at("/spec/mirrors/m4/sourceCluster").asText()).isEqualTo(ours);
    }

    private static String proposedMirror(String commandId, String target, String source, String name) {
        return mirror(target, source).replace("\"name\":\"m\"", "\"name\":\"" + name + "\"")
                .replace("{\"clusterId\"", "{\"commandId\":\"" + commandId + "\",\"clusterId\"");
    }

    private static String mirror(String target, String source) {
        return "{\"clusterId\":\"" + target + "\",\"type\":\"SetMirror\",\"payload\":{\"name\":\"m\",\"sourceCluster\":\"" + source + "\"}}";
    }
}
