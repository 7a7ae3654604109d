package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.commands.cli.Cox;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/commands?dryRun=true} and {@code cox --dry-run}: the fold's decision and changes, nothing written. */
class DryRunApiTest {

    private static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(GatewayHarness.freshTopics());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static String id(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static String scale(String cluster, String commandId, int brokers) {
        return "{\"commandId\":\"" + commandId + "\",\"clusterId\":\"" + cluster + "\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":" + brokers + "}}";
    }

    private static List<String> paths(JsonNode reply) {
        List<String> paths = new ArrayList<>();
        reply.get("changes").forEach(c -> paths.add(c.get("path").asText()));
        return paths;
    }

    @Test
    void aDryRunAnswersTheDecisionAndTheChangesAndWritesNothing() {
        String cluster = id("dry");
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        int historyBefore = h.get("/v1/clusters/" + cluster + "/history").json().size();

        Reply dry = h.post("/v1/commands?dryRun=true", scale(cluster, "dry-scale-" + cluster, 5));
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(dry.json().get("dryRun").asBoolean()).isTrue();
        assertThat(dry.json().get("status").asText()).isEqualTo("accepted");
        assertThat(dry.json().get("asOfVersion").asLong()).isEqualTo(1);
        assertThat(dry.json().get("version").asLong()).isEqualTo(2);
        JsonNode brokers = null;
        for (JsonNode c : dry.json().get("changes")) {
            if (c.get("path").asText().equals("spec.brokers")) {
                brokers = c;
            }
        }
        assertThat(brokers).as(dry.body()).isNotNull();
        assertThat(brokers.get("before").asInt()).isEqualTo(3);
        assertThat(brokers.get("after").asInt()).isEqualTo(5);

        // nothing was written: the cluster, its history and the command id are as before
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/brokers").asInt()).isEqualTo(3);
        assertThat(h.get("/v1/commands/dry-scale-" + cluster).status()).isEqualTo(404);
        // a real command after it is decided as previewed; the same id was still free
        Reply real = h.post("/v1/commands?wait=true", scale(cluster, "dry-scale-" + cluster, 5));
        assertThat(real.status()).isEqualTo(200);
        assertThat(real.json().get("version").asLong()).isEqualTo(2);
        assertThat(h.get("/v1/clusters/" + cluster + "/history").json().size()).isEqualTo(historyBefore + 1);
        assertThat(h.get("/metrics").body()).contains("coxswain_gateway_commands_total{type=\"ScaleBrokers\",result=\"dry-run\"}");
    }

    @Test
    void aDryRunOfARefusedCommandAnswersTheRejectionWithTheRealStatus() {
        String cluster = id("dry-refused");
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);

        Reply missing = h.post("/v1/commands?dryRun=true", scale(id("no-such-cluster"), id("c"), 4));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("code").asText()).isEqualTo("CLUSTER_NOT_FOUND");
        assertThat(missing.json().get("asOfVersion").asLong()).isZero();
        assertThat(missing.json().get("changes").size()).isZero();

        Reply exists = h.post("/v1/commands?dryRun=true", create(cluster));
        assertThat(exists.status()).isEqualTo(409);
        assertThat(exists.json().get("code").asText()).isEqualTo("CLUSTER_EXISTS");

        // a repeated command id is previewed as its first decision, flagged as a repeat
        String first = id("first");
        assertThat(h.post("/v1/commands?wait=true", scale(cluster, first, 4)).status()).isEqualTo(200);
        Reply repeat = h.post("/v1/commands?dryRun=true", scale(cluster, first, 4));
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.json().get("duplicate").asBoolean()).isTrue();
        assertThat(repeat.json().get("version").asLong()).isEqualTo(2);
        assertThat(paths(repeat.json())).isEmpty();
    }

    @Test
    void coxDryRunPrintsTheChangesAndExitsAsTheRealCommandWould() {
        String cluster = id("dry-cox");
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        String[] base = {"--gateway", h.url(), "--token", GatewayHarness.TOKEN};
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Cox.run(new PrintWriter(out), new PrintWriter(err), GatewayHarness.concat(base, "scale", cluster, "--brokers", "6", "--dry-run")))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("ScaleBrokers on " + cluster + ": would be accepted as version 2 (dry run against version 1; nothing written)")
                .contains("spec.brokers: 3 -> 6");
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/brokers").asInt()).isEqualTo(3);

        int code = Cox.run(new PrintWriter(out), new PrintWriter(err),
                GatewayHarness.concat(base, "scale", cluster, "--brokers", "6", "--dry-run", "--expected-version", "7"));
        assertThat(code).as("exit code of a rejection").isEqualTo(1);
        assertThat(err.toString()).contains("would be rejected (VERSION_CONFLICT)").contains("nothing written");
    }
}
