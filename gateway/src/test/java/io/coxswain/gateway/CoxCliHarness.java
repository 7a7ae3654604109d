package io.coxswain.gateway;

import io.coxswain.gateway.CoxCliTest.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the cox test classes of one command share: a gateway of their own for the class, on fresh
 * topics, and cox run against it with the test token as a user would (CoxCliTest's way of running cox).
 * Test classes run one after another, so the one harness field serves each in turn.
 */
abstract class CoxCliHarness {

    static GatewayHarness h;

    @BeforeAll
    static void startGateway() {
        h = GatewayHarness.start(GatewayHarness.freshTopics());
    }

    @AfterAll
    static void stopGateway() {
        h.close();
    }

    static Run cox(String... args) {
        return CoxCliTest.coxAt(h, GatewayHarness.TOKEN, args);
    }
}
