package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@code cox get --as-of/--at-version}, {@code cox diff}, {@code cox audit}, {@code cox verify} end to end. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditCliTest extends CoxCliHarness {

    static Run ok(String... args) {
        Run r = cox(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }

    static JsonNode withoutFreshness(JsonNode state) {
        ObjectNode o = state.deepCopy();
        o.remove("freshness");
        o.remove("historical");
        return o;
    }


    @Test
    @Order(1)
    void pastStatesDiffAndAuditThroughTheCli() {
        ok("create-cluster", "ledger", "--brokers", "3", "--controllers", "3", "--kafka-version", "4.1.0");
        JsonNode v1 = withoutFreshness(ok("get", "ledger", "-o", "json").json());
        Instant afterV1 = Instant.now();
        Poll.nextMillisecond();
        ok("scale", "ledger", "--brokers", "6");
        ok("topic", "create", "ledger", "entries", "--partitions", "6", "--replication-factor", "3");
        JsonNode v3 = withoutFreshness(ok("get", "ledger", "-o", "json").json());
        Instant afterV3 = Instant.now();
        Poll.nextMillisecond();
        ok("upgrade", "ledger", "--kafka-version", "4.2.0");

        assertThat(withoutFreshness(ok("get", "ledger", "--as-of", afterV1.toString(), "-o", "json").json())).isEqualTo(v1);
        assertThat(withoutFreshness(ok("get", "ledger", "--as-of", afterV3.toString(), "-o", "json").json())).isEqualTo(v3);
        assertThat(withoutFreshness(ok("get", "ledger", "--at-version", "3", "-o", "json").json())).isEqualTo(v3);
        Run table = ok("get", "ledger", "--at-version", "1");
        assertThat(table.out()).startsWith("CLUSTER").contains("ledger").contains("4.1.0").doesNotContain("entries");
        assertThat(ok("get", "ledger", "--as-of", "0s").out()).contains("4.2.0");
        assertThat(cox("get", "ledger", "--as-of", "3650d").code()).isEqualTo(5);

        Run tooEarly = cox("get", "ledger", "--as-of", "2001-01-01");
        assertThat(tooEarly.code()).isEqualTo(5);
        assertThat(tooEarly.err()).contains("did not exist as of 2001-01-01T00:00:00Z");
        Run never = cox("get", "ledger", "--at-version", "40");
        assertThat(never.code()).isEqualTo(5);
        assertThat(never.err()).contains("never reached version 40");
        Run badTime = cox("get", "ledger", "--as-of", "noonish");
        assertThat(badTime.code()).isEqualTo(2);
        assertThat(badTime.err()).contains("--as-of").contains("noonish");
        assertThat(cox("get", "ledger", "--as-of", "1h", "--at-version", "1").code()).isEqualTo(2);
        assertThat(cox("get", "--at-version", "1").err()).contains("need a CLUSTER");

        Run diff = ok("diff", "ledger", "1", "3");
        assertThat(diff.out()).contains("version 1 -> 3").contains("spec.brokers").contains("ScaleBrokers").contains("CreateTopic")
                .contains("topics[\"entries\"]").contains(GatewayHarness.PRINCIPAL);
        assertThat(ok("diff", "ledger", "3", "4", "-o", "json").json().at("/commands/0/type").asText()).isEqualTo("UpgradeKafka");
        Run badDiff = cox("diff", "ledger", "4", "2");
        assertThat(badDiff.code()).isEqualTo(2);
        assertThat(badDiff.err()).contains("must not be below");

        Run audit = ok("audit", "--cluster", "ledger");
        assertThat(audit.out().lines().toList()).hasSize(1 + 4);
        assertThat(audit.out()).startsWith("LOGGED").contains("accepted v1").contains("UpgradeKafka").contains(GatewayHarness.PRINCIPAL);
        JsonNode json = ok("audit", "--cluster", "ledger", "--type", "ScaleBrokers", "-o", "json").json();
        assertThat(json.get("matched").asLong()).isEqualTo(1);
        assertThat(json.at("/entries/0/command/payload/brokers").asInt()).isEqualTo(6);
        List<String> lines = ok("audit", "--cluster", "ledger", "--from", afterV1.toString(), "--to", afterV3.toString(), "-o", "jsonl")
                .out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"type\":\"ScaleBrokers\"");
        assertThat(ok("audit", "--issuer", "nobody").out().lines().toList()).hasSize(1);
        Run badType = cox("audit", "--type", "Scale");
        assertThat(badType.code()).isEqualTo(2);
        assertThat(badType.err()).contains("unknown type 'Scale'");

        Run history = ok("history", "ledger");
        assertThat(history.out().lines().toList()).hasSize(1 + 4);
    }

    @Test
    @Order(2)
    void verifyExitsZeroWhenIdenticalAndSixNamingTheFieldWhenTampered() throws Exception {
        ok("create-cluster", "vault", "--kafka-version", "4.1.0");
        Run identical = ok("verify");
        assertThat(identical.out()).startsWith("identical:").contains("clusters");

        ClusterState live = h.gateway.readModel().clusters().get("vault").orElseThrow();
        ClusterState forged = ClusterState.newBuilder(live).setSpec(ClusterSpec.newBuilder(live.getSpec()).setKafkaVersion("9.9.9").build()).build();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, h.node.config().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(h.node.config().topics().state(), "vault".getBytes(StandardCharsets.UTF_8),
                    h.node.codecs().states().encode(forged))).get();
        }
        Run different = cox("verify");
        assertThat(different.code()).as(different.out() + different.err()).isEqualTo(6);
        assertThat(different.out()).startsWith("DIFFERENT: 1 differences").contains("vault").contains("spec.kafkaVersion")
                .contains("4.1.0").contains("9.9.9").contains("altered");
        assertThat(cox("verify", "-o", "json").json().at("/differences/0/path").asText()).isEqualTo("spec.kafkaVersion");
    }

    @Test
    @Order(3)
    void anAuditBySelectorFollowsTheLabelsEachClusterHadWhenItsCommandsWereDecided() {
        ok("create-cluster", "sel-a", "--kafka-version", "4.1.0", "--label", "team=ledger");
        ok("create-cluster", "sel-b", "--kafka-version", "4.1.0", "--label", "team=other");
        ok("scale", "sel-b", "--brokers", "4");
        ok("label", "sel-b", "team=ledger");
        ok("scale", "sel-b", "--brokers", "5");
        ok("label", "sel-a", "team=gone");
        ok("scale", "sel-a", "--brokers", "4");

        JsonNode audit = ok("audit", "-l", "team=ledger", "-o", "json").json();
        assertThat(audit.get("entries")).extracting(e -> e.get("cluster").asText() + " " + e.get("type").asText()).as(
                "sel-b from the label change that put it in, sel-a until the one that took it out").containsExactly(
                "sel-a CreateCluster", "sel-b SetClusterLabels", "sel-b ScaleBrokers", "sel-a SetClusterLabels");
        Run table = ok("audit", "--selector", "team=ledger", "--cluster", "sel-b", "--type", "ScaleBrokers");
        assertThat(table.out().lines().skip(1).toList()).singleElement().satisfies(l -> assertThat(l).contains("sel-b", "accepted"));

        Run bad = cox("audit", "-l", "team=not valid");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--selector", "'team=not valid'");
        GatewayHarness.Reply api = h.get("/v1/audit?label=team%3Dnot%20valid");
        assertThat(api.status()).isEqualTo(400);
        assertThat(api.json().path("field").asText()).isEqualTo("label");
    }
}
