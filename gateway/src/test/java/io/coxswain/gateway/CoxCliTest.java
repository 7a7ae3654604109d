package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.commands.cli.Cox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code cox} end to end: the real CLI against a real gateway, node and Kafka. */
class CoxCliTest {

    static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(GatewayHarness.freshTopics());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    record Run(int code, String out, String err) {
    }

    static Run cox(String... args) {
        return coxWith(GatewayHarness.TOKEN, args);
    }

    static Run coxWith(String token, String... args) {
        return coxAt(h, token, args);
    }

    /** {@code cox} against {@code gateway}'s URL, for other classes that start their own harness. */
    static Run coxAt(GatewayHarness gateway, String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--gateway", gateway.url()));
        if (token != null) {
            all.addAll(List.of("--token", token));
        }
        all.addAll(List.of(args));
        int code = Cox.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aClusterLifecycleThroughTheCli() throws Exception {
        Run created = cox("create-cluster", "payments", "--brokers", "3", "--controllers", "3", "--kafka-version", "4.1.0");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("CreateCluster on payments: accepted, version 1");

        // the watch prints the current version first; only once it has is it surely connected, so that
        // the commands below reach it as new versions (a scale accepted first would make version 2 the current one)
        StringWriter watchOut = new StringWriter();
        CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() -> Cox.run(new PrintWriter(watchOut), new PrintWriter(new StringWriter()),
                "--gateway", h.url(), "--token", GatewayHarness.TOKEN, "watch", "payments", "--count", "3"));
        Poll.until(Duration.ofSeconds(30), "the watch to print version 1", () -> watchOut.toString().contains("version 1") ? true : null);

        assertThat(cox("scale", "payments", "--brokers", "5").out()).contains("version 2");
        assertThat(cox("config", "set", "payments", "log.retention.hours=48", "num.io.threads=16").code()).isZero();
        Run topic = cox("topic", "create", "payments", "orders", "--partitions", "12", "--replication-factor", "3", "--config", "cleanup.policy=compact");
        assertThat(topic.code()).as(topic.err()).isZero();
        assertThat(cox("topic", "update", "payments", "orders", "--set", "retention.ms=1000").code()).isZero();
        assertThat(cox("config", "remove", "payments", "num.io.threads").code()).isZero();
        assertThat(cox("upgrade", "payments", "--kafka-version", "4.2.0").code()).isZero();
        assertThat(cox("topic", "delete", "payments", "orders").code()).isZero();

        assertThat(watch.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(watchOut.toString().lines().toList()).hasSize(3);
        assertThat(watchOut.toString()).contains("version 1").contains("version 2");

        Run list = cox("get");
        assertThat(list.out()).startsWith("CLUSTER").contains("payments");
        String phase = GatewayHarness.JSON.readTree(cox("get", "payments", "-o", "json").out()).at("/status/phase").asText();
        assertThat(cox("get", "--phase", phase + ",Deleted").out()).contains("payments");
        assertThat(cox("get", "--phase", "Deleted").out()).doesNotContain("payments");
        assertThat(cox("get", "payments", "--phase", "Ready").code()).isEqualTo(2);
        Run one = cox("get", "payments");
        assertThat(one.out()).contains("payments").contains("4.2.0");
        JsonNode json = GatewayHarness.JSON.readTree(cox("get", "payments", "-o", "json").out());
        assertThat(json.at("/spec/brokers").asInt()).isEqualTo(5);
        assertThat(json.at("/spec/brokerConfig/log.retention.hours").asText()).isEqualTo("48");
        String yaml = cox("get", "payments", "-o", "yaml").out();
        assertThat(yaml).contains("clusterId: payments").contains("spec:\n").contains("  brokers: 5");

        Run history = cox("history", "payments");
        assertThat(history.code()).isZero();
        assertThat(history.out()).contains("CreateCluster").contains("ScaleBrokers").contains("UpgradeKafka").contains(GatewayHarness.PRINCIPAL);
        assertThat(history.out().lines().count()).isEqualTo(1 + 8);
        JsonNode historyJson = GatewayHarness.JSON.readTree(cox("history", "payments", "-o", "json").out());
        assertThat(historyJson).hasSize(8);
    }

    @Test
    void aTopicsPartitionsAreRaisedThroughTheCliAndNeverLowered() throws Exception {
        assertThat(cox("create-cluster", "parts", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("topic", "create", "parts", "orders", "--partitions", "3", "--replication-factor", "3").code()).isZero();

        Run dry = cox("topic", "partitions", "parts", "orders", "--partitions", "6", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("IncreasePartitions on parts: would be accepted as version 3", "topics[\"orders\"].partitions: 3 -> 6");
        Run more = cox("topic", "partitions", "parts", "orders", "--partitions", "6", "--expected-version", "2");
        assertThat(more.code()).as(more.err()).isZero();
        assertThat(more.out()).contains("IncreasePartitions on parts: accepted, version 3");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "parts", "-o", "json").out()).at("/topics/orders/partitions").asInt()).isEqualTo(6);

        Run fewer = cox("topic", "partitions", "parts", "orders", "--partitions", "4");
        assertThat(fewer.code()).isEqualTo(1);
        assertThat(fewer.err()).contains("IncreasePartitions on parts rejected (PARTITIONS_CANNOT_DECREASE)", "Kafka cannot remove partitions");
        Run zero = cox("topic", "partitions", "parts", "orders", "--partitions", "0");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("[payload.partitions]");
        Run help = cox("topic", "partitions", "--help");
        assertThat(help.out()).contains("Kafka cannot lower it", "A key's partition changes with the count", "--partitions=N", "--dry-run");
    }

