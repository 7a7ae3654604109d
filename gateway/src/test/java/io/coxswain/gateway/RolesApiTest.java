package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.gateway.GatewayHarness.Reply;
import io.coxswain.commands.cli.Cox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway with a roles file: alice is a platform admin, bob may only manage topics of the
 * payments clusters. A refused command gets 403 naming the field, and is never written.
 */
class RolesApiTest {

    private static GatewayHarness h;

    @BeforeAll
    static void start() throws IOException {
        h = GatewayHarness.withRoles("roles-" + UUID.randomUUID().toString().substring(0, 8) + ".", """
                role platform-admin * *
                role payments-dev CreateTopic,UpdateTopicConfig,DeleteTopic payments-*
                grant alice platform-admin
                grant bob payments-dev
                """);
    }

    @AfterAll
    static void stop() throws IOException {
        h.close();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 6);
    }

    private static Reply asBob(String body) {
        return h.send(h.request("/v1/commands?wait=true").setHeader("Authorization", "Bearer " + GatewayHarness.OTHER_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aRoleAllowsItsCommandsOnItsClustersAndTheLogRecordsWhoIssuedThem() {
        String payments = "payments-" + suffix();
        assertThat(h.post("/v1/commands?wait=true", create(payments)).status()).isEqualTo(200);
        Reply topic = asBob(createTopic(payments, "orders-events"));
        assertThat(topic.status()).as(topic.toString()).isEqualTo(200);
        JsonNode command = h.get("/v1/commands/" + topic.json().get("commandId").asText()).json();
        assertThat(command.get("issuer").asText()).isEqualTo(GatewayHarness.OTHER_PRINCIPAL);
    }

    @Test
    void aCommandOutsideTheCallersRolesIsRefusedWith403AndNeverWritten() {
        String payments = "payments-" + suffix();
        String orders = "orders-" + suffix();
        assertThat(h.post("/v1/commands?wait=true", create(payments)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", create(orders)).status()).isEqualTo(200);

        Reply otherCluster = asBob(createTopic(orders, "t1").replace("{\"clusterId\"", "{\"commandId\":\"bob-topic-" + orders + "\",\"clusterId\""));
        assertThat(otherCluster.status()).as(otherCluster.toString()).isEqualTo(403);
        assertThat(otherCluster.json().get("field").asText()).isEqualTo("clusterId");
        assertThat(otherCluster.json().get("error").asText()).contains("'bob'", "CreateTopic", "'" + orders + "'", "payments-*");

        String delete = "{\"commandId\":\"bob-delete-" + payments + "\",\"clusterId\":\"" + payments + "\",\"type\":\"DeleteCluster\",\"payload\":{}}";
        Reply otherType = asBob(delete);
        assertThat(otherType.status()).as(otherType.toString()).isEqualTo(403);
        assertThat(otherType.json().get("field").asText()).isEqualTo("type");
        assertThat(otherType.json().get("error").asText()).contains("may not issue DeleteCluster", "CreateTopic, DeleteTopic, UpdateTopicConfig");

        // Commands of one cluster are decided in log order: once alice's later commands are decided,
        // a written refused command would have been decided too. It is unknown, and the cluster stands.
        assertThat(h.post("/v1/commands?wait=true", createTopic(payments, "after")).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(orders, "after")).status()).isEqualTo(200);
        assertThat(h.get("/v1/commands/bob-topic-" + orders).status()).isEqualTo(404);
        assertThat(h.get("/v1/commands/bob-delete-" + payments).status()).isEqualTo(404);
        assertThat(h.get("/v1/clusters/" + payments).json().at("/status/phase").asText()).isNotEqualTo("Deleting");
        assertThat(h.get("/v1/clusters/" + orders).json().get("topics").toString()).contains("after").doesNotContain("t1");
        assertThat(h.get("/metrics").body()).contains("coxswain_gateway_commands_total{type=\"DeleteCluster\",result=\"forbidden\"} 1");
    }

    /** An administrator's * does not let a person assert what an executor observed (an intentVersion, an operation's end). */
    @Test
    void everyCommandDoesNotIncludeTheExecutorsObservations() {
        String payments = "payments-" + suffix();
        assertThat(h.post("/v1/commands?wait=true", create(payments)).status()).isEqualTo(200);
        Reply forged = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + payments + "\",\"type\":\"RecordObservation\",\"payload\":"
                + "{\"observer\":\"exec-1\",\"observation\":{\"type\":\"IntentVersionReplayed\",\"intentVersion\":1}}}");
        assertThat(forged.status()).as(forged.toString()).isEqualTo(403);
        assertThat(forged.json().get("field").asText()).isEqualTo("type");
        assertThat(forged.json().get("error").asText()).contains("'alice'", "may not issue RecordObservation", "* does not cover RecordObservation");
        assertThat(h.get("/v1/clusters/" + payments).json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void whoamiSaysWhoTheCallerIsAndWhatItsRolesAllow() {
        JsonNode bob = h.send(h.request("/v1/whoami").setHeader("Authorization", "Bearer " + GatewayHarness.OTHER_TOKEN).GET().build()).json();
        assertThat(bob.get("principal").asText()).isEqualTo("bob");
        assertThat(bob.get("rolesEnforced").asBoolean()).isTrue();
        assertThat(bob.at("/roles/0/name").asText()).isEqualTo("payments-dev");
        assertThat(bob.at("/roles/0/commands").toString()).isEqualTo("[\"CreateTopic\",\"DeleteTopic\",\"UpdateTopicConfig\"]");
        assertThat(bob.at("/roles/0/clusters").toString()).isEqualTo("[\"payments-*\"]");
        JsonNode alice = h.get("/v1/whoami").json();
        assertThat(alice.at("/roles/0/commands").toString()).isEqualTo("[\"*\"]");
    }

    @Test
    void coxSaysWhatTheRolesAllowAndExitsWith4WhenRefused() {
        String orders = "orders-" + suffix();
        assertThat(h.post("/v1/commands?wait=true", create(orders)).status()).isEqualTo(200);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] base = {"--gateway", h.url(), "--token", GatewayHarness.OTHER_TOKEN};
        assertThat(Cox.run(new PrintWriter(out), new PrintWriter(err), GatewayHarness.concat(base, "whoami"))).isZero();
        assertThat(out.toString()).contains("principal: bob").containsPattern("payments-dev +CreateTopic,DeleteTopic,UpdateTopicConfig +payments-\\*");

        int code = Cox.run(new PrintWriter(out), new PrintWriter(err), GatewayHarness.concat(base, "topic", "create", orders, "t1", "--partitions", "1", "--replication-factor", "1"));
        assertThat(code).as(err.toString()).isEqualTo(4);
        assertThat(err.toString()).contains("may not issue CreateTopic on cluster '" + orders + "'");
    }
}
