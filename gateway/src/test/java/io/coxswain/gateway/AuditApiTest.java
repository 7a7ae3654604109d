package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The audit routes against a real gateway, node and Kafka: past states equal the states that were live
 * then (captured with GET while the commands were written), diff, audit filters and export, and verify
 * (identical, then a tampered state record). Verify runs last: the tampering stays on the state topic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditApiTest {

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

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String command(String cluster, String type, String payload) {
        return "{\"clusterId\":\"" + cluster + "\",\"type\":\"" + type + "\",\"payload\":" + payload + "}";
    }

    /** The live state at {@code version} without the read model's freshness: the part a past state must equal. */
    static JsonNode live(String cluster, long version) {
        Reply r = h.get("/v1/clusters/" + cluster + "?minVersion=" + version);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        ObjectNode j = (ObjectNode) r.json();
        j.remove("freshness");
        return j;
    }

    static JsonNode past(String cluster, String query) {
        Reply r = h.get("/v1/clusters/" + cluster + "?" + query);
        assertThat(r.status()).as(query + " -> " + r).isEqualTo(200);
        ObjectNode j = (ObjectNode) r.json();
        assertThat(j.has("historical")).isTrue();
        assertThat(j.has("freshness")).isFalse();
        j.remove("historical");
        return j;
    }

    record Captured(long version, Instant at, JsonNode state) {
    }


    @Test
    @Order(1)
    void asOfAndAtVersionAnswerExactlyTheStateThatWasLiveThen() {
        String cluster = id("asof");
        String other = id("other");
        Instant before = Instant.now();
        Poll.nextMillisecond();
        List<String> commands = List.of(create(cluster), create(other), createTopic(cluster, "orders"),
                command(cluster, "ScaleBrokers", "{\"brokers\":5}"), createTopic(cluster, "orders") /* rejected: exists */,
                createTopic(other, "x"), command(cluster, "UpdateBrokerConfig", "{\"set\":{\"log.retention.hours\":\"48\"}}"),
                command(cluster, "UpgradeKafka", "{\"kafkaVersion\":\"4.2.0\"}"), command(cluster, "DeleteTopic", "{\"name\":\"orders\"}"));
        List<Captured> captured = new ArrayList<>();
        long version = 0;
        for (String c : commands) {
            Reply r = h.post("/v1/commands?wait=true", c);
            assertThat(r.status()).as(c + " -> " + r).isIn(200, 422);
            if (c.contains(cluster) && r.status() == 200) {
                version = r.json().get("version").asLong();
            }
            if (version > 0) {
                JsonNode state = live(cluster, version);
                captured.add(new Captured(version, Instant.now(), state));
            }
            Poll.nextMillisecond();
        }
        assertThat(version).isEqualTo(6);

        Reply notYet = h.get("/v1/clusters/" + cluster + "?asOf=" + enc(before.toString()));
        assertThat(notYet.status()).as(notYet.toString()).isEqualTo(404);
        assertThat(notYet.json().get("error").asText()).contains(cluster).contains("did not exist as of");

        Set<Long> versions = new HashSet<>();
        for (Captured c : captured) {
            assertThat(past(cluster, "asOf=" + enc(c.at().toString()))).as("as of %s (version %d)", c.at(), c.version()).isEqualTo(c.state());
            if (versions.add(c.version())) {
                assertThat(past(cluster, "atVersion=" + c.version())).as("at version %d", c.version()).isEqualTo(c.state());
            }
        }
        assertThat(versions).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        // the same time written with an offset names the same instant
        Captured third = captured.get(3);
        String plusOne = third.at().atOffset(java.time.ZoneOffset.ofHours(1)).toString();
        assertThat(past(cluster, "asOf=" + enc(plusOne))).isEqualTo(third.state());

        Reply never = h.get("/v1/clusters/" + cluster + "?atVersion=99");
        assertThat(never.status()).isEqualTo(404);
        assertThat(never.json().get("error").asText()).contains("never reached version 99");
        assertThat(h.get("/v1/clusters/" + id("nobody") + "?atVersion=1").status()).isEqualTo(404);

        assertBadRequest("/v1/clusters/" + cluster + "?asOf=yesterday", "asOf", "ISO-8601");
        assertBadRequest("/v1/clusters/" + cluster + "?atVersion=three", "atVersion", "whole number");
        assertBadRequest("/v1/clusters/" + cluster + "?atVersion=0", "atVersion", "at least 1");
        assertBadRequest("/v1/clusters/" + cluster + "?atVersion=1&asOf=" + enc(before.toString()), "atVersion", "not both");
        assertBadRequest("/v1/clusters/" + cluster + "?atVersion=1&minVersion=1", "minVersion", "cannot be combined");
    }

    static void assertBadRequest(String path, String field, String says) {
        Reply r = h.get(path);
        assertThat(r.status()).as(path + " -> " + r).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("error").asText()).contains(says);
    }

    @Test
    @Order(2)
    void diffSaysWhatChangedAndWhichCommandsDidIt() {
        String cluster = id("diff");
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        String scale = h.post("/v1/commands?wait=true", command(cluster, "ScaleBrokers", "{\"brokers\":5}")).json().get("commandId").asText();
        String topic = h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).json().get("commandId").asText();

        Reply r = h.get("/v1/clusters/" + cluster + "/diff?from=1&to=3");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode d = r.json();
        assertThat(d.get("from").asLong()).isEqualTo(1);
        assertThat(d.get("to").asLong()).isEqualTo(3);
        JsonNode brokers = change(d, "spec.brokers");
        assertThat(brokers.get("before").asInt()).isEqualTo(3);
        assertThat(brokers.get("after").asInt()).isEqualTo(5);
        assertThat(brokers.get("causedBy")).extracting(JsonNode::asText).containsExactly(scale);
        assertThat(change(d, "topics[\"orders\"]").get("causedBy")).extracting(JsonNode::asText).containsExactly(topic);
        assertThat(d.get("commands")).hasSize(2);
        assertThat(d.at("/commands/0/commandId").asText()).isEqualTo(scale);
        assertThat(d.at("/commands/0/type").asText()).isEqualTo("ScaleBrokers");
        assertThat(d.at("/commands/0/issuer").asText()).isEqualTo(GatewayHarness.PRINCIPAL);
        assertThat(d.at("/commands/0/changed").toString()).contains("spec.brokers");
        assertThat(d.at("/commands/1/version").asLong()).isEqualTo(3);

        assertThat(h.get("/v1/clusters/" + cluster + "/diff?from=0&to=1").json().get("commands")).hasSize(1);
        Reply tooFar = h.get("/v1/clusters/" + cluster + "/diff?from=1&to=9");
        assertThat(tooFar.status()).isEqualTo(404);
        assertThat(tooFar.json().get("error").asText()).contains("no version 9").contains("latest version is 3");
        assertBadRequest("/v1/clusters/" + cluster + "/diff?from=3&to=1", "to", "must not be below");
        assertBadRequest("/v1/clusters/" + cluster + "/diff?to=1", "from", "required");
        assertBadRequest("/v1/clusters/" + cluster + "/diff?from=1&to=x", "to", "whole number");
    }

    static JsonNode change(JsonNode diff, String path) {
        for (JsonNode c : diff.get("changes")) {
            if (c.get("path").asText().equals(path)) {
                return c;
            }
        }
        throw new AssertionError("no change of " + path + " in " + diff);
    }

    @Test
    @Order(3)
    void auditFiltersByClusterIssuerTypeAndTimeAndExportsJsonLines() throws Exception {
        String cluster = id("audit");
        Instant start = Instant.now();
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        Reply byBob = h.send(h.request("/v1/commands?wait=true").setHeader("Authorization", "Bearer " + GatewayHarness.OTHER_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(createTopic(cluster, "t1"))).build());
        assertThat(byBob.status()).isEqualTo(200);
        Poll.nextMillisecond();
        Instant middle = Instant.now();
        Poll.nextMillisecond();
        assertThat(h.post("/v1/commands?wait=true", command(cluster, "ScaleBrokers", "{\"brokers\":4}")).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "t1")).status()).isEqualTo(422);

        JsonNode all = h.get("/v1/audit?cluster=" + cluster).json();
        assertThat(all.get("matched").asLong()).isEqualTo(4);
        assertThat(all.get("truncated").asBoolean()).isFalse();
        assertThat(all.get("entries")).extracting(e -> e.get("type").asText())
                .containsExactly("CreateCluster", "CreateTopic", "ScaleBrokers", "CreateTopic");
        JsonNode rejected = all.get("entries").get(3);
        assertThat(rejected.at("/decision/outcome/type").asText()).isEqualTo("CommandRejected");
        assertThat(rejected.at("/decision/outcome/reason").asText()).contains("t1");
        assertThat(all.at("/entries/0/decision/outcome/version").asLong()).isEqualTo(1);
        assertThat(all.at("/entries/0/issuer").asText()).isEqualTo(GatewayHarness.PRINCIPAL);
        assertThat(all.at("/entries/0/actions").isArray()).isTrue();

        JsonNode bob = h.get("/v1/audit?cluster=" + cluster + "&issuer=" + GatewayHarness.OTHER_PRINCIPAL).json();
        assertThat(bob.get("entries")).hasSize(1);
        assertThat(bob.at("/entries/0/command/payload/name").asText()).isEqualTo("t1");

        JsonNode topics = h.get("/v1/audit?cluster=" + cluster + "&type=CreateTopic").json();
        assertThat(topics.get("matched").asLong()).isEqualTo(2);
        JsonNode late = h.get("/v1/audit?cluster=" + cluster + "&from=" + enc(middle.toString())).json();
        assertThat(late.get("entries")).extracting(e -> e.get("type").asText()).containsExactly("ScaleBrokers", "CreateTopic");
        JsonNode early = h.get("/v1/audit?cluster=" + cluster + "&from=" + enc(start.toString()) + "&to=" + enc(middle.toString())).json();
        assertThat(early.get("entries")).extracting(e -> e.get("type").asText()).containsExactly("CreateCluster", "CreateTopic");
        // across clusters: every CreateCluster of this test class, filtered by type only
        assertThat(h.get("/v1/audit?type=CreateCluster").json().get("matched").asLong()).isGreaterThanOrEqualTo(1);

        Reply limited = h.get("/v1/audit?cluster=" + cluster + "&limit=1");
        assertThat(limited.json().get("entries")).hasSize(1);
        assertThat(limited.json().get("truncated").asBoolean()).isTrue();
        assertThat(limited.header("Coxswain-Truncated")).isEqualTo("true");
        assertThat(limited.header("Coxswain-Matched")).isEqualTo("4");

        Reply lines = h.send(h.request("/v1/audit?cluster=" + cluster).header("Accept", "application/x-ndjson").GET().build());
        assertThat(lines.status()).isEqualTo(200);
        assertThat(lines.header("Content-Type")).startsWith("application/x-ndjson");
        List<String> each = lines.body().lines().toList();
        assertThat(each).hasSize(4);
        for (int i = 0; i < each.size(); i++) {
            assertThat(GatewayHarness.JSON.readTree(each.get(i))).isEqualTo(all.get("entries").get(i));
        }
        assertThat(h.get("/v1/audit?cluster=" + cluster + "&format=jsonl").body()).isEqualTo(lines.body());

        assertBadRequest("/v1/audit?from=last-tuesday", "from", "ISO-8601");
        assertBadRequest("/v1/audit?from=" + enc(middle.toString()) + "&to=" + enc(start.toString()), "to", "range is empty");
        assertBadRequest("/v1/audit?type=Upgrade", "type", "UpgradeKafka");
        assertBadRequest("/v1/audit?limit=0", "limit", "at least 1");
        assertBadRequest("/v1/audit?format=xml", "format", "json or jsonl");
        Reply anonymous = h.send(HttpRequest.newBuilder(java.net.URI.create(h.url() + "/v1/audit")).GET().build());
        assertThat(anonymous.status()).isEqualTo(401);
        Reply anonymousVerify = h.send(HttpRequest.newBuilder(java.net.URI.create(h.url() + "/v1/audit/verify")).GET().build());
        assertThat(anonymousVerify.status()).isEqualTo(401);
    }

    @Test
    @Order(10)
    void verifyIsIdenticalUntilAStateRecordIsTamperedWith() throws Exception {
        String cluster = id("verify");
        String clean = id("clean");
        assertThat(h.post("/v1/commands?wait=true", create(clean)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "a")).status()).isEqualTo(200);

        JsonNode ok = h.get("/v1/audit/verify").json();
        assertThat(ok.get("identical").asBoolean()).as(ok.toString()).isTrue();
        assertThat(ok.get("differences")).isEmpty();
        assertThat(ok.get("clusters").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(ok.get("commands").asLong()).isGreaterThanOrEqualTo(2);

        ClusterState live = h.gateway.readModel().clusters().get(cluster).orElseThrow();
        ClusterState forged = ClusterState.newBuilder(live).setSpec(ClusterSpec.newBuilder(live.getSpec()).setBrokers(42).build()).build();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, h.node.config().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(h.node.config().topics().state(), cluster.getBytes(StandardCharsets.UTF_8),
                    h.node.codecs().states().encode(forged))).get();
        }

        JsonNode bad = h.get("/v1/audit/verify").json();
        assertThat(bad.get("identical").asBoolean()).as(bad.toString()).isFalse();
        assertThat(bad.get("differences")).hasSize(1);
        JsonNode d = bad.get("differences").get(0);
        assertThat(d.get("cluster").asText()).isEqualTo(cluster);
        assertThat(d.get("path").asText()).isEqualTo("spec.brokers");
        assertThat(d.get("replayed").asInt()).isEqualTo(3);
        assertThat(d.get("live").asInt()).isEqualTo(42);
        assertThat(d.get("liveVersion").asLong()).isEqualTo(2);
        assertThat(d.get("explanation").asText()).contains("altered");

        JsonNode one = h.get("/v1/audit/verify?cluster=" + cluster).json();
        assertThat(one.get("clusters").asInt()).isEqualTo(1);
        assertThat(one.get("identical").asBoolean()).isFalse();
        JsonNode untouched = h.get("/v1/audit/verify?cluster=" + clean).json();
        assertThat(untouched.get("identical").asBoolean()).as(untouched.toString()).isTrue();
        assertThat(untouched.get("clusters").asInt()).isEqualTo(1);
    }
}
