package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * What the executor refuses for a cluster ({@code status.executorRefusals}) in the console, in headless Chromium against a
 * real node and gateway (ConsoleBrowserHarness): the cluster view's Blocked lines as cox get prints them (key, reason,
 * since, command), the command linked to its row in the History table, and the marker on the cluster list's Phase cell,
 * all gone once the executor reports an empty set; and an operation waiting for a maintenance window, its command linked
 * the same way. The refusals and the deferral are recorded as an executor records them, observations through the node.
 */
class ConsoleBlockedBrowserTest extends ConsoleBrowserHarness {

    private static final String CLUSTER = "blocked-web";
    private static final By LIST_PHASE = By.cssSelector("#clusters tr[data-cluster='" + CLUSTER + "'] td:nth-child(3)");
    private static final By CONFIG_ROW = ConsolePage.historyRow("web-cfg-1");

    @Test
    void eachBlockedKeyShowsItsReasonSinceAndCommandLinkedToTheHistoryAndTheListMarksTheClusterUntilAnEmptyReport() {
        accepted(GatewayHarness.create(CLUSTER));
        accepted("{\"clusterId\":\"" + CLUSTER + "\",\"commandId\":\"web-cfg-1\",\"type\":\"UpdateBrokerConfig\","
                + "\"payload\":{\"set\":{\"message.max.bytes\":\"-5\"}}}");
        String phase = h.get("/v1/clusters/" + CLUSTER).json().at("/status/phase").asText();
        openCluster(CLUSTER);
        page.await(ExpectedConditions.textToBe(LIST_PHASE, phase));
        assertThat(page.element("c-blocked").isDisplayed()).as("nothing refused: no Blocked line").isFalse();

        String config = "Kafka refused message.max.bytes=-5 on the cluster default: Value must be at least 0. Fix the value with"
                + " cox config set " + CLUSTER + " KEY=VALUE";
        String namespace = "its namespace coxswain is the namespace Coxswain runs in: run the executors with another --namespace-template";
        h.observe(CLUSTER, "{\"type\":\"ExecutorRefusalsObserved\",\"refusals\":{\"namespace\":{\"reason\":\"" + namespace
                + "\",\"commandId\":\"long-gone-1\"},\"brokerConfig/cluster-default\":{\"reason\":\"" + config + "\",\"commandId\":\"web-cfg-1\"}}}");
        JsonNode refusals = h.get("/v1/clusters/" + CLUSTER).json().at("/status/executorRefusals");
        String configSince = refusals.at("/brokerConfig~1cluster-default/since").asText();
        page.awaitText("c-blocked", "brokerConfig/cluster-default: " + config + " (since " + configSince + ", command web-cfg-1)\n"
                + "namespace: " + namespace + " (since " + refusals.at("/namespace/since").asText() + ", command long-gone-1)");
        assertThat(configSince).as("since as the state holds it, as the page shows other times").matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(page.element("c-blocked-label").isDisplayed()).isTrue();
        assertThat(page.text("c-acted")).as("what was acted on is said apart").isEqualTo("not yet: the change at version 2");
        // the list is loaded again with the state the page follows: its Phase cell then names the keys, in the colour of a refusal
        page.await(ExpectedConditions.textToBe(LIST_PHASE, phase + " \u2014 blocked: brokerConfig/cluster-default, namespace"));
        assertThat(page.find(LIST_PHASE).getAttribute("class")).isEqualTo("error");

        // a command the History table does not hold: where to find it instead
        page.click("#c-blocked div[data-key='namespace'] a.command").awaitContains("history-note", "Command long-gone-1 is not among");
        assertThat(page.text("history-note")).endsWith("(the latest 200, without the executor's observations): cox audit --cluster "
                + CLUSTER + " finds it.");
        // the command that caused it: its History row, highlighted, its id in the Command column
        assertThat(page.followCommand("#c-blocked div[data-key='brokerConfig/cluster-default'] a.command", "web-cfg-1"))
                .contains("web-cfg-1", "UpdateBrokerConfig", "alice");
        assertThat(page.text("history-note")).isEmpty();

        h.observe(CLUSTER, "{\"type\":\"ExecutorRefusalsObserved\",\"refusals\":{}}");
        page.await(ExpectedConditions.invisibilityOfElementLocated(By.id("c-blocked")));
        assertThat(page.element("c-blocked-label").isDisplayed()).isFalse();
        page.await(ExpectedConditions.textToBe(LIST_PHASE, phase));
        assertThat(page.find(LIST_PHASE).getAttribute("class")).isNullOrEmpty();
        // the table is filled again with each version and with the observations ticked; the row chosen stays highlighted
        page.click("#history-observations").awaitContains("history", "RecordObservation");
        assertThat(page.find(CONFIG_ROW).getAttribute("class")).isEqualTo("selected");
    }

    @Test
    void anOperationWaitingForAWindowLinksTheCommandThatCausedItToItsHistoryRow() {
        String cluster = "deferred-web";
        accepted(GatewayHarness.create(cluster));
        accepted("{\"clusterId\":\"" + cluster + "\",\"commandId\":\"web-upgrade-1\",\"type\":\"UpgradeKafka\","
                + "\"payload\":{\"kafkaVersion\":\"4.2.0\"}}");
        accepted("{\"clusterId\":\"" + cluster + "\",\"type\":\"SetMaintenanceWindows\",\"payload\":{\"windows\":[\"Tue 02:00-05:00\"]}}");
        openCluster(cluster);
        page.awaitText("c-deferred", "none");

        h.observe(cluster, "{\"type\":\"OperationDeferred\",\"operation\":\"RollingUpgrade\",\"causeCommandId\":\"web-upgrade-1\","
                + "\"until\":\"2026-12-08T02:00:00Z\"}");
        page.awaitContains("c-deferred", "RollingUpgrade (command web-upgrade-1) waits for the maintenance window opening at 2026-12-08T02:00:00Z");
        assertThat(page.followCommand("#c-deferred a.command", "web-upgrade-1")).contains("UpgradeKafka", "alice");
    }
}
