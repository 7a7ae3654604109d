package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/commands and GET /v1/commands/{id} against a real node and Kafka: every status code of the contract. */
class CommandsApiTest {

    static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(GatewayHarness.freshTopics());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String id(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void postWithoutWaitAnswers202AndTheDecisionCanBeFollowed() {
        String cluster = id("nowait");
        Reply r = h.post("/v1/commands", create(cluster));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        String commandId = r.json().get("commandId").asText();
        assertThat(r.json().get("status").asText()).isEqualTo("pending");
        assertThat(r.header("Location")).isEqualTo("/v1/commands/" + commandId);
        // known at once on this instance, even before the record is read back
        Reply status = h.get("/v1/commands/" + commandId);
        assertThat(status.status()).isEqualTo(200);
        JsonNode done = Poll.until(Duration.ofSeconds(30), "the decision of " + commandId, () -> {
            JsonNode j = h.get("/v1/commands/" + commandId).json();
            return j.get("status").asText().equals("accepted") ? j : null;
        });
        assertThat(done.get("version").asLong()).isEqualTo(1);
        assertThat(done.get("issuer").asText()).isEqualTo(GatewayHarness.PRINCIPAL);
        assertThat(done.get("type").asText()).isEqualTo("CreateCluster");
        assertThat(done.get("issuedAt").asText()).isNotBlank();
    }

    @Test
    void waitAnswersTheDecisionAndTheNextReadSeesIt() {
        String cluster = id("wait");
        Reply r = h.post("/v1/commands?wait=true", "{\"commandId\":\"c-1\"," + create(cluster).substring(1));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("accepted");
        assertThat(r.json().get("version").asLong()).isEqualTo(1);
        assertThat(r.json().get("commandId").asText()).isEqualTo("c-1");
        Reply read = h.get("/v1/clusters/" + cluster);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void theReplySaysWhereItsTimeWentInAServerTimingHeader() {
        String cluster = id("timing");
        Reply accepted = h.post("/v1/commands?wait=true", create(cluster));
        assertThat(accepted.status()).isEqualTo(200);
        Map<String, Double> phases = serverTiming(accepted);
        assertThat(phases).containsOnlyKeys("write", "decision", "state", "total");
        double parts = phases.get("write") + phases.get("decision") + phases.get("state");
        assertThat(phases.get("total")).as("%s", phases).isGreaterThanOrEqualTo(parts - 0.3); // each rounded to 0.1 ms
        assertThat(phases.get("decision")).as("a fold commits before its decision is seen: %s", phases).isPositive();

        Reply rejected = h.post("/v1/commands?wait=true", create(cluster)); // exists: no new state to wait for
        assertThat(rejected.status()).isEqualTo(409);
        assertThat(serverTiming(rejected)).containsOnlyKeys("write", "decision", "total");

        Reply pending = h.post("/v1/commands", "{\"clusterId\":\"" + cluster + "\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":5}}");
        assertThat(pending.status()).isEqualTo(202);
        assertThat(serverTiming(pending)).containsOnlyKeys("write", "total");
    }

    private static final Pattern TIMING_ENTRY = Pattern.compile("([a-z]+);dur=(\\d+\\.\\d)");

    /** {@code Server-Timing: write;dur=1.2, decision;dur=20.4, ...} as name → milliseconds, in order. */
    private static Map<String, Double> serverTiming(Reply r) {
        String header = r.header("Server-Timing");
        assertThat(header).as(r.toString()).isNotNull();
        Map<String, Double> out = new LinkedHashMap<>();
        for (String entry : header.split(", ")) {
            Matcher m = TIMING_ENTRY.matcher(entry);
            assertThat(m.matches()).as("entry '%s' of '%s'", entry, header).isTrue();
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    @Test
    void rejectionsMapTo409And422WithCodeAndReason() {
        String cluster = id("reject");
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);

        Reply exists = h.post("/v1/commands?wait=true", create(cluster));
        assertThat(exists.status()).as(exists.toString()).isEqualTo(409);
        assertThat(exists.json().get("status").asText()).isEqualTo("rejected");
        assertThat(exists.json().get("code").asText()).isEqualTo("CLUSTER_EXISTS");
        assertThat(exists.json().get("reason").asText()).contains(cluster);

        Reply conflict = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster
                + "\",\"expectedVersion\":7,\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":5}}");
        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
        assertThat(conflict.json().get("code").asText()).isEqualTo("VERSION_CONFLICT");
        assertThat(conflict.json().get("currentVersion").asLong()).isEqualTo(1);

        Reply missing = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + id("ghost") + "\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":5}}");
        assertThat(missing.status()).as(missing.toString()).isEqualTo(422);
        assertThat(missing.json().get("code").asText()).isEqualTo("CLUSTER_NOT_FOUND");

        String rejectedId = exists.json().get("commandId").asText();
        JsonNode status = h.get("/v1/commands/" + rejectedId).json();
        assertThat(status.get("status").asText()).isEqualTo("rejected");
        assertThat(status.get("code").asText()).isEqualTo("CLUSTER_EXISTS");
        assertThat(status.get("reason").asText()).isNotBlank();
    }

    @Test
    void resendingACommandIdAnswersTheFirstOutcomeAndAppliesOnce() {
        String cluster = id("dup");
        String body = "{\"commandId\":\"same\"," + create(cluster).substring(1);
        Reply first = h.post("/v1/commands?wait=true", body);
        Reply again = h.post("/v1/commands?wait=true", body);
        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("version").asLong()).isEqualTo(1);
        JsonNode history = Poll.until(Duration.ofSeconds(30), "two history entries", () -> {
            JsonNode j = h.get("/v1/clusters/" + cluster + "/history").json();
            return j.size() == 2 && j.get(1).has("duplicate") ? j : null;
        });
        assertThat(history.get(1).get("duplicate").asBoolean()).isTrue();
        assertThat(h.get("/v1/clusters/" + cluster).json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void badInputIs400NamingTheField() {
        assertBad("{\"clusterId\": \"x\", ", null, "malformed JSON");
        assertBad("[1,2]", null, "JSON object");
        assertBad("", null, "JSON object");
        assertBad("{\"clusterId\":\"x\",\"type\":\"Explode\",\"payload\":{}}", "type", "unknown command type 'Explode'");
        assertBad("{\"clusterId\":\"x\",\"payload\":{}}", "type", "required");
        assertBad("{\"clusterId\":\"x\",\"type\":\"ScaleBrokers\",\"payload\":{}}", "payload.brokers", "required");
        assertBad("{\"clusterId\":\"x\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":\"three\"}}", "payload.brokers", "whole number");
        assertBad("{\"clusterId\":\"x\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":2.5}}", "payload.brokers", "whole number");
        assertBad("{\"clusterId\":\"x\",\"type\":\"ScaleBrokers\",\"payload\":{\"broker\":3}}", "payload.broker", "not a field of ScaleBrokers");
        assertBad("{\"clusterId\":\"x\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":0}}", "payload.brokers", "between 1 and");
        assertBad("{\"clusterId\":\"Not_A_Label\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":3}}", "clusterId", "DNS-1123");
        assertBad("{\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":3}}", "clusterId", "required");
        assertBad("{\"clusterId\":\"kube-system\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\",\"controllers\":3,"
                + "\"brokers\":3,\"storage\":{\"size\":\"10Gi\"}}}", "clusterId", "a namespace Kubernetes keeps for itself");
        assertBad("{\"clusterId\":\"x\",\"expectedVersion\":\"1\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":3}}", "expectedVersion", "whole number");
        assertBad("{\"clusterId\":\"x\",\"unchangedSinceVersion\":\"1\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":3}}", "unchangedSinceVersion", "whole number");
        assertBad("{\"clusterId\":\"x\",\"unchangedSinceVersion\":-1,\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":3}}", "unchangedSinceVersion", "0 or more");
        assertBad("{\"clusterId\":\"x\",\"issuer\":\"root\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":3}}", "issuer", "set by the gateway");
        assertBad("{\"clusterId\":\"x\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,"
                + "\"storage\":{\"size\":\"10Gi\"},\"externalAccess\":\"MOON\"}}", "payload.externalAccess", "one of [NONE");
        assertBad("{\"clusterId\":\"x\",\"type\":\"CreateTopic\",\"payload\":{\"name\":\"t\",\"partitions\":1,\"replicationFactor\":1,"
                + "\"config\":{\"retention.ms\":5}}}", "payload.config.retention.ms", "must be a string");
        assertBad("{\"clusterId\":\"x\",\"type\":\"UpdateBrokerConfig\",\"payload\":{\"set\":{\"node.id\":\"3\"}}}", "payload.set", "managed by Coxswain");
        assertBad("{\"clusterId\":\"x\",\"type\":\"UpdateResources\",\"payload\":{\"role\":\"brokers\",\"memory\":\"4GB\"}}",
                "payload.memory", "4Gi or 512Mi");
        assertBad("{\"clusterId\":\"x\",\"type\":\"UpdateResources\",\"payload\":{\"role\":\"kafka\",\"heap\":\"2g\"}}",
                "payload.role", "brokers, controllers");
        assertBad("{\"clusterId\":\"x\",\"type\":\"UpdateResources\",\"payload\":{\"memory\":\"4Gi\"}}", "payload.role", "required");
        assertBad("{\"clusterId\":\"x\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,"
                + "\"storage\":{\"size\":\"10Gi\"},\"resources\":{\"brokers\":{\"memory\":\"4Gi\",\"heap\":\"4g\"}}}}",
                "payload.resources.brokers.heap", "more than 75% of memory 4Gi");
        assertBad("{\"clusterId\":\"x\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,"
                + "\"storage\":{\"size\":\"10Gi\"},\"resources\":{\"brokers\":{\"ram\":\"4Gi\"}}}}",
                "payload.resources.brokers.ram", "not a field of RoleResources");
        String huge = "{\"clusterId\":\"x\",\"type\":\"PauseReconciliation\",\"payload\":{\"reason\":\"" + "a".repeat(70_000) + "\"}}";
        assertBad(huge, null, "larger than the gateway's limit");
    }

    @Test
    void aClustersSizingIsTakenAtCreationChangedByRoleAndShownOnTheCluster() {
        String cluster = id("sized");
        Reply created = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"CreateCluster\",\"payload\":{"
                + "\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"},"
                + "\"resources\":{\"brokers\":{\"cpuRequest\":\"1\",\"memory\":\"4Gi\",\"heap\":\"3g\"}}}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode resources = h.get("/v1/clusters/" + cluster).json().at("/spec/resources");
        assertThat(resources.get("controllers").isNull()).as("the installation's defaults: %s", resources).isTrue();
        assertThat(resources.at("/brokers/memory").asText()).isEqualTo("4Gi");

        Reply updated = h.post("/v1/commands?wait=true", resize(cluster, "\"memory\":\"8Gi\",\"heap\":\"6g\""));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        JsonNode brokers = h.get("/v1/clusters/" + cluster + "?minVersion=" + updated.json().get("version").asLong()).json().at("/spec/resources/brokers");
        assertThat(brokers.get("cpuRequest").asText()).as("left out: kept").isEqualTo("1");
        assertThat(brokers.get("memory").asText()).isEqualTo("8Gi");
        assertThat(brokers.get("heap").asText()).isEqualTo("6g");

        Reply same = h.post("/v1/commands?wait=true", resize(cluster, "\"memory\":\"8Gi\""));
        assertThat(same.status()).as(same.toString()).isEqualTo(422);
        assertThat(same.json().get("code").asText()).isEqualTo("NO_CHANGE");
        Reply squeezed = h.post("/v1/commands?wait=true", resize(cluster, "\"heap\":\"7g\""));
        assertThat(squeezed.status()).as(squeezed.toString()).isEqualTo(422);
        assertThat(squeezed.json().get("code").asText()).isEqualTo("INVALID_COMMAND");
        assertThat(squeezed.json().get("reason").asText()).contains("payload.heap", "heap 7g is more than 75% of memory 8Gi");
    }

    private static String resize(String cluster, String values) {
        return "{\"clusterId\":\"" + cluster + "\",\"type\":\"UpdateResources\",\"payload\":{\"role\":\"brokers\"," + values + "}}";
    }

    private static void assertBad(String body, String field, String messagePart) {
        Reply r = h.post("/v1/commands?wait=true", body);
        assertThat(r.status()).as(body.length() > 200 ? body.substring(0, 200) : body).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.get("error").asText()).as(r.toString()).contains(messagePart);
        if (field == null) {
            assertThat(j.get("field").isNull()).as(r.toString()).isTrue();
        } else {
            assertThat(j.get("field").asText()).as(r.toString()).isEqualTo(field);
        }
    }

    @Test
    void withoutAValidTokenNothingIsWrittenAndTheIssuerIsTheCaller() {
        String cluster = id("auth");
        HttpRequest noToken = HttpRequest.newBuilder(java.net.URI.create(h.url() + "/v1/commands?wait=true"))
                .POST(HttpRequest.BodyPublishers.ofString(create(cluster))).build();
        Reply r = h.send(noToken);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).contains("Bearer");
        Reply wrong = h.send(HttpRequest.newBuilder(java.net.URI.create(h.url() + "/v1/commands?wait=true"))
                .header("Authorization", "Bearer not-a-token-of-anyone").POST(HttpRequest.BodyPublishers.ofString(create(cluster))).build());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(h.send(HttpRequest.newBuilder(java.net.URI.create(h.url() + "/v1/clusters")).GET().build()).status()).isEqualTo(401);

        // a command from bob, in the same partition order as anything written before it: once it is read, so would be the 401s
        Reply bob = h.send(HttpRequest.newBuilder(java.net.URI.create(h.url() + "/v1/commands?wait=true"))
                .header("Authorization", "Bearer " + GatewayHarness.OTHER_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"clusterId\":\"" + cluster + "\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":5}}")).build());
        assertThat(bob.status()).as(bob.toString()).isEqualTo(422);
        JsonNode history = h.get("/v1/clusters/" + cluster + "/history").json();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("issuer").asText()).isEqualTo(GatewayHarness.OTHER_PRINCIPAL);
        assertThat(h.get("/v1/clusters/" + cluster).status()).isEqualTo(404);
    }

    @Test
    void unknownCommandIs404() {
        Reply r = h.get("/v1/commands/never-sent");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).contains("never-sent");
    }
}
