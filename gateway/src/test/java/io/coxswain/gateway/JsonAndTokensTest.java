package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.AclPermission;
import io.coxswain.avro.command.ChangeClientAuthentication;
import io.coxswain.avro.command.ChangeReplicationFactor;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.CreateUser;
import io.coxswain.avro.command.IncreasePartitions;
import io.coxswain.avro.command.RebalanceCluster;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ReplaceClusterCa;
import io.coxswain.avro.command.RestartCluster;
import io.coxswain.avro.command.RetryOperation;
import io.coxswain.avro.command.SetMaintenanceWindows;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.gateway.auth.Authenticator;
import io.coxswain.gateway.auth.Tokens;
import io.coxswain.gateway.json.BadInputException;
import io.coxswain.gateway.json.JsonCommands;
import io.coxswain.gateway.metrics.Metrics;
import io.coxswain.orchestrator.audit.StateJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts that need no Kafka: JSON ↔ Avro, tokens, the Prometheus text. */
class JsonAndTokensTest {

    @Test
    void aNestedUnionTakesItsBranchFromTypeAndRoundTrips() {
        String json = "{\"clusterId\":\"c\",\"type\":\"RecordObservation\",\"payload\":{\"observer\":\"exec-1\","
                + "\"observation\":{\"type\":\"ComponentObserved\",\"component\":\"brokers\",\"desired\":3,\"ready\":2}}}";
        Command c = JsonCommands.parse(json.getBytes(StandardCharsets.UTF_8), "exec", Instant.parse("2025-01-01T00:00:00Z"));
        ComponentObserved o = (ComponentObserved) ((RecordObservation) c.getPayload()).getObservation();
        assertThat(o.getReady()).isEqualTo(2);
        assertThat(o.getVersions()).isEmpty();
        assertThat(c.getIssuer()).isEqualTo("exec");
        String back = StateJson.toJson((RecordObservation) c.getPayload());
        assertThat(back).contains("\"observation\":{\"type\":\"ComponentObserved\",\"component\":\"brokers\"");

        assertThatThrownBy(() -> JsonCommands.parse(json.replace("ComponentObserved", "Nope").getBytes(StandardCharsets.UTF_8), "x", Instant.now()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.observation.type"));
    }

    @Test
    void day2ControlCommandsMapFromJsonWithTheirDefaults() {
        Command restart = JsonCommands.parse("{\"clusterId\":\"c\",\"type\":\"RestartCluster\",\"payload\":{\"reason\":\"rotate\"}}"
                .getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(((RestartCluster) restart.getPayload()).getComponent()).isEqualTo("all");
        Command retry = JsonCommands.parse("{\"clusterId\":\"c\",\"type\":\"RetryOperation\",\"payload\":{\"operationId\":\"Reconfigure/x\"}}"
                .getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(((RetryOperation) retry.getPayload()).getOperationId()).isEqualTo("Reconfigure/x");
        assertThatThrownBy(() -> JsonCommands.parse("{\"clusterId\":\"c\",\"type\":\"AbandonOperation\",\"payload\":{}}"
                .getBytes(StandardCharsets.UTF_8), "alice", Instant.now()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.operationId"));
        assertThatThrownBy(() -> JsonCommands.parse("{\"clusterId\":\"c\",\"type\":\"RestartCluster\",\"payload\":{\"component\":\"zk\"}}"
                .getBytes(StandardCharsets.UTF_8), "alice", Instant.now()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.component"));
        Command topics = JsonCommands.parse(("{\"clusterId\":\"c\",\"type\":\"RecordObservation\",\"payload\":{\"observer\":\"exec-1\","
                + "\"observation\":{\"type\":\"TopicsObserved\",\"unmanaged\":[\"legacy\"]}}}").getBytes(StandardCharsets.UTF_8), "exec", Instant.now());
        assertThat(((TopicsObserved) ((RecordObservation) topics.getPayload()).getObservation()).getUnmanaged()).containsExactly("legacy");
    }

    @Test
    void userCommandsMapFromJsonWithTheRulesDefaultsAndBadRulesNameTheirField() {
        Command create = JsonCommands.parse(("{\"clusterId\":\"c\",\"type\":\"CreateUser\",\"payload\":{\"name\":\"orders-app\","
                + "\"acls\":[{\"resourceType\":\"TOPIC\",\"name\":\"orders\",\"patternType\":\"PREFIXED\",\"operations\":[\"WRITE\"]}]}}")
                .getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(((CreateUser) create.getPayload()).getAcls()).singleElement().satisfies(rule -> {
            assertThat(rule.getHost()).isEqualTo("*");
            assertThat(rule.getPermission()).isEqualTo(AclPermission.ALLOW);
        });
        assertThatThrownBy(() -> JsonCommands.parse(("{\"clusterId\":\"c\",\"type\":\"UpdateUserAcls\",\"payload\":{\"name\":\"orders-app\","
                + "\"acls\":[{\"resourceType\":\"CLUSTER\",\"name\":\"c\",\"operations\":[\"ALTER\"]}]}}").getBytes(StandardCharsets.UTF_8),
                "alice", Instant.now()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.acls[0].name"));
        assertThat(JsonCommands.types()).containsSubsequence("CreateUser", "UpdateUserAcls", "DeleteUser");
    }

    @Test
    void aUsersAuthenticationMapsFromJsonDefaultingToTlsAndAnUnknownOneNamesItsField() {
        assertThat(((CreateUser) JsonCommands.parse(createUserWith(""), "alice", Instant.now()).getPayload()).getAuthentication())
                .as("left out: a client certificate").isEqualTo("TLS");
        assertThat(((CreateUser) JsonCommands.parse(createUserWith(",\"authentication\":\"SCRAM-SHA-512\""), "alice", Instant.now()).getPayload())
                .getAuthentication()).isEqualTo("SCRAM-SHA-512");
        // the gateway answers InvalidShapeException with 400 and its field
        assertThatThrownBy(() -> JsonCommands.parse(createUserWith(",\"authentication\":\"PLAIN\""), "alice", Instant.now()))
                .isInstanceOf(JsonCommands.InvalidShapeException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.authentication"))
                .hasMessageContaining("must be one of TLS, SCRAM-SHA-512, got 'PLAIN'");
    }

    private static byte[] createUserWith(String more) {
        return ("{\"clusterId\":\"c\",\"type\":\"CreateUser\",\"payload\":{\"name\":\"orders-app\",\"acls\":[]" + more + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void updateResourcesMapsFromJsonWithTheValuesLeftOutNull() {
        Command update = JsonCommands.parse("{\"clusterId\":\"c\",\"type\":\"UpdateResources\",\"payload\":{\"role\":\"brokers\",\"memory\":\"8Gi\"}}"
                .getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(update.getPayload()).isEqualTo(new io.coxswain.avro.command.UpdateResources("brokers", null, null, "8Gi", null));
        assertThat(JsonCommands.types()).containsSubsequence("UpdateResources", "UpdateUserQuotas");
        assertThatThrownBy(() -> JsonCommands.parse("{\"clusterId\":\"c\",\"type\":\"UpdateResources\",\"payload\":{\"role\":\"brokers\",\"memory\":8}}"
                .getBytes(StandardCharsets.UTF_8), "alice", Instant.now()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.memory"));
    }

    @Test
    void userQuotasMapFromJsonAndAQuotaOfTheWrongTypeNamesItsField() {
        Command update = JsonCommands.parse(("{\"clusterId\":\"c\",\"type\":\"UpdateUserQuotas\",\"payload\":{\"name\":\"orders-app\","
                + "\"quotas\":{\"producerByteRate\":1048576,\"requestPercentage\":25}}}").getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(update.getPayload()).isEqualTo(new io.coxswain.avro.command.UpdateUserQuotas("orders-app",
                new io.coxswain.avro.command.UserQuotas(1_048_576L, null, 25.0)));
        assertThat(JsonCommands.types()).containsSubsequence("UpdateUserQuotas", "IncreasePartitions", "ExpandStorage");
        assertThatThrownBy(() -> JsonCommands.parse(("{\"clusterId\":\"c\",\"type\":\"UpdateUserQuotas\",\"payload\":{\"name\":\"orders-app\","
                + "\"quotas\":{\"producerByteRate\":\"1MiB\"}}}").getBytes(StandardCharsets.UTF_8), "alice", Instant.now()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.quotas.producerByteRate"));
    }

    @Test
    void aPartitionIncreaseMapsFromJsonAndABadCountNamesItsField() {
        Command more = JsonCommands.parse("{\"clusterId\":\"c\",\"expectedVersion\":7,\"type\":\"IncreasePartitions\",\"payload\":{\"name\":\"orders\",\"partitions\":24}}"
                .getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(more.getPayload()).isEqualTo(new IncreasePartitions("orders", 24));
        assertThat(more.getExpectedVersion()).isEqualTo(7L);
        assertThat(JsonCommands.types()).containsSubsequence("CreateTopic", "UpdateTopicConfig", "DeleteTopic", "IncreasePartitions");
        for (String bad : List.of("\"partitions\":\"24\"", "\"partitions\":0", "\"partitions\":-3", "\"partitions\":2.5")) {
            String body = "{\"clusterId\":\"c\",\"type\":\"IncreasePartitions\",\"payload\":{\"name\":\"orders\"," + bad + "}}";
            assertThatThrownBy(() -> JsonCommands.parse(body.getBytes(StandardCharsets.UTF_8), "alice", Instant.now()))
                    .as(bad).isInstanceOf(BadInputException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.partitions"));
        }
    }

    @Test
    void expandStorageMapsFromJsonAndASizeOfTheWrongTypeNamesItsField() {
        Command grow = JsonCommands.parse("{\"clusterId\":\"c\",\"type\":\"ExpandStorage\",\"payload\":{\"size\":\"200Gi\"}}"
                .getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(grow.getPayload()).isEqualTo(new io.coxswain.avro.command.ExpandStorage("200Gi"));
        assertThat(JsonCommands.types()).contains("ExpandStorage");
        for (String payload : new String[] {"{\"size\":200}", "{}"}) { // a number, or nothing
            assertThatThrownBy(() -> JsonCommands.parse(("{\"clusterId\":\"c\",\"type\":\"ExpandStorage\",\"payload\":" + payload + "}")
                    .getBytes(StandardCharsets.UTF_8), "alice", Instant.now()))
                    .isInstanceOf(BadInputException.class).as(payload)
                    .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.size"));
        }
    }

    @Test
    void aReplicationFactorChangeMapsFromJsonAndABadFactorNamesItsField() {
        Command change = JsonCommands.parse("{\"clusterId\":\"c\",\"expectedVersion\":7,\"type\":\"ChangeReplicationFactor\",\"payload\":{\"name\":\"orders\",\"replicationFactor\":3}}"
                .getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(change.getPayload()).isEqualTo(new ChangeReplicationFactor("orders", 3));
        assertThat(change.getExpectedVersion()).isEqualTo(7L);
        assertThat(JsonCommands.types()).contains("ChangeReplicationFactor");
        for (String bad : List.of("\"replicationFactor\":\"3\"", "\"replicationFactor\":0", "\"replicationFactor\":101", "\"replicationFactor\":1.5")) {
            String body = "{\"clusterId\":\"c\",\"type\":\"ChangeReplicationFactor\",\"payload\":{\"name\":\"orders\"," + bad + "}}";
            assertThatThrownBy(() -> JsonCommands.parse(body.getBytes(StandardCharsets.UTF_8), "alice", Instant.now()))
                    .as(bad).isInstanceOf(BadInputException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.replicationFactor"));
        }
    }

    @Test
    void aRebalanceMapsFromJsonAndABadThrottleOrReasonNamesItsField() {
        Command rebalance = JsonCommands.parse(("{\"clusterId\":\"c\",\"expectedVersion\":4,\"type\":\"RebalanceCluster\",\"payload\":"
                + "{\"reason\":\"broker 2 replaced\",\"throttleBytesPerSecond\":52428800}}").getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(rebalance.getPayload()).isEqualTo(new RebalanceCluster("broker 2 replaced", 52_428_800L));
        assertThat(rebalance.getExpectedVersion()).isEqualTo(4L);
        // both fields are optional: no payload at all asks for a rebalance under the installation's throttle
        Command bare = JsonCommands.parse("{\"clusterId\":\"c\",\"type\":\"RebalanceCluster\"}".getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(bare.getPayload()).isEqualTo(new RebalanceCluster(null, null));
        assertThat(JsonCommands.types()).contains("RebalanceCluster");

        // not a whole number: the JSON mapping refuses it; out of bounds: the shape check does, with its bounds
        for (String throttle : List.of("\"50MiB\"", "\"52428800\"", "52428800.5", "5.24288e7", "true")) {
            assertThatThrownBy(() -> JsonCommands.parse(rebalanceWith("\"throttleBytesPerSecond\":" + throttle), "alice", Instant.now()))
                    .as(throttle).isInstanceOf(BadInputException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.throttleBytesPerSecond"))
                    .hasMessageContaining("must be a whole number");
        }
        for (long throttle : new long[] {0, 1_048_575, 10_737_418_241L}) {
            assertThatThrownBy(() -> JsonCommands.parse(rebalanceWith("\"throttleBytesPerSecond\":" + throttle), "alice", Instant.now()))
                    .as("%d", throttle).isInstanceOf(JsonCommands.InvalidShapeException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.throttleBytesPerSecond"))
                    .hasMessageContaining("between 1048576 (1 MiB/s) and 10737418240 (10 GiB/s)");
        }
        assertThatThrownBy(() -> JsonCommands.parse(rebalanceWith("\"reason\":\"" + "x".repeat(501) + "\""), "alice", Instant.now()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.reason"));
    }

    private static byte[] rebalanceWith(String field) {
        return ("{\"clusterId\":\"c\",\"type\":\"RebalanceCluster\",\"payload\":{" + field + "}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCaReplacementMapsFromJsonWithOrWithoutAPayloadAndALongReasonNamesItsField() {
        Command replace = JsonCommands.parse(("{\"clusterId\":\"c\",\"expectedVersion\":6,\"type\":\"ReplaceClusterCa\",\"payload\":"
                + "{\"reason\":\"CA key found in a public bucket\"}}").getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(replace.getPayload()).isEqualTo(new ReplaceClusterCa("CA key found in a public bucket"));
        assertThat(replace.getExpectedVersion()).isEqualTo(6L);
        assertThat(JsonCommands.types()).contains("ReplaceClusterCa");
        // the reason is optional: no payload, an empty one or a null reason all ask for a replacement without one
        for (String payload : List.of("", ",\"payload\":{}", ",\"payload\":{\"reason\":null}")) {
            assertThat(JsonCommands.parse(("{\"clusterId\":\"c\",\"type\":\"ReplaceClusterCa\"" + payload + "}").getBytes(StandardCharsets.UTF_8),
                    "alice", Instant.now()).getPayload()).as(payload).isEqualTo(new ReplaceClusterCa(null));
        }
        assertThat(JsonCommands.parse(caReplacementWith("\"" + "x".repeat(500) + "\""), "alice", Instant.now()).getPayload())
                .as("500 characters are allowed").isEqualTo(new ReplaceClusterCa("x".repeat(500)));
        assertThatThrownBy(() -> JsonCommands.parse(caReplacementWith("\"" + "x".repeat(501) + "\""), "alice", Instant.now()))
                .isInstanceOf(JsonCommands.InvalidShapeException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.reason"));
        assertThatThrownBy(() -> JsonCommands.parse(caReplacementWith("[\"why\"]"), "alice", Instant.now()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.reason"));
    }

    private static byte[] caReplacementWith(String reason) {
        return ("{\"clusterId\":\"c\",\"type\":\"ReplaceClusterCa\",\"payload\":{\"reason\":" + reason + "}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aClientAuthenticationChangeMapsFromJsonAndAMissingOrBadValueNamesItsField() {
        Command change = JsonCommands.parse(("{\"clusterId\":\"c\",\"expectedVersion\":5,\"type\":\"ChangeClientAuthentication\","
                + "\"payload\":{\"clientAuthentication\":\"OPTIONAL\"}}").getBytes(StandardCharsets.UTF_8), "alice", Instant.now());
        assertThat(change.getPayload()).isEqualTo(new ChangeClientAuthentication("OPTIONAL"));
        assertThat(change.getExpectedVersion()).isEqualTo(5L);
        assertThat(JsonCommands.types()).contains("ChangeClientAuthentication");

        // left out or not a string: the JSON mapping refuses it; a string that is not a setting (lower case too): the shape check, listing them
        for (String payload : List.of("{}", "{\"clientAuthentication\":null}", "{\"clientAuthentication\":1}", "{\"clientAuthentication\":[\"TLS\"]}")) {
            assertThatThrownBy(() -> JsonCommands.parse(clientAuthWith(payload), "alice", Instant.now()))
                    .as(payload).isInstanceOf(BadInputException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.clientAuthentication"));
        }
        for (String value : List.of("tls", "REQUIRED", "")) {
            assertThatThrownBy(() -> JsonCommands.parse(clientAuthWith("{\"clientAuthentication\":\"" + value + "\"}"), "alice", Instant.now()))
                    .as(value).isInstanceOf(JsonCommands.InvalidShapeException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.clientAuthentication"))
                    .hasMessageContaining("must be one of NONE, OPTIONAL, TLS, got '" + value + "'");
        }
    }

    private static byte[] clientAuthWith(String payload) {
        return ("{\"clusterId\":\"c\",\"type\":\"ChangeClientAuthentication\",\"payload\":" + payload + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anApprovalPolicyMapsFromJsonAndAMistakeIsA400NamingItsField() {
        Command set = JsonCommands.parse(policyWith("{\"rules\":[{\"commands\":[\"DeleteTopic\",\"*\"],\"approvals\":2}]}"), "alice",
                Instant.now());
        assertThat(set.getPayload()).isEqualTo(new io.coxswain.avro.command.SetApprovalPolicy(
                List.of(new io.coxswain.avro.command.ApprovalRule(List.of("DeleteTopic", "*"), 2)), 72));
        Map<String, String> mistakes = Map.of(
                "{\"rules\":[{\"commands\":[\"DeleteTopics\"]}]}", "payload.rules[0].commands[0]",
                "{\"rules\":[{\"commands\":[\"RecordObservation\"]}]}", "payload.rules[0].commands[0]",
                "{\"rules\":[{\"commands\":[\"ApproveCommand\"]}]}", "payload.rules[0].commands[0]",
                "{\"rules\":[{\"commands\":[\"DeleteTopic\"],\"approvals\":4}]}", "payload.rules[0].approvals",
                "{\"rules\":[{\"commands\":[]}]}", "payload.rules[0].commands",
                "{\"rules\":[],\"expiresAfterHours\":721}", "payload.expiresAfterHours");
        mistakes.forEach((payload, field) -> assertThatThrownBy(() -> JsonCommands.parse(policyWith(payload), "alice", Instant.now()))
                .as(payload).isInstanceOf(JsonCommands.InvalidShapeException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo(field)));
        assertThatThrownBy(() -> JsonCommands.parse(("{\"clusterId\":\"c\",\"type\":\"RejectProposal\",\"payload\":{\"commandId\":\"x\"}}")
                .getBytes(StandardCharsets.UTF_8), "bob", Instant.now()))
                .isInstanceOf(JsonCommands.InvalidShapeException.class).hasMessageContaining("say why the proposal is rejected")
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.reason"));
    }

    private static byte[] policyWith(String payload) {
        return ("{\"clusterId\":\"c\",\"type\":\"SetApprovalPolicy\",\"payload\":" + payload + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void maintenanceWindowsMapFromJsonAndAnythingButAnArrayOfWindowsNamesItsField() {
        Command set = JsonCommands.parse(windowsWith("{\"windows\":[\"Tue,Thu 02:00-05:00\",\"Fri 22:00-02:00\"]}", 7L), "alice", Instant.now());
        assertThat(set.getPayload()).isEqualTo(new SetMaintenanceWindows(List.of("Tue,Thu 02:00-05:00", "Fri 22:00-02:00")));
        assertThat(set.getExpectedVersion()).isEqualTo(7L);
        assertThat(JsonCommands.types()).contains("SetMaintenanceWindows");
        // an empty list, the list left out or null all mean any time: the schema's default, as for every list field
        for (String payload : List.of("{\"windows\":[]}", "{}", "{\"windows\":null}")) {
            assertThat(JsonCommands.parse(windowsWith(payload, null), "alice", Instant.now()).getPayload()).as(payload)
                    .isEqualTo(new SetMaintenanceWindows(List.of()));
        }

        // not an array: payload.windows; an element that is not a string or not a window: that element
        for (String windows : List.of("\"Tue 02:00-05:00\"", "{\"day\":\"Tue\"}", "3")) {
            assertThatThrownBy(() -> JsonCommands.parse(windowsWith("{\"windows\":" + windows + "}", null), "alice", Instant.now()))
                    .as(windows).isInstanceOf(BadInputException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.windows"))
                    .hasMessageContaining("must be an array");
        }
        assertThatThrownBy(() -> JsonCommands.parse(windowsWith("{\"windows\":[\"daily 01:00-02:00\",3]}", null), "alice", Instant.now()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.windows[1]"))
                .hasMessageContaining("must be a string");
        assertThatThrownBy(() -> JsonCommands.parse(windowsWith("{\"windows\":[\"daily 01:00-02:00\",\"Tuesday 2am-5am\"]}", null),
                "alice", Instant.now()))
                .isInstanceOf(JsonCommands.InvalidShapeException.class)
                .satisfies(e -> assertThat(((BadInputException) e).field()).isEqualTo("payload.windows[1]"))
                .hasMessageContaining("'DAYS HH:MM-HH:MM' in UTC").hasMessageContaining("got 'Tuesday 2am-5am'");
    }

    private static byte[] windowsWith(String payload, Long expectedVersion) {
        return ("{\"clusterId\":\"c\",\"type\":\"SetMaintenanceWindows\"" + (expectedVersion == null ? "" : ",\"expectedVersion\":" + expectedVersion)
                + ",\"payload\":" + payload + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void tokensFileMapsTokensToPrincipalsAndRejectsBadLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# callers\n0123456789abcdef0123 alice\n\nfedcba9876543210fedc   ci-bot\n");
        Authenticator auth = Authenticator.withTokens(Tokens.load(file));
        assertThat(auth.authenticate("Bearer 0123456789abcdef0123").principal()).isEqualTo("alice");
        assertThat(auth.authenticate("Basic " + Base64.getEncoder().encodeToString("x:fedcba9876543210fedc".getBytes(StandardCharsets.UTF_8)))
                .principal()).isEqualTo("ci-bot");
        assertThat(auth.authenticate("Bearer nope").refusal()).startsWith("unknown or malformed token");
        assertThat(auth.authenticate(null).refusal()).startsWith("missing credentials");
        assertThat(Authenticator.insecureNoAuth().authenticate(null).principal()).isEqualTo(Authenticator.ANONYMOUS);

        Files.writeString(file, "short alice\n");
        assertThatThrownBy(() -> Tokens.load(file)).hasMessageContaining("line 1").hasMessageContaining("shorter than 16");
        Files.writeString(file, "0123456789abcdef0123 alice extra\n");
        assertThatThrownBy(() -> Tokens.load(file)).hasMessageContaining("TOKEN PRINCIPAL");
        Files.writeString(file, "# nobody\n");
        assertThatThrownBy(() -> Tokens.load(file)).hasMessageContaining("nobody could call");
    }

    @Test
    void metricsAreInPrometheusTextFormat() {
        Metrics m = new Metrics();
        m.counter("x_total", "Things.", "kind").inc("a\"b");
        m.histogram("y_seconds", "Time.", "route").observe(0.003, "/v1");
        m.gauge("z", "Level.", () -> 2.5);
        m.gauge("t_timestamp_seconds", "When.", () -> 1827983391);
        String text = m.scrape();
        assertThat(text).contains("# TYPE x_total counter\nx_total{kind=\"a\\\"b\"} 1\n")
                .contains("y_seconds_bucket{route=\"/v1\",le=\"0.001\"} 0\n")
                .contains("y_seconds_bucket{route=\"/v1\",le=\"0.005\"} 1\n")
                .contains("y_seconds_bucket{route=\"/v1\",le=\"+Inf\"} 1\n")
                .contains("y_seconds_count{route=\"/v1\"} 1\n")
                .contains("# TYPE z gauge\nz 2.5\n")
                .contains("t_timestamp_seconds 1827983391\n"); // whole, exact, no exponent
    }
}
