package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.commands.cli.Cox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code cox} end to end: the real CLI against a real gateway, node and Kafka; a cluster's life, day-2
 * control, platform components, users and client authentication, and how cox ends when refused.
 * A cluster's capacity is {@link ClusterCapacityCliTest}'s.
 */
class CoxCliTest extends CoxCliHarness {

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

    private static void observe(String observation) {
        h.observe("ops", observation);
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
