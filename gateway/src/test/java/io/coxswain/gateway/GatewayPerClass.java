package io.coxswain.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A gateway of the test class's own, on fresh topics, started before its first test and stopped after its last.
 * Test classes run one after another, so the one harness field serves each in turn.
 */
abstract class GatewayPerClass {

    static GatewayHarness h;

    @BeforeAll
    static void startGateway() {
        h = GatewayHarness.start(GatewayHarness.freshTopics());
    }

    @AfterAll
    static void stopGateway() {
        h.close();
    }
}
