package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coxswain.gateway.GatewayHarness.Reply;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium, against a real node and gateway: sign in, see the
 * clusters, follow one live, change it, and read why a change was refused. Skipped where Debian's
 * chromium and chromium-driver are not installed ({@code .ci/run} installs them).
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static GatewayHarness h;
    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no " + CHROMIUM + " or " + CHROMEDRIVER + ": apt-get install chromium chromium-driver to run the console's browser test");
        h = GatewayHarness.start(GatewayHarness.freshTopics());
        profile = Files.createTempDirectory("coxswain-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (h != null) {
            h.close();
        }
    }

    @BeforeEach
    void freshTab() {
        browser.get(h.url() + "/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private static void signIn(String token) {
        WebElement field = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#sign-in-form button")).click();
    }

    private static void type(String id, String value) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    /** Creates a cluster named {@code prefix} and a random suffix, signs in and follows it live on the page. */
    private static String followNewCluster(String prefix) {
        String cluster = prefix + UUID.randomUUID().toString().substring(0, 6);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        signInAndFollow(cluster);
        return cluster;
    }

    /** Signs in, opens {@code cluster}'s page and waits until it follows the cluster live. */
    private static void signInAndFollow(String cluster) {
        signIn(GatewayHarness.TOKEN);
        waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-cluster='" + cluster + "']"))).click();
        waiting().until(ExpectedConditions.textToBe(By.id("c-id"), cluster));
        waiting().until(ExpectedConditions.textToBe(By.id("c-live"), "(live)"));
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    @Test
    void anOperatorSeesAClusterLiveChangesItAndReadsWhyAChangeWasRefused() {
        String cluster = "console-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);

        assertThat(browser.getCurrentUrl()).endsWith("/console/");
        signIn(GatewayHarness.TOKEN);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "signed in as alice"));
        waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-cluster='" + cluster + "']"))).click();
        waiting().until(ExpectedConditions.textToBe(By.id("c-id"), cluster));
        waiting().until(ExpectedConditions.textToBe(By.id("c-live"), "(live)"));
        assertThat(text("c-version")).isEqualTo("1");
        assertThat(text("c-brokers")).isEqualTo("3");

        type("scale-brokers", "4");
        browser.findElement(By.cssSelector("#scale-form button")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "ScaleBrokers accepted: version 2"));
        waiting().until(ExpectedConditions.textToBe(By.id("c-brokers"), "4"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "ScaleBrokers"));
        assertThat(text("history")).contains("alice");

        // a change made elsewhere arrives over the watch, with no click
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "made-elsewhere")).status()).isEqualTo(200);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("topics"), "made-elsewhere"));
        assertThat(text("c-version")).isEqualTo("3");

        type("topic-name", "too-wide");
        type("topic-replication", "9");
        browser.findElement(By.cssSelector("#topic-form button")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "CreateTopic rejected, REPLICATION_FACTOR_TOO_HIGH"));
        assertThat(text("result")).contains("replication factor 9");
        assertThat(text("topics")).doesNotContain("too-wide");
    }

    @Test
    void anOperatorCreatesAClusterUpgradesItAndAddsAComponentFromTheConsole() {
        String cluster = "console-new-" + UUID.randomUUID().toString().substring(0, 6);
        signIn(GatewayHarness.TOKEN);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "signed in as alice"));

        type("new-id", cluster);
        type("new-brokers", "4");
        browser.findElement(By.cssSelector("#create-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-result"), "CreateCluster would be accepted as version 1"));
        assertThat(text("create-result")).contains("spec: null \u2192 {").contains("\"brokers\":4");
        assertThat(h.get("/v1/clusters/" + cluster).status()).as("a preview creates nothing").isEqualTo(404);

        browser.findElement(By.cssSelector("#create-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("create-result"), "CreateCluster accepted: version 1"));
        waiting().until(ExpectedConditions.textToBe(By.id("c-id"), cluster));
        waiting().until(ExpectedConditions.textToBe(By.id("c-brokers"), "4"));
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/brokers").asInt()).isEqualTo(4);

        // the same id again is refused by the fold, and the console says why
        browser.findElement(By.cssSelector("#create-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-result"), "CreateCluster rejected, CLUSTER_EXISTS"));

        waiting().until(ExpectedConditions.textToBe(By.id("c-live"), "(live)"));
        type("upgrade-version", "4.2.0");
        // a preview shows the decision and the changes, and writes nothing
        browser.findElement(By.cssSelector("#upgrade-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "UpgradeKafka would be accepted as version 2"));
        assertThat(text("result")).contains("spec.kafkaVersion: \"4.1.0\" \u2192 \"4.2.0\"");
        assertThat(h.get("/v1/clusters/" + cluster).json().get("version").asLong()).isEqualTo(1);
        assertThat(text("c-kafka")).isEqualTo("4.1.0");

        browser.findElement(By.cssSelector("#upgrade-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "UpgradeKafka accepted: version 2"));
        waiting().until(ExpectedConditions.textToBe(By.id("c-kafka"), "4.2.0"));

        type("component-replicas", "2");
        browser.findElement(By.cssSelector("#component-form button")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "SetComponent accepted: version 3"));
        // asked for, not yet running: no executor watches this gateway's node
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("components"), "schema-registry 2"));
        assertThat(text("components")).contains("not yet observed");
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/components/schema-registry/replicas").asInt()).isEqualTo(2);

        type("component-replicas", "0");
        browser.findElement(By.cssSelector("#component-form button")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "RemoveComponent accepted: version 4"));
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/components").size()).isZero();
    }

    @Test
    void anOperatorResizesTheBrokersFromTheConsoleAndReadsWhyASqueezeWasRefused() {
        String cluster = followNewCluster("console-size-");
        assertThat(text("c-sizing")).isEqualTo("installation defaults");

        type("resize-memory", "8Gi");
        type("resize-heap", "6g");
        browser.findElement(By.cssSelector("#resize-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "UpdateResources would be accepted as version 2"));
        assertThat(text("result")).contains("spec.resources: null \u2192 {");
        assertThat(h.get("/v1/clusters/" + cluster).json().get("version").asLong()).as("a preview writes nothing").isEqualTo(1);

        browser.findElement(By.cssSelector("#resize-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "UpdateResources accepted: version 2"));
        waiting().until(ExpectedConditions.textToBe(By.id("c-sizing"), "controllers: defaults; brokers: memory 8Gi, heap 6g"));

        type("resize-memory", "4Gi");
        type("resize-heap", "");
        browser.findElement(By.cssSelector("#resize-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "UpdateResources rejected, INVALID_COMMAND"));
        assertThat(text("result")).contains("heap 6g is more than 75% of memory 4Gi");
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/resources/brokers/memory").asText()).isEqualTo("8Gi");
    }

    @Test
    void anOperatorRaisesATopicsPartitionsFromTheConsoleAndReadsWhyFewerWereRefused() {
        String cluster = "console-parts-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        signInAndFollow(cluster);
        assertThat(text("topics")).contains("orders 3 1");

        type("partitions-topic", "orders");
        type("partitions-count", "8");
        browser.findElement(By.cssSelector("#partitions-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "IncreasePartitions would be accepted as version 3"));
        assertThat(text("result")).contains("topics[\"orders\"].partitions: 3 \u2192 8");
        browser.findElement(By.cssSelector("#partitions-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "IncreasePartitions accepted: version 3"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("topics"), "orders 8 1"));

        type("partitions-count", "4");
        browser.findElement(By.cssSelector("#partitions-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "IncreasePartitions rejected, PARTITIONS_CANNOT_DECREASE"));
        assertThat(text("result")).contains("Kafka cannot remove partitions");
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/topics/orders/partitions").asInt()).isEqualTo(8);
    }

    @Test
    void anOperatorGrowsTheVolumesFromTheConsoleAndReadsWhyAShrinkWasRefused() {
        String cluster = followNewCluster("console-disk-");
        String size = h.get("/v1/clusters/" + cluster).json().at("/spec/storage/size").asText();
        assertThat(text("c-storage")).isEqualTo(size);

        type("storage-size", "2Ti");
        browser.findElement(By.cssSelector("#storage-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "ExpandStorage would be accepted as version 2"));
        assertThat(text("result")).contains("spec.storage.size: \"" + size + "\" \u2192 \"2Ti\"");
        assertThat(h.get("/v1/clusters/" + cluster).json().get("version").asLong()).as("a preview writes nothing").isEqualTo(1);

        browser.findElement(By.cssSelector("#storage-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "ExpandStorage accepted: version 2"));
        waiting().until(ExpectedConditions.textToBe(By.id("c-storage"), "2Ti"));

        type("storage-size", "1Ti");
        browser.findElement(By.cssSelector("#storage-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "ExpandStorage rejected, STORAGE_CANNOT_SHRINK"));
        assertThat(text("result")).contains("cannot shrink to 1Ti");
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/storage/size").asText()).isEqualTo("2Ti");
    }

    @Test
    void anOperatorChangesATopicsReplicationFactorFromTheConsoleAndReadsWhyTooHighWasRefused() {
        String cluster = "console-rf-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        signInAndFollow(cluster);
        assertThat(text("topics")).contains("orders 3 1");

        type("replication-topic", "orders");
        type("replication-factor", "3");
        browser.findElement(By.cssSelector("#replication-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "ChangeReplicationFactor would be accepted as version 3"));
        assertThat(text("result")).contains("topics[\"orders\"].replicationFactor: 1 \u2192 3");
        browser.findElement(By.cssSelector("#replication-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "ChangeReplicationFactor accepted: version 3"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("topics"), "orders 3 3"));

        type("replication-factor", "4");
        browser.findElement(By.cssSelector("#replication-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "ChangeReplicationFactor rejected, REPLICATION_FACTOR_TOO_HIGH"));
        assertThat(text("result")).contains("more than the 3 brokers");
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/topics/orders/replicationFactor").asInt()).isEqualTo(3);
    }

    @Test
    void anOperatorRebalancesAClusterFromTheConsoleSeesItPendingAndReadsWhyASecondWasRefusedWhileItRunsThenAsksForANewCa() {
        String cluster = followNewCluster("console-rebal-");
        assertThat(text("c-rebalance")).isEqualTo("none");
        assertThat(text("c-ca-replacement")).isEqualTo("none");

        type("rebalance-reason", "broker 2 replaced");
        type("rebalance-throttle", "20");
        browser.findElement(By.cssSelector("#rebalance-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "RebalanceCluster would be accepted as version 2"));
        assertThat(text("result")).contains("spec.rebalance: null \u2192 {", "\"reason\":\"broker 2 replaced\"", "\"throttleBytesPerSecond\":20971520");
        assertThat(h.get("/v1/clusters/" + cluster).json().get("version").asLong()).as("a preview writes nothing").isEqualTo(1);

        browser.findElement(By.cssSelector("#rebalance-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "RebalanceCluster accepted: version 2"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-rebalance"), "pending, asked by alice at "));
        assertThat(text("c-rebalance")).endsWith(", 20 MiB/s per broker \u2014 broker 2 replaced");
        String commandId = h.get("/v1/clusters/" + cluster).json().at("/spec/rebalance/commandId").asText();

        // what the executor reports once it starts; a second request is refused while it runs, and the page says why
        String rebalancing = "{\"type\":\"OperationObserved\",\"operationId\":\"Rebalance/" + commandId + "\",\"operation\":\"Rebalance\","
                + "\"causeCommandId\":\"" + commandId + "\",\"state\":";
        h.observe(cluster, rebalancing + "\"RUNNING\"}");
        waiting().until(ExpectedConditions.textToBe(By.id("c-operation"), "Rebalance \u2014 RUNNING"));
        assertThat(text("c-phase")).isEqualTo("Rebalancing");
        type("rebalance-throttle", "");
        browser.findElement(By.cssSelector("#rebalance-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "RebalanceCluster rejected, OPERATION_IN_PROGRESS"));
        assertThat(text("result")).contains("in the middle of Rebalance Rebalance/" + commandId);

        h.observe(cluster, rebalancing + "\"SUCCEEDED\"}");
        waiting().until(ExpectedConditions.textToBe(By.id("c-rebalance"), "none"));

        // a CA replacement from its form, at the version the page shows: previewed, then pending beside the operation
        type("ca-reason", "yearly rotation");
        browser.findElement(By.cssSelector("#ca-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "ReplaceClusterCa would be accepted as version"));
        assertThat(text("result")).contains("spec.caReplacement: null \u2192 {", "\"reason\":\"yearly rotation\"");
        browser.findElement(By.cssSelector("#ca-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-ca-replacement"), "pending, asked by alice at "));
        assertThat(text("c-ca-replacement")).endsWith(" \u2014 yearly rotation");
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/caReplacement/reason").asText()).isEqualTo("yearly rotation");
    }

    @Test
    void anOperatorMovesClientAuthenticationOneStepFromTheConsoleAndReadsWhySkippingOneWasRefused() {
        String cluster = followNewCluster("console-auth-");
        assertThat(text("c-client-auth")).isEqualTo("NONE \u2014 no client certificates, no ACLs");
        assertThat(text("c-ca")).isEqualTo("not reported yet");
        Select setting = new Select(browser.findElement(By.id("client-auth-setting")));
        assertThat(setting.getFirstSelectedOption().getText()).as("the form starts from the cluster's setting").isEqualTo("NONE");

        setting.selectByVisibleText("TLS");
        browser.findElement(By.cssSelector("#client-auth-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "ChangeClientAuthentication rejected, NOT_SUPPORTED_ON_CLUSTER"));
        assertThat(text("result")).contains("cannot go from clientAuthentication NONE to TLS in one step", "Change it to OPTIONAL first");

        setting.selectByVisibleText("OPTIONAL");
        browser.findElement(By.cssSelector("#client-auth-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "ChangeClientAuthentication would be accepted as version 2"));
        assertThat(text("result")).contains("spec.clientAuthentication: \"NONE\" \u2192 \"OPTIONAL\"");
        assertThat(h.get("/v1/clusters/" + cluster).json().get("version").asLong()).as("a preview writes nothing").isEqualTo(1);

        browser.findElement(By.cssSelector("#client-auth-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "ChangeClientAuthentication accepted: version 2"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-client-auth"), "OPTIONAL \u2014 a certificate asked for, not required"));
        assertThat(text("c-client-auth")).contains("the others connect as ANONYMOUS");
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/clientAuthentication").asText()).isEqualTo("OPTIONAL");
        // users are accepted on OPTIONAL: one with a password, listed with its authentication, opens the SCRAM listener
        type("user-name", "ledger-app");
        new Select(browser.findElement(By.id("user-authentication"))).selectByValue("SCRAM-SHA-512");
        browser.findElement(By.cssSelector("#user-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("#users tbody"), "ledger-app SCRAM-SHA-512 none: may do nothing"));
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/scramListener").asBoolean()).isTrue();

        // the executor reports the cluster's CA, a second one trusted beside it: shown beside the client authentication
        h.observe(cluster, "{\"type\":\"CaObserved\",\"fingerprint\":\"AB:CD:EF:01:23:45:67:89:" + "00:".repeat(23) + "FF\","
                + "\"notAfter\":\"2031-12-06T09:30:00Z\",\"trusted\":[\"AB:CD\",\"EF:01\"]}");
        waiting().until(ExpectedConditions.textToBe(By.id("c-ca"),
                "AB:CD:EF:01:23:45:67:89\u2026 valid until 2031-12-06 (2 CAs trusted: a renewal or replacement is under way)"));
        assertThat(browser.findElement(By.id("c-ca")).getAttribute("title")).as("the whole fingerprint").hasSize(95).endsWith(":00:FF");
    }

    @Test
    void anOperatorSetsMaintenanceWindowsFromTheConsoleSeesWhatWaitsAndClearsThemOnlyOnPurpose() {
        String cluster = followNewCluster("console-windows-");
        assertThat(text("c-windows")).isEqualTo("any time");
        assertThat(text("c-deferred")).isEqualTo("none");
        // an empty box is not "any time": the form will not send until windows are typed or that is ticked
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat(js.executeScript("return document.getElementById('windows-form').checkValidity()")).isEqualTo(false);
        assertThat(browser.findElement(By.id("windows-text")).getAttribute("validationMessage")).contains("tick \"any time\"");

        WebElement box = browser.findElement(By.id("windows-text"));
        box.sendKeys("Tue,Thu 02:00-05:00\n\nFri 22:00-02:00\n");
        browser.findElement(By.cssSelector("#windows-form button.preview")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "SetMaintenanceWindows would be accepted as version 2"));
        assertThat(text("result")).contains("spec.maintenanceWindows[0]: null \u2192 \"Tue,Thu 02:00-05:00\"",
                "spec.maintenanceWindows[1]: null \u2192 \"Fri 22:00-02:00\"");
        assertThat(h.get("/v1/clusters/" + cluster).json().get("version").asLong()).as("a preview writes nothing").isEqualTo(1);
        browser.findElement(By.cssSelector("#windows-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("result"), "SetMaintenanceWindows accepted: version 2"));
        waiting().until(ExpectedConditions.textToBe(By.id("c-windows"), "Tue,Thu 02:00-05:00; Fri 22:00-02:00 (UTC)"));

        box.clear();
        box.sendKeys("Tuesday 2am-5am");
        browser.findElement(By.cssSelector("#windows-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "SetMaintenanceWindows refused (400, payload.windows[0])"));
        assertThat(text("result")).contains("'DAYS HH:MM-HH:MM' in UTC");

        h.observe(cluster, "{\"type\":\"OperationDeferred\",\"operation\":\"RollingUpgrade\",\"causeCommandId\":\"upgrade-1\","
                + "\"until\":\"2026-12-08T02:00:00Z\"}");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-deferred"),
                "RollingUpgrade (command upgrade-1) waits for the maintenance window opening at 2026-12-08T02:00:00Z"));
        browser.findElement(By.id("windows-any-time")).click();
        assertThat(box.isEnabled()).as("ticked, the box is set aside").isFalse();
        browser.findElement(By.cssSelector("#windows-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("c-windows"), "any time"));
        assertThat(text("c-deferred")).as("shown until it starts, which with no windows is the executor's next pass")
                .startsWith("RollingUpgrade (command upgrade-1) was held back for a maintenance window; the windows are lifted");
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/maintenanceWindows")).isEmpty();
    }

    @Test
    void aFailedOperationIsRetriedThenAbandonedFromThePageWithAReason() {
        String cluster = "console-op-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        // what an executor reports when a roll gives up
        h.observe(cluster, "{\"type\":\"OperationObserved\",\"operationId\":\"RollingRestart/r-1\",\"operation\":\"RollingRestart\","
                + "\"state\":\"FAILED\",\"causeCommandId\":\"r-1\",\"reason\":\"broker 2 did not rejoin the ISR\"}");

        signIn(GatewayHarness.TOKEN);
        waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-cluster='" + cluster + "']"))).click();
        waiting().until(ExpectedConditions.textToBe(By.id("c-operation"), "RollingRestart — FAILED — broker 2 did not rejoin the ISR"));
        waiting().until(ExpectedConditions.textToBe(By.id("c-live"), "(live)"));
        assertThat(browser.findElement(By.id("operation-retry")).isDisplayed()).isTrue();

        type("operation-reason", "disk replaced");
        browser.findElement(By.id("operation-retry")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "RetryOperation accepted"));
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("operation-retry")));
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/status/operation/attempt").asInt()).isEqualTo(2);

        browser.findElement(By.id("operation-abandon")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "AbandonOperation accepted"));
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("operation-form")));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "AbandonOperation"));
        assertThat(text("history")).contains("RetryOperation");
    }

    @Test
    void anUnknownTokenIsToldSoAndOpensNothing() {
        signIn("not-a-token-of-this-gateway");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "does not know this token"));
        assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
    }

    @Test
    void theConsoleIsServedWithoutATokenUnderAStrictContentSecurityPolicy() {
        Reply page = h.send(HttpRequest.newBuilder(URI.create(h.url() + "/console/")).GET().build());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(page.body()).contains("<script src=\"console.js\"");
        Reply api = h.send(HttpRequest.newBuilder(URI.create(h.url() + "/v1/clusters")).GET().build());
        assertThat(api.status()).isEqualTo(401);
    }
}
