package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console's browser test classes share: a gateway on fresh topics and one headless Chromium worked through
 * {@link ConsolePage}, signed out on a fresh tab before each test; skipped where Debian's chromium and chromium-driver are
 * not installed.
 * <p>One gateway and one browser per test JVM (a surefire fork), started by the first of these classes to run and closed
 * when the JVM ends, before its shared Kafka stops: a node, a gateway and a Chromium cost seconds to start, which each class
 * paid again. The classes keep apart as the tests within a class do: each works on clusters of its own names, and a test that
 * holds the gateway's read model or pauses the node's fold releases it in a {@code finally}. Between classes the browser
 * waits on a blank page, so that no console keeps following a cluster while the fork runs other tests.
 */
abstract class ConsoleBrowserHarness {

    private static final Logger log = LoggerFactory.getLogger(ConsoleBrowserHarness.class);

    static GatewayHarness h;
    static ConsolePage page;

    @BeforeAll
    static void startGatewayAndBrowser() throws IOException {
        assumeTrue(ConsolePage.installed(), ConsolePage.NOT_INSTALLED);
        startOnce();
    }

    /**
     * Starts what a previous class has not: a set-up that failed half-way is completed by the next class, and a browser that
     * died is replaced, so that one crash fails one class rather than every console class after it in the fork.
     */
    private static synchronized void startOnce() throws IOException {
        if (h == null) {
            h = GatewayHarness.start(GatewayHarness.freshTopics());
            SharedKafka.closeBeforeKafka(h);
        }
        if (page != null && !page.alive()) {
            log.warn("The console tests' shared Chromium no longer answers (crashed or killed during an earlier class): starting another");
            try {
                page.close();
            } catch (RuntimeException e) {
                log.warn("Closing the dead Chromium's driver failed: {}", e.toString());
            }
            page = null;
        }
        if (page == null) {
            page = ConsolePage.open();
            SharedKafka.closeBeforeKafka(page); // closed first: its connections to the gateway go before the gateway
        }
    }

    @AfterAll
    static void leaveTheConsole() {
        if (page != null) {
            page.blank();
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