    @Test
    void aTopicsReplicationFactorIsChangedThroughTheCli() throws Exception {
        assertThat(cox("create-cluster", "rf", "--kafka-version", "4.1.0").code()).isZero();
        assertThat(cox("topic", "create", "rf", "orders", "--partitions", "3", "--replication-factor", "1").code()).isZero();

        Run dry = cox("topic", "replication-factor", "rf", "orders", "--replication-factor", "3", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("ChangeReplicationFactor on rf: would be accepted as version 3", "topics[\"orders\"].replicationFactor: 1 -> 3");
        Run up = cox("topic", "replication-factor", "rf", "orders", "--replication-factor", "3", "--expected-version", "2");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("ChangeReplicationFactor on rf: accepted, version 3");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "rf", "-o", "json").out()).at("/topics/orders/replicationFactor").asInt()).isEqualTo(3);

        Run tooHigh = cox("topic", "replication-factor", "rf", "orders", "--replication-factor", "4");
        assertThat(tooHigh.code()).isEqualTo(1);
        assertThat(tooHigh.err()).contains("ChangeReplicationFactor on rf rejected (REPLICATION_FACTOR_TOO_HIGH)", "more than the 3 brokers");
        Run zero = cox("topic", "replication-factor", "rf", "orders", "--replication-factor", "0");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("[payload.replicationFactor]");
        Run help = cox("topic", "replication-factor", "--help");
        assertThat(help.out()).contains("Raise or lower", "make room for a scale-in", "min.insync.replicas", "--replication-factor=N", "--dry-run");
    }

    @Test
    void day2ControlThroughTheCli() throws Exception {
        assertThat(cox("create-cluster", "ops", "--kafka-version", "4.1.0").code()).isZero();
        Run restart = cox("restart", "ops", "--component", "brokers", "--reason", "rotate JVMs", "--command-id", "restart-ops-1");
        assertThat(restart.code()).as(restart.err()).isZero();
        assertThat(restart.out()).contains("RestartCluster on ops: accepted");
        Run badComponent = cox("restart", "ops", "--component", "zookeeper");
        assertThat(badComponent.code()).isEqualTo(2);
        assertThat(badComponent.err()).contains("[payload.component]");

        Run unknown = cox("operation", "retry", "ops", "Reconfigure/nope");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("RetryOperation on ops rejected (OPERATION_NOT_FOUND)").contains("has not run any operation");
        Run none = cox("operation", "show", "ops");
        assertThat(none.code()).as(none.err()).isZero();
        assertThat(none.out()).contains("cluster ops has run no operation");

        // what an executor would report: a failed roll, and a topic made behind Coxswain's back
        observe("{\"type\":\"OperationObserved\",\"operationId\":\"RollingRestart/restart-ops-1\",\"operation\":\"RollingRestart\","
                + "\"state\":\"FAILED\",\"causeCommandId\":\"restart-ops-1\",\"reason\":\"gave up\"}");
        observe("{\"type\":\"TopicsObserved\",\"unmanaged\":[\"legacy\"]}");
        Run failed = cox("operation", "show", "ops");
        assertThat(failed.code()).as(failed.err()).isZero();
        assertThat(failed.out()).contains("RollingRestart/restart-ops-1").contains("FAILED").contains("restart-ops-1").contains("reason: gave up")
                .contains("cox operation retry ops RollingRestart/restart-ops-1");
        Run retried = cox("operation", "retry", "ops", "RollingRestart/restart-ops-1", "--reason", "disk replaced");
        assertThat(retried.code()).as(retried.err()).isZero();
        Run abandoned = cox("operation", "abandon", "ops", "RollingRestart/restart-ops-1");
        assertThat(abandoned.code()).as(abandoned.err()).isZero();
        Run again = cox("operation", "abandon", "ops", "RollingRestart/restart-ops-1");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("OPERATION_ENDED");
        assertThat(cox("operation", "show", "ops", "-o", "yaml").out()).contains("state: ABANDONED").contains("attempt: 2")
                .doesNotContain("cox operation retry");

        String yaml = cox("get", "ops", "-o", "yaml").out();
        assertThat(yaml).contains("state: ABANDONED").contains("attempt: 2").contains("reason: abandoned by " + GatewayHarness.PRINCIPAL)
                .contains("  unmanagedTopics:\n    - legacy");
        Run history = cox("history", "ops");
        assertThat(history.out()).contains("RestartCluster").contains("RetryOperation").contains("AbandonOperation");
    }

    @Test
    void platformComponentsThroughTheCli() {
        assertThat(cox("create-cluster", "platform", "--kafka-version", "4.1.0").code()).isZero();
        Run set = cox("component", "set", "platform", "schema-registry", "--replicas", "2", "--config", "schema.compatibility.level=full");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).contains("SetComponent on platform: accepted");
        Run list = cox("component", "list", "platform");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("schema-registry +2 +- +confluentinc/cp-schema-registry:8.0.0");

        Run same = cox("component", "set", "platform", "schema-registry", "--replicas", "2", "--config", "schema.compatibility.level=full");
        assertThat(same.code()).isEqualTo(1);
        assertThat(same.err()).contains("NO_CHANGE");
        Run unknown = cox("component", "set", "platform", "zookeeper", "--replicas", "1");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("[payload.component]").contains("schema-registry, connect, rest-proxy, ksqldb");
        Run managed = cox("component", "set", "platform", "connect", "--replicas", "1", "--config", "group.id=mine");
        assertThat(managed.code()).isEqualTo(2);
        assertThat(managed.err()).contains("'group.id' is managed by Coxswain for connect");

        assertThat(cox("component", "remove", "platform", "schema-registry").code()).isZero();
        assertThat(cox("component", "list", "platform").out()).contains("runs no platform components");
        assertThat(cox("history", "platform").out()).contains("SetComponent").contains("RemoveComponent");
    }

    @Test
    void usersAndTheirAclsThroughTheCli() throws Exception {
        assertThat(cox("create-cluster", "secure", "--kafka-version", "4.1.0", "--client-authentication", "TLS").code()).isZero();
        Run created = cox("create-user", "secure", "orders-app", "--acl", "topic:orders:prefixed:WRITE,DESCRIBE", "--acl", "group:orders-app:READ");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("CreateUser on secure: accepted");
        Run shown = cox("get", "secure");
        assertThat(shown.out()).contains("USERS").containsPattern("orders-app +group:orders-app:READ")
                .containsPattern("orders-app +topic:orders:prefixed:DESCRIBE,WRITE");
        JsonNode acls = GatewayHarness.JSON.readTree(cox("get", "secure", "-o", "json").out()).at("/users/orders-app/acls");
        assertThat(acls).hasSize(2);

        assertThat(cox("update-user-acls", "secure", "orders-app", "--acl", "topic:orders.created:WRITE").code()).isZero();
        Run quotas = cox("update-user-quotas", "secure", "orders-app", "--producer-byte-rate", "1048576", "--request-percentage", "25");
        assertThat(quotas.code()).as(quotas.err()).isZero();
        assertThat(cox("get", "secure").out()).containsPattern("orders-app +quotas producerByteRate=1048576, requestPercentage=25.0");
        Run badQuota = cox("update-user-quotas", "secure", "orders-app", "--consumer-byte-rate", "0");
        assertThat(badQuota.code()).isEqualTo(2);
        assertThat(badQuota.err()).contains("payload.quotas.consumerByteRate", "at least 1 byte per second");
        Run badRule = cox("update-user-acls", "secure", "orders-app", "--acl", "topic:orders");
        assertThat(badRule.code()).isEqualTo(2);
        assertThat(badRule.err()).contains("--acl: ACL 'topic:orders'", "TYPE:NAME");
        Run badOperation = cox("update-user-acls", "secure", "orders-app", "--acl", "topic:orders:PUBLISH");
        assertThat(badOperation.code()).isEqualTo(2);
        assertThat(badOperation.err()).contains("[payload.acls[0].operations]", "'PUBLISH' is not a Kafka ACL operation");

        assertThat(cox("delete-user", "secure", "orders-app").code()).isZero();
        Run gone = cox("delete-user", "secure", "orders-app");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).contains("USER_NOT_FOUND");

        assertThat(cox("create-cluster", "open", "--kafka-version", "4.1.0").code()).isZero();
        Run open = cox("create-user", "open", "orders-app");
        assertThat(open.code()).isEqualTo(1);
        assertThat(open.err()).contains("NOT_SUPPORTED_ON_CLUSTER", "does not authenticate clients (clientAuthentication NONE)");
    }

    @Test
    void aClustersSizingThroughTheCli() throws Exception {
        Run created = cox("create-cluster", "sized", "--kafka-version", "4.1.0", "--broker-cpu", "2", "--broker-cpu-limit", "4",
                "--broker-memory", "8Gi", "--broker-heap", "6g", "--controller-memory", "2Gi", "--controller-heap", "1g");
        assertThat(created.code()).as(created.err()).isZero();
        JsonNode resources = GatewayHarness.JSON.readTree(cox("get", "sized", "-o", "json").out()).at("/spec/resources");
        assertThat(resources.at("/brokers/cpuLimit").asText()).isEqualTo("4");
        assertThat(resources.at("/controllers/heap").asText()).isEqualTo("1g");
        assertThat(resources.at("/controllers/cpuRequest").isNull()).isTrue();

        Run updated = cox("update-resources", "sized", "--role", "controllers", "--memory", "4Gi", "--heap", "3g");
        assertThat(updated.code()).as(updated.err()).isZero();
        assertThat(updated.out()).contains("UpdateResources on sized: accepted, version 2");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "sized", "-o", "json").out()).at("/spec/resources/controllers/memory").asText())
                .isEqualTo("4Gi");

        Run squeezed = cox("update-resources", "sized", "--role", "brokers", "--memory", "4Gi");
        assertThat(squeezed.code()).isEqualTo(1);
        assertThat(squeezed.err()).contains("INVALID_COMMAND", "heap 6g is more than 75% of memory 4Gi");
        Run malformed = cox("update-resources", "sized", "--role", "brokers", "--cpu", "two");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("[payload.cpuRequest]", "500m or 2");
        Run nothing = cox("create-cluster", "plain", "--kafka-version", "4.1.0");
        assertThat(nothing.code()).isZero();
        assertThat(GatewayHarness.JSON.readTree(cox("get", "plain", "-o", "json").out()).at("/spec/resources").isNull())
                .as("no sizing options: the installation's defaults").isTrue();
    }

    @Test
    void aClustersVolumesGrowThroughTheCliAndNeverShrink() throws Exception {
        assertThat(cox("create-cluster", "disks", "--kafka-version", "4.1.0", "--storage", "100Gi").code()).isZero();
        Run dry = cox("expand-storage", "disks", "--size", "200Gi", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("ExpandStorage on disks: would be accepted as version 2", "spec.storage.size: \"100Gi\" -> \"200Gi\"");

        Run grown = cox("expand-storage", "disks", "--size", "200Gi", "--expected-version", "1");
        assertThat(grown.code()).as(grown.err()).isZero();
        assertThat(grown.out()).contains("ExpandStorage on disks: accepted, version 2");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "disks", "-o", "json").out()).at("/spec/storage/size").asText()).isEqualTo("200Gi");

        Run stale = cox("expand-storage", "disks", "--size", "300Gi", "--expected-version", "1");
        assertThat(stale.code()).isEqualTo(1);
        assertThat(stale.err()).contains("VERSION_CONFLICT");
        Run shrink = cox("expand-storage", "disks", "--size", "150Gi");
        assertThat(shrink.code()).isEqualTo(1);
        assertThat(shrink.err()).contains("STORAGE_CANNOT_SHRINK", "cannot shrink to 150Gi", "Kubernetes can only grow a volume");
        Run same = cox("expand-storage", "disks", "--size", "204800Mi");
        assertThat(same.code()).isEqualTo(1);
        assertThat(same.err()).contains("NO_CHANGE", "already 200Gi");
        Run malformed = cox("expand-storage", "disks", "--size", "2TB");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("[payload.size]", "(Mi, Gi or Ti)");
        assertThat(cox("expand-storage", "disks").code()).as("--size is required").isEqualTo(2);
    }

    @Test
    void aClusterIsRebalancedThroughTheCliAndShownPendingUntilItsOperationSucceeds() throws Exception {
        assertThat(cox("create-cluster", "spread", "--kafka-version", "4.1.0").code()).isZero();
        Run dry = cox("rebalance", "spread", "--reason", "broker 2 replaced", "--throttle", "50MiB", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("RebalanceCluster on spread: would be accepted as version 2", "spec.rebalance: null -> {",
                "\"throttleBytesPerSecond\":52428800");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "spread", "-o", "json").out()).at("/spec/rebalance").isNull())
                .as("a dry run writes nothing").isTrue();

        Run accepted = cox("rebalance", "spread", "--reason", "broker 2 replaced", "--throttle", "50MiB", "--expected-version", "1",
                "--command-id", "rebalance-spread-1");
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.out()).contains("RebalanceCluster on spread: accepted, version 2");
        JsonNode pending = GatewayHarness.JSON.readTree(cox("get", "spread", "-o", "json").out()).at("/spec/rebalance");
        assertThat(pending.get("commandId").asText()).isEqualTo("rebalance-spread-1");
        assertThat(pending.get("issuer").asText()).isEqualTo(GatewayHarness.PRINCIPAL);
        assertThat(pending.get("throttleBytesPerSecond").asLong()).isEqualTo(50L * 1024 * 1024);
        assertThat(cox("get", "spread").out()).contains("rebalance pending: asked by " + GatewayHarness.PRINCIPAL + " at ",
                "(command rebalance-spread-1), throttle 50 MiB/s per broker; reason: broker 2 replaced");

        // what the executor reports once it starts: meanwhile another rebalance waits, and the request stays pending
        h.observe("spread", "{\"type\":\"OperationObserved\",\"operationId\":\"Rebalance/rebalance-spread-1\",\"operation\":\"Rebalance\","
                + "\"state\":\"RUNNING\",\"causeCommandId\":\"rebalance-spread-1\"}");
        Run busy = cox("rebalance", "spread");
        assertThat(busy.code()).isEqualTo(1);
        assertThat(busy.err()).contains("RebalanceCluster on spread rejected (OPERATION_IN_PROGRESS)", "Rebalance Rebalance/rebalance-spread-1");
        assertThat(cox("get", "spread").out()).contains("Rebalancing", "rebalance pending");
        h.observe("spread", "{\"type\":\"OperationObserved\",\"operationId\":\"Rebalance/rebalance-spread-1\",\"operation\":\"Rebalance\","
                + "\"state\":\"SUCCEEDED\",\"causeCommandId\":\"rebalance-spread-1\"}");
        assertThat(cox("get", "spread").out()).doesNotContain("rebalance pending");

        assertThat(cox("create-cluster", "solo", "--kafka-version", "4.1.0", "--brokers", "1", "--controllers", "1").code()).isZero();
        Run solo = cox("rebalance", "solo", "--reason", "why not");
        assertThat(solo.code()).isEqualTo(1);
        assertThat(solo.err()).contains("RebalanceCluster on solo rejected (NO_CHANGE)", "has 1 broker", "scale it out");

        Run decimal = cox("rebalance", "spread", "--throttle", "50MB");
        assertThat(decimal.code()).isEqualTo(2);
        assertThat(decimal.err()).contains("--throttle must be bytes per second", "50MiB", "got '50MB'");
        Run tooSlow = cox("rebalance", "spread", "--throttle", "1024");
        assertThat(tooSlow.code()).isEqualTo(2);
        assertThat(tooSlow.err()).contains("[payload.throttleBytesPerSecond]", "between 1048576 (1 MiB/s) and 10737418240 (10 GiB/s)");
        assertThat(cox("history", "spread").out().lines().filter(l -> l.contains("RebalanceCluster")).count())
                .as("bad input writes nothing: the accepted one and the busy one").isEqualTo(2);
        Run help = cox("rebalance", "--help");
        assertThat(help.out()).contains("preferred leaders", "cox operation show CLUSTER", "--throttle=RATE", "--reason=<reason>", "--expected-version",
                "--dry-run");
    }

    @Test
    void aClustersClientAuthenticationMovesOneStepAtATimeThroughTheCli() throws Exception {
        assertThat(cox("create-cluster", "gated", "--kafka-version", "4.1.0").code()).isZero();
        Run dry = cox("client-authentication", "gated", "OPTIONAL", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("ChangeClientAuthentication on gated: would be accepted as version 2",
                "spec.clientAuthentication: \"NONE\" -> \"OPTIONAL\"");
        assertThat(GatewayHarness.JSON.readTree(cox("get", "gated", "-o", "json").out()).at("/spec/clientAuthentication").asText())
                .as("a dry run writes nothing").isEqualTo("NONE");

        Run skip = cox("client-authentication", "gated", "TLS");
        assertThat(skip.code()).isEqualTo(1);
        assertThat(skip.err()).contains("ChangeClientAuthentication on gated rejected (NOT_SUPPORTED_ON_CLUSTER)",
                "cannot go from clientAuthentication NONE to TLS in one step", "Change it to OPTIONAL first");
        Run optional = cox("client-authentication", "gated", "OPTIONAL", "--expected-version", "1");
        assertThat(optional.code()).as(optional.err()).isZero();
        assertThat(optional.out()).contains("ChangeClientAuthentication on gated: accepted, version 2");
        assertThat(cox("get", "gated").out()).contains("CLIENT AUTH").containsPattern("gated +2 +\\S+ +4\\.1\\.0 +3 +3 +OPTIONAL ");

        // on OPTIONAL users are taken, and they hold the cluster there: back to NONE their ACLs would silently stop applying
        assertThat(cox("create-user", "gated", "orders-app", "--acl", "topic:orders:WRITE").code()).isZero();
        Run back = cox("client-authentication", "gated", "NONE");
        assertThat(back.code()).isEqualTo(1);
        assertThat(back.err()).contains("rejected (NOT_SUPPORTED_ON_CLUSTER)", "still has users orders-app", "Delete them first");
        Run bad = cox("client-authentication", "gated", "mtls");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("[payload.clientAuthentication]", "must be one of NONE, OPTIONAL, TLS, got 'mtls'");
        assertThat(cox("history", "gated").out().lines().filter(l -> l.contains("ChangeClientAuthentication")).count())
                .as("the dry run and the bad value write nothing: the two refused and the accepted one").isEqualTo(3);
        assertThat(cox("client-authentication", "--help").out()).contains("NONE -> OPTIONAL -> TLS", "ask applications for a certificate", "ANONYMOUS",
                "SETTING", "--expected-version", "--dry-run");
    }

    private static void observe(String observation) {
        h.observe("ops", observation);
    }

    @Test
    void rejectionsBadInputAndAuthEndNonZeroWithTheReason() {
        assertThat(cox("create-cluster", "dupe", "--kafka-version", "4.1.0").code()).isZero();
        Run again = cox("create-cluster", "dupe", "--kafka-version", "4.1.0");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("rejected (CLUSTER_EXISTS)").contains("already exists");

        Run conflict = cox("scale", "dupe", "--brokers", "4", "--expected-version", "9");
        assertThat(conflict.code()).isEqualTo(1);
        assertThat(conflict.err()).contains("VERSION_CONFLICT");

        Run bad = cox("scale", "dupe", "--brokers", "0");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("[payload.brokers]");

        Run noToken = coxWith(null, "get");
        assertThat(noToken.code()).isEqualTo(4);
        assertThat(noToken.err()).contains("COX_TOKEN");

        Run missing = cox("get", "no-such-cluster");
        assertThat(missing.code()).isEqualTo(5);

        Run noFleet = cox("fleet", "upgrade", "--kafka-version", "4.2.0", "--clusters", "no-such-*");
        assertThat(noFleet.code()).as("a selector matching nothing is a mistake, not a fleet already done").isEqualTo(5);
        assertThat(noFleet.err()).contains("no cluster you may read matches --clusters no-such-*");

        Run noWait = cox("scale", "dupe", "--brokers", "4", "--no-wait");
        assertThat(noWait.code()).isZero();
        assertThat(noWait.out()).contains("pending");
        Poll.until(Duration.ofSeconds(30), "the no-wait scale to land", () -> cox("get", "dupe", "-o", "json").out().contains("\"brokers\" : 4"));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int unreachable = Cox.run(new PrintWriter(out), new PrintWriter(err), "--gateway", "http://127.0.0.1:1", "get");
        assertThat(unreachable).isEqualTo(3);
        assertThat(err.toString()).contains("cannot reach the gateway");
    }
}
