package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the console's browser test classes share: a gateway of their own on fresh topics and one headless
 * Chromium worked through {@link ConsolePage}, signed out on a fresh tab before each test; skipped where
 * Debian's chromium and chromium-driver are not installed. Test classes run one after another, so the
 * static fields serve each in turn.
 */
abstract class ConsoleBrowserHarness {

    static GatewayHarness h;
    static ConsolePage page;

    @BeforeAll
    static void startGatewayAndBrowser() throws IOException {
        assumeTrue(ConsolePage.installed(), ConsolePage.NOT_INSTALLED);
        h = GatewayHarness.start(GatewayHarness.freshTopics());
        page = ConsolePage.open();
    }

    /** The browser is quit even when closing the gateway fails; either may be missing when the set-up stopped early. */
    @AfterAll
    static void stopGatewayAndBrowser() {
        try {
            if (h != null) {
                h.close();
            }
        } finally {
            if (page != null) {
                page.close();
            }
            h = null;
            page = null;
        }
    }

    @BeforeEach
    void freshTab() {
        page.freshTab(h.url());
    }

    /** Sends {@code command} (JSON) and waits for its acceptance. */
    static void accepted(String command) {
        GatewayHarness.Reply r = h.post("/v1/commands?wait=true", command);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** Signs in with the test token and opens {@code cluster}'s view, once it follows the cluster live. */
    static void openCluster(String cluster) {
        page.signIn(GatewayHarness.TOKEN);
        page.follow(cluster);
    }
}
