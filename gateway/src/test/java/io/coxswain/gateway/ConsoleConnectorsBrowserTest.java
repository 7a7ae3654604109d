package io.coxswain.gateway;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console's Connectors table, in headless Chromium against a real node and gateway (ConsoleBrowserHarness):
 * a connector asked for and not yet observed, then as the executor's ConnectorsObserved reports it (failed tasks,
 * its error, the restart carried out), the connectors Coxswain leaves alone, Connect unreachable, and an offsets
 * reset of the stopped connector pending, then carried out.
 */
class ConsoleConnectorsBrowserTest extends ConsoleBrowserHarness {

    private static final By CDC = By.cssSelector("#connectors tr[data-connector='orders-cdc']");

    @Test
    void theConnectorsTableShowsWhatWasAskedBesideWhatConnectReports() {
        accepted(GatewayHarness.create("etl-web"));
        accepted("{\"clusterId\":\"etl-web\",\"type\":\"SetComponent\",\"payload\":{\"component\":\"connect\",\"replicas\":1}}");
        accepted("{\"clusterId\":\"etl-web\",\"type\":\"SetConnector\",\"payload\":{\"name\":\"orders-cdc\","
                + "\"connectorClass\":\"io.debezium.connector.postgresql.PostgresConnector\",\"tasksMax\":2,\"state\":\"PAUSED\"}}");

        openCluster("etl-web");
        page.await(ExpectedConditions.textToBe(CDC, "orders-cdc io.debezium.connector.postgresql.PostgresConnector PAUSED not yet observed - - - - -"));

        accepted("{\"clusterId\":\"etl-web\",\"commandId\":\"web-rs-1\",\"type\":\"RestartConnector\",\"payload\":{\"name\":\"orders-cdc\"}}");
        page.await(ExpectedConditions.textToBe(CDC, "orders-cdc io.debezium.connector.postgresql.PostgresConnector PAUSED not yet observed - - pending - -"));

        h.observe("etl-web", "{\"type\":\"ConnectorsObserved\",\"connectors\":{\"orders-cdc\":{\"state\":\"PAUSED\",\"tasks\":2,\"failedTasks\":1,"
                + "\"error\":\"org.postgresql.util.PSQLException: Connection refused\",\"restarted\":\"web-rs-1\"}},\"unmanaged\":[\"by-hand\"]}");
        page.await(ExpectedConditions.textToBe(CDC, "orders-cdc io.debezium.connector.postgresql.PostgresConnector PAUSED PAUSED 2/2 1 done -"
                + " org.postgresql.util.PSQLException: Connection refused"));
        page.await(ExpectedConditions.textToBe(By.id("connectors-unmanaged"), "Not managed by Coxswain (left alone): by-hand"));

        h.observe("etl-web", "{\"type\":\"ConnectorsObserved\",\"unreachable\":\"connect timed out\"}");
        page.await(ExpectedConditions.textToBe(By.id("connectors-unreachable"), "Connect unreachable: connect timed out (states as last observed)"));

        accepted("{\"clusterId\":\"etl-web\",\"type\":\"SetConnector\",\"payload\":{\"name\":\"orders-cdc\","
                + "\"connectorClass\":\"io.debezium.connector.postgresql.PostgresConnector\",\"tasksMax\":2,\"state\":\"STOPPED\"}}");
        accepted("{\"clusterId\":\"etl-web\",\"commandId\":\"web-ro-1\",\"type\":\"ResetConnectorOffsets\",\"payload\":{\"name\":\"orders-cdc\"}}");
        page.await(ExpectedConditions.textToBe(CDC, "orders-cdc io.debezium.connector.postgresql.PostgresConnector STOPPED PAUSED 2/2 1 done pending"
                + " org.postgresql.util.PSQLException: Connection refused"));
        h.observe("etl-web", "{\"type\":\"ConnectorsObserved\",\"connectors\":{\"orders-cdc\":{\"state\":\"STOPPED\",\"tasks\":0,"
                + "\"restarted\":\"web-rs-1\",\"offsetsReset\":\"web-ro-1\"}}}");
        page.await(ExpectedConditions.textToBe(CDC, "orders-cdc io.debezium.connector.postgresql.PostgresConnector STOPPED STOPPED 0/2 0 done done -"));
    }

    @Test
    void aMirrorShowsWithItsConnectorsStateOrWhyItRunsNone() {
        accepted(GatewayHarness.create("dr-web"));
        accepted("{\"clusterId\":\"dr-web\",\"type\":\"SetComponent\",\"payload\":{\"component\":\"connect\",\"replicas\":1}}");
        accepted("{\"clusterId\":\"dr-web\",\"type\":\"SetMirror\",\"payload\":{\"name\":\"from-pay\",\"sourceCluster\":\"payments\"}}");
        openCluster("dr-web");
        page.await(ExpectedConditions.textToBe(By.id("connectors-mirrors"), "Mirrors: from-pay from payments: not yet observed"));

        h.observe("dr-web", "{\"type\":\"ConnectorsObserved\",\"connectors\":{\"from-pay-source\":{\"state\":\"RUNNING\",\"tasks\":1}}}");
        page.await(ExpectedConditions.textToBe(By.id("connectors-mirrors"), "Mirrors: from-pay from payments: from-pay-source RUNNING"));

        h.observe("dr-web", "{\"type\":\"ConnectorsObserved\",\"mirrorsNotRunnable\":{\"from-pay\":\"source cluster 'payments' is not known\"}}");
        page.await(ExpectedConditions.textToBe(By.id("connectors-mirrors"),
                "Mirrors: from-pay from payments: not runnable: source cluster 'payments' is not known"));
    }
}
