package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console's Topics table while a topic's replication factor changes (status.replication, as the executor's
 * ReplicationObserved reports it), in headless Chromium against a real node and gateway (ConsoleBrowserHarness):
 * the progress beside the factor, why it is blocked when it is, and nothing once every partition has it.
 */
class ConsoleReplicationBrowserTest extends ConsoleBrowserHarness {

    private static final By ORDERS = By.cssSelector("#topics tr[data-topic='orders']");

    /** @return the version the observation gave the cluster */
    private static long replicationObserved(String topics) {
        return h.observe("spreads", "{\"type\":\"ReplicationObserved\",\"topics\":" + topics + "}");
    }

    /**
     * When the change began, as the state the observation made says: read at the version its decision gave, since the gateway
     * learns a decision and the state it made from two topics, and the state may come after the reply to the observation.
     */
    private static String since(long version) {
        return h.get("/v1/clusters/spreads?minVersion=" + version).json().at("/status/replication/orders/since").asText();
    }

    @Test
    void theTopicsRowShowsHowFarAFactorChangeGotUntilItIsDone() {
        accepted(GatewayHarness.create("spreads"));
        accepted(GatewayHarness.createTopic("spreads", "orders"));
        accepted("{\"clusterId\":\"spreads\",\"type\":\"ChangeReplicationFactor\",\"payload\":{\"name\":\"orders\",\"replicationFactor\":3}}");

        openCluster("spreads");
        page.await(ExpectedConditions.textToBe(ORDERS, "orders 3 3 -")); // the last cell: nothing Kafka refused

        long moving = replicationObserved("{\"orders\":{\"factor\":3,\"partitions\":3,\"atFactor\":1,\"moving\":2,\"blocked\":null}}");
        page.await(ExpectedConditions.textToBe(ORDERS, "orders 3 3 (changing: 1/3 partitions, 2 moving, since " + since(moving) + ") -"));

        long blocked = replicationObserved("{\"orders\":{\"factor\":3,\"partitions\":3,\"atFactor\":2,\"moving\":0,\"blocked\":\"too few brokers up\"}}");
        page.await(ExpectedConditions.textToBe(ORDERS, "orders 3 3 (changing: 2/3 partitions, 0 moving, since " + since(blocked)
                + "), blocked: too few brokers up -"));

        replicationObserved("{}");
        page.await(ExpectedConditions.textToBe(ORDERS, "orders 3 3 -")); // the last cell: nothing Kafka refused
    }
}
