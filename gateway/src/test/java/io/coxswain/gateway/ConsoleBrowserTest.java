package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real headless Chromium ({@link ConsolePage}), against a real node and gateway: sign
 * in, see the clusters, follow one live, change it, and read why a change was refused. Skipped where
 * Debian's chromium and chromium-driver are not installed ({@code .ci/run} installs them).
 */
class ConsoleBrowserTest extends ConsoleBrowserHarness {

    /** Creates a cluster named {@code prefix} and a random suffix, through the API. */
    private static String newCluster(String prefix) {
        String cluster = prefix + UUID.randomUUID().toString().substring(0, 6);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        return cluster;
    }

    /** Creates a cluster named {@code prefix} and a random suffix, signs in and follows it live on the page. */
    private static String followNewCluster(String prefix) {
        String cluster = newCluster(prefix);
        openCluster(cluster);
        return cluster;
    }

    /** The cluster as the API returns it. */
    private static JsonNode fromApi(String cluster) {
        return h.get("/v1/clusters/" + cluster).json();
    }

    @Test
    void anOperatorSeesAClusterLiveChangesItAndReadsWhyAChangeWasRefused() {
        String cluster = newCluster("console-");

        assertThat(page.currentUrl()).endsWith("/console/");
        page.signIn(GatewayHarness.TOKEN);
        page.awaitContains("who", "signed in as alice");
        page.follow(cluster);
        assertThat(page.text("c-version")).isEqualTo("1");
        assertThat(page.text("c-brokers")).isEqualTo("3");
        assertThat(page.text("c-acted")).as("no executor in this test").isEqualTo("not yet: the change at version 1");

        page.type("scale-brokers", "4");
        page.click("#scale-form button").awaitText("result", "ScaleBrokers accepted: version 2").awaitText("c-brokers", "4");
        page.awaitContains("history", "ScaleBrokers");
        assertThat(page.text("history")).contains("alice");

        // a change made elsewhere arrives over the watch, with no click
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "made-elsewhere")).status()).isEqualTo(200);
        page.awaitContains("topics", "made-elsewhere");
        assertThat(page.text("c-version")).isEqualTo("3");
        h.observe(cluster, "{\"type\":\"ReconciledObserved\",\"intentVersion\":3}");
        page.awaitText("c-acted", "every change asked for (the latest at version 3)");
        // the history shows what someone asked; the executor's records only when asked for. The page fetches the history after
        // rendering each state the watch brings, so the table may not have the CreateTopic yet when the state shows it
        page.awaitContains("history", "CreateTopic");
        assertThat(page.text("history")).doesNotContain("RecordObservation");
        page.click("#history-observations").awaitContains("history", "RecordObservation");

        page.type("topic-name", "too-wide").type("topic-replication", "9");
        page.click("#topic-form button").awaitContains("result", "CreateTopic rejected, REPLICATION_FACTOR_TOO_HIGH");
        assertThat(page.text("result")).contains("replication factor 9");
        assertThat(page.text("topics")).doesNotContain("too-wide");
    }

    /**
     * The reply comes once the gateway has waited its read wait for the state it holds back: on a second gateway of the node
     * whose read wait (--read-wait-timeout) is 1 s rather than the default 10 s, the whole of which this test would wait.
     */
    @Test
    void aChangeTheGatewayHasNotReadYetSaysWhichVersionItHadAndShowsOnceRead() {
        String cluster = newCluster("console-behind-");
        try (Gateway behind = h.another(c -> c.withTimeouts(c.decisionTimeout(), Duration.ofSeconds(1), c.sendTimeout()))) {
            page.freshTab(behind.url());
            openCluster(cluster);
            behind.readModel().holdStates(true);
            try {
                page.type("scale-brokers", "4");
                page.click("#scale-form button").awaitText("result", "ScaleBrokers accepted: version 2 (this gateway still had version 1 when it answered)");
                assertThat(page.text("c-brokers")).as("the page shows what the gateway has read").isEqualTo("3");
            } finally {
                behind.readModel().holdStates(false);
            }
            page.awaitText("c-version", "2").awaitText("c-brokers", "4");
        }
    }

    @Test
    void anOperatorCreatesAClusterUpgradesItAndAddsAComponentFromTheConsole() {
        String cluster = "console-new-" + UUID.randomUUID().toString().substring(0, 6);
        page.signIn(GatewayHarness.TOKEN);
        page.awaitContains("who", "signed in as alice");

        page.type("new-id", cluster).type("new-brokers", "4");
        page.preview("create-form").awaitContains("create-result", "CreateCluster would be accepted as version 1");
        assertThat(page.text("create-result")).contains("spec: null \u2192 {").contains("\"brokers\":4");
        assertThat(h.get("/v1/clusters/" + cluster).status()).as("a preview creates nothing").isEqualTo(404);

        page.submit("create-form").awaitText("create-result", "CreateCluster accepted: version 1").awaitText("c-id", cluster);
        page.awaitText("c-brokers", "4");
        assertThat(fromApi(cluster).at("/spec/brokers").asInt()).isEqualTo(4);

        // the same id again is refused by the fold, and the console says why
        page.submit("create-form").awaitContains("create-result", "CreateCluster rejected, CLUSTER_EXISTS");

        page.awaitText("c-live", "(live)");
        page.type("upgrade-version", "4.2.0");
        // a preview shows the decision and the changes, and writes nothing
        page.preview("upgrade-form").awaitContains("result", "UpgradeKafka would be accepted as version 2");
        assertThat(page.text("result")).contains("spec.kafkaVersion: \"4.1.0\" \u2192 \"4.2.0\"");
        assertThat(fromApi(cluster).get("version").asLong()).isEqualTo(1);
        assertThat(page.text("c-kafka")).isEqualTo("4.1.0");

        page.submit("upgrade-form").awaitText("result", "UpgradeKafka accepted: version 2").awaitText("c-kafka", "4.2.0");

        page.type("component-replicas", "2").click("#component-form button").awaitText("result", "SetComponent accepted: version 3");
        // asked for, not yet running: no executor watches this gateway's node
        page.awaitContains("components", "schema-registry 2");
        assertThat(page.text("components")).contains("not yet observed");
        assertThat(fromApi(cluster).at("/spec/components/schema-registry/replicas").asInt()).isEqualTo(2);

        page.type("component-replicas", "0").click("#component-form button").awaitText("result", "RemoveComponent accepted: version 4");
        assertThat(fromApi(cluster).at("/spec/components").size()).isZero();
    }

    @Test
    void anOperatorResizesTheBrokersFromTheConsoleAndReadsWhyASqueezeWasRefused() {
        String cluster = followNewCluster("console-size-");
        assertThat(page.text("c-sizing")).isEqualTo("installation defaults");

        page.type("resize-memory", "8Gi").type("resize-heap", "6g");
        page.preview("resize-form").awaitContains("result", "UpdateResources would be accepted as version 2");
        assertThat(page.text("result")).contains("spec.resources: null \u2192 {");
        assertThat(fromApi(cluster).get("version").asLong()).as("a preview writes nothing").isEqualTo(1);

        page.submit("resize-form").awaitText("result", "UpdateResources accepted: version 2");
        page.awaitText("c-sizing", "controllers: defaults; brokers: memory 8Gi, heap 6g");

        page.type("resize-memory", "4Gi").type("resize-heap", "");
        page.submit("resize-form").awaitContains("result", "UpdateResources rejected, INVALID_COMMAND");
        assertThat(page.text("result")).contains("heap 6g is more than 75% of memory 4Gi");
        assertThat(fromApi(cluster).at("/spec/resources/brokers/memory").asText()).isEqualTo("8Gi");
    }

    @Test
    void anOperatorRaisesATopicsPartitionsFromTheConsoleAndReadsWhyFewerWereRefused() {
        String cluster = newCluster("console-parts-");
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        openCluster(cluster);
        assertThat(page.text("topics")).contains("orders 3 1");

        page.type("partitions-topic", "orders").type("partitions-count", "8");
        page.preview("partitions-form").awaitContains("result", "IncreasePartitions would be accepted as version 3");
        assertThat(page.text("result")).contains("topics[\"orders\"].partitions: 3 \u2192 8");
        page.submit("partitions-form").awaitText("result", "IncreasePartitions accepted: version 3").awaitContains("topics", "orders 8 1");

        page.type("partitions-count", "4");
        page.submit("partitions-form").awaitContains("result", "IncreasePartitions rejected, PARTITIONS_CANNOT_DECREASE");
        assertThat(page.text("result")).contains("Kafka cannot remove partitions");
        assertThat(fromApi(cluster).at("/topics/orders/partitions").asInt()).isEqualTo(8);
    }

    @Test
    void aTopicKafkaRefusedShowsKafkasAnswerUntilItIsFixed() {
        String cluster = newCluster("console-refused-");
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        openCluster(cluster);
        page.awaitContains("topics", "orders 3 1 -");
        h.observe(cluster, "{\"type\":\"TopicsRefusedObserved\",\"topics\":{\"orders\":{\"reason\":\"Invalid value abc for configuration"
                + " retention.ms\",\"commandId\":\"c-1\"}}}");
        page.awaitContains("topics", ": Invalid value abc for configuration retention.ms");
        assertThat(page.text("topics")).containsPattern("orders 3 1 refused since \\S+: Invalid value abc");
        h.observe(cluster, "{\"type\":\"TopicsRefusedObserved\",\"topics\":{}}");
        page.awaitContains("topics", "orders 3 1 -");
    }

    @Test
    void anOperatorGrowsTheVolumesFromTheConsoleAndReadsWhyAShrinkWasRefused() {
        String cluster = followNewCluster("console-disk-");
        String size = fromApi(cluster).at("/spec/storage/size").asText();
        assertThat(page.text("c-storage")).isEqualTo(size);

        page.type("storage-size", "2Ti").preview("storage-form").awaitContains("result", "ExpandStorage would be accepted as version 2");
        assertThat(page.text("result")).contains("spec.storage.size: \"" + size + "\" \u2192 \"2Ti\"");
        assertThat(fromApi(cluster).get("version").asLong()).as("a preview writes nothing").isEqualTo(1);

        page.submit("storage-form").awaitText("result", "ExpandStorage accepted: version 2").awaitText("c-storage", "2Ti");

        page.type("storage-size", "1Ti").submit("storage-form").awaitContains("result", "ExpandStorage rejected, STORAGE_CANNOT_SHRINK");
        assertThat(page.text("result")).contains("cannot shrink to 1Ti");
        assertThat(fromApi(cluster).at("/spec/storage/size").asText()).isEqualTo("2Ti");
    }

    @Test
    void anOperatorChangesATopicsReplicationFactorFromTheConsoleAndReadsWhyTooHighWasRefused() {
        String cluster = newCluster("console-rf-");
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        openCluster(cluster);
        assertThat(page.text("topics")).contains("orders 3 1");

        page.type("replication-topic", "orders").type("replication-factor", "3");
        page.preview("replication-form").awaitContains("result", "ChangeReplicationFactor would be accepted as version 3");
        assertThat(page.text("result")).contains("topics[\"orders\"].replicationFactor: 1 \u2192 3");
        page.submit("replication-form").awaitText("result", "ChangeReplicationFactor accepted: version 3").awaitContains("topics", "orders 3 3");

        page.type("replication-factor", "4");
        page.submit("replication-form").awaitContains("result", "ChangeReplicationFactor rejected, REPLICATION_FACTOR_TOO_HIGH");
        assertThat(page.text("result")).contains("more than the 3 brokers");
        assertThat(fromApi(cluster).at("/topics/orders/replicationFactor").asInt()).isEqualTo(3);
    }

    @Test
    void anOperatorRebalancesAClusterFromTheConsoleSeesItPendingAndReadsWhyASecondWasRefusedWhileItRunsThenAsksForANewCa() {
        String cluster = followNewCluster("console-rebal-");
        assertThat(page.text("c-rebalance")).isEqualTo("none");
        assertThat(page.text("c-ca-replacement")).isEqualTo("none");

        page.type("rebalance-reason", "broker 2 replaced").type("rebalance-throttle", "20");
        page.preview("rebalance-form").awaitContains("result", "RebalanceCluster would be accepted as version 2");
        assertThat(page.text("result")).contains("spec.rebalance: null \u2192 {", "\"reason\":\"broker 2 replaced\"", "\"throttleBytesPerSecond\":20971520");
        assertThat(fromApi(cluster).get("version").asLong()).as("a preview writes nothing").isEqualTo(1);

        page.submit("rebalance-form").awaitText("result", "RebalanceCluster accepted: version 2");
        page.awaitContains("c-rebalance", "pending, asked by alice at ");
        assertThat(page.text("c-rebalance")).endsWith(", 20 MiB/s per broker \u2014 broker 2 replaced");
        String commandId = fromApi(cluster).at("/spec/rebalance/commandId").asText();

        // what the executor reports once it starts; a second request is refused while it runs, and the page says why
        String rebalancing = "{\"type\":\"OperationObserved\",\"operationId\":\"Rebalance/" + commandId + "\",\"operation\":\"Rebalance\","
                + "\"causeCommandId\":\"" + commandId + "\",\"state\":";
        h.observe(cluster, rebalancing + "\"RUNNING\"}");
        page.awaitText("c-operation", "Rebalance \u2014 RUNNING");
        assertThat(page.text("c-phase")).isEqualTo("Rebalancing");
        page.type("rebalance-throttle", "").submit("rebalance-form").awaitContains("result", "RebalanceCluster rejected, OPERATION_IN_PROGRESS");
        assertThat(page.text("result")).contains("in the middle of Rebalance Rebalance/" + commandId);

        h.observe(cluster, rebalancing + "\"SUCCEEDED\"}");
        page.awaitText("c-rebalance", "none");

        // a CA replacement from its form, at the version the page shows: previewed, then pending beside the operation
        page.type("ca-reason", "yearly rotation").preview("ca-form").awaitContains("result", "ReplaceClusterCa would be accepted as version");
        assertThat(page.text("result")).contains("spec.caReplacement: null \u2192 {", "\"reason\":\"yearly rotation\"");
        page.submit("ca-form").awaitContains("c-ca-replacement", "pending, asked by alice at ");
        assertThat(page.text("c-ca-replacement")).endsWith(" \u2014 yearly rotation");
        assertThat(fromApi(cluster).at("/spec/caReplacement/reason").asText()).isEqualTo("yearly rotation");
    }

    @Test
    void anOperatorMovesClientAuthenticationOneStepFromTheConsoleAndReadsWhySkippingOneWasRefused() {
        String cluster = followNewCluster("console-auth-");
        assertThat(page.text("c-client-auth")).isEqualTo("NONE \u2014 no client certificates, no ACLs");
        assertThat(page.text("c-ca")).isEqualTo("not reported yet");
        Select setting = page.select("client-auth-setting");
        assertThat(setting.getFirstSelectedOption().getText()).as("the form starts from the cluster's setting").isEqualTo("NONE");

        setting.selectByVisibleText("TLS");
        page.submit("client-auth-form").awaitContains("result", "ChangeClientAuthentication rejected, NOT_SUPPORTED_ON_CLUSTER");
        assertThat(page.text("result")).contains("cannot go from clientAuthentication NONE to TLS in one step", "Change it to OPTIONAL first");

        setting.selectByVisibleText("OPTIONAL");
        page.preview("client-auth-form").awaitContains("result", "ChangeClientAuthentication would be accepted as version 2");
        assertThat(page.text("result")).contains("spec.clientAuthentication: \"NONE\" \u2192 \"OPTIONAL\"");
        assertThat(fromApi(cluster).get("version").asLong()).as("a preview writes nothing").isEqualTo(1);

        page.submit("client-auth-form").awaitText("result", "ChangeClientAuthentication accepted: version 2");
        page.awaitContains("c-client-auth", "OPTIONAL \u2014 a certificate asked for, not required");
        assertThat(page.text("c-client-auth")).contains("the others connect as ANONYMOUS");
        assertThat(fromApi(cluster).at("/spec/clientAuthentication").asText()).isEqualTo("OPTIONAL");
        // users are accepted on OPTIONAL: one with a password, listed with its authentication, opens the SCRAM listener
        page.type("user-name", "ledger-app");
        page.select("user-authentication").selectByValue("SCRAM-SHA-512");
        page.submit("user-form");
        page.await(ExpectedConditions.textToBe(By.cssSelector("#users tbody"), "ledger-app SCRAM-SHA-512 none: may do nothing"));
        assertThat(fromApi(cluster).at("/spec/scramListener").asBoolean()).isTrue();

        // the executor reports the cluster's CA, a second one trusted beside it: shown beside the client authentication
        h.observe(cluster, "{\"type\":\"CaObserved\",\"fingerprint\":\"AB:CD:EF:01:23:45:67:89:" + "00:".repeat(23) + "FF\","
                + "\"notAfter\":\"2031-12-06T09:30:00Z\",\"trusted\":[\"AB:CD\",\"EF:01\"]}");
        page.awaitText("c-ca", "AB:CD:EF:01:23:45:67:89\u2026 valid until 2031-12-06 (2 CAs trusted: a renewal or replacement is under way)");
        assertThat(page.element("c-ca").getAttribute("title")).as("the whole fingerprint").hasSize(95).endsWith(":00:FF");
    }

    @Test
    void anOperatorSetsMaintenanceWindowsFromTheConsoleSeesWhatWaitsAndClearsThemOnlyOnPurpose() {
        String cluster = followNewCluster("console-windows-");
        assertThat(page.text("c-windows")).isEqualTo("any time");
        assertThat(page.text("c-deferred")).isEqualTo("none");
        // an empty box is not "any time": the form will not send until windows are typed or that is ticked
        assertThat(page.script("return document.getElementById('windows-form').checkValidity()")).isEqualTo(false);
        assertThat(page.element("windows-text").getAttribute("validationMessage")).contains("tick \"any time\"");

        WebElement box = page.element("windows-text");
        box.sendKeys("Tue,Thu 02:00-05:00\n\nFri 22:00-02:00\n");
        page.preview("windows-form").awaitContains("result", "SetMaintenanceWindows would be accepted as version 2");
        assertThat(page.text("result")).contains("spec.maintenanceWindows[0]: null \u2192 \"Tue,Thu 02:00-05:00\"",
                "spec.maintenanceWindows[1]: null \u2192 \"Fri 22:00-02:00\"");
        assertThat(fromApi(cluster).get("version").asLong()).as("a preview writes nothing").isEqualTo(1);
        page.submit("windows-form").awaitText("result", "SetMaintenanceWindows accepted: version 2");
        page.awaitText("c-windows", "Tue,Thu 02:00-05:00; Fri 22:00-02:00 (UTC)");

        box.clear();
        box.sendKeys("Tuesday 2am-5am");
        page.submit("windows-form").awaitContains("result", "SetMaintenanceWindows refused (400, payload.windows[0])");
        assertThat(page.text("result")).contains("'DAYS HH:MM-HH:MM' in UTC");

        h.observe(cluster, "{\"type\":\"OperationDeferred\",\"operation\":\"RollingUpgrade\",\"causeCommandId\":\"upgrade-1\","
                + "\"until\":\"2026-12-08T02:00:00Z\"}");
        page.awaitContains("c-deferred", "RollingUpgrade (command upgrade-1) waits for the maintenance window opening at 2026-12-08T02:00:00Z");
        page.element("windows-any-time").click();
        assertThat(box.isEnabled()).as("ticked, the box is set aside").isFalse();
        page.submit("windows-form").awaitText("c-windows", "any time");
        assertThat(page.text("c-deferred")).as("shown until it starts, which with no windows is the executor's next pass")
                .startsWith("RollingUpgrade (command upgrade-1) was held back for a maintenance window; the windows are lifted");
        assertThat(fromApi(cluster).at("/spec/maintenanceWindows")).isEmpty();
    }

    @Test
    void aFailedOperationIsRetriedThenAbandonedFromThePageWithAReason() {
        String cluster = newCluster("console-op-");
        // what an executor reports when a roll gives up
        h.observe(cluster, "{\"type\":\"OperationObserved\",\"operationId\":\"RollingRestart/r-1\",\"operation\":\"RollingRestart\","
                + "\"state\":\"FAILED\",\"causeCommandId\":\"r-1\",\"reason\":\"broker 2 did not rejoin the ISR\"}");

        page.signIn(GatewayHarness.TOKEN);
        page.open(cluster);
        page.awaitText("c-operation", "RollingRestart — FAILED — broker 2 did not rejoin the ISR");
        page.awaitText("c-live", "(live)");
        assertThat(page.element("operation-retry").isDisplayed()).isTrue();

        page.type("operation-reason", "disk replaced");
        page.element("operation-retry").click();
        page.awaitContains("result", "RetryOperation accepted");
        page.await(ExpectedConditions.invisibilityOfElementLocated(By.id("operation-retry")));
        assertThat(fromApi(cluster).at("/status/operation/attempt").asInt()).isEqualTo(2);

        page.element("operation-abandon").click();
        page.awaitContains("result", "AbandonOperation accepted");
        page.await(ExpectedConditions.invisibilityOfElementLocated(By.id("operation-form")));
        page.awaitContains("history", "AbandonOperation");
        assertThat(page.text("history")).contains("RetryOperation");
    }

    @Test
    void anUnknownTokenIsToldSoAndOpensNothing() {
        page.signIn("not-a-token-of-this-gateway");
        page.awaitContains("sign-in-error", "does not know this token");
        assertThat(page.element("app").isDisplayed()).isFalse();
    }

    @Test
    void theConsoleIsServedWithoutATokenUnderAStrictContentSecurityPolicy() {
        Reply served = h.send(HttpRequest.newBuilder(URI.create(h.url() + "/console/")).GET().build());
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.header("Content-Type")).startsWith("text/html");
        assertThat(served.header("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(served.body()).contains("<script src=\"console.js\"");
        Reply api = h.send(HttpRequest.newBuilder(URI.create(h.url() + "/v1/clusters")).GET().build());
        assertThat(api.status()).isEqualTo(401);
    }
}
