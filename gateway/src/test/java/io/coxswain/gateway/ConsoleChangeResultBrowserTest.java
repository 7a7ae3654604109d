package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The result of a change sent from the console names the command it wrote as the page names every command: beside the
 * result's sentence, a link to the command's History row, which it highlights. Accepted, recorded as a proposal, rejected or
 * not decided in time, each links its command; a preview wrote none and links none. In a real headless Chromium against a
 * real node and gateway.
 */
class ConsoleChangeResultBrowserTest extends ConsoleBrowserHarness {

    private static final String LINK = "#result-command a.command";

    @Test
    void eachDecidedChangeLinksTheCommandItWroteToItsHistoryRow() {
        String cluster = "linked-" + UUID.randomUUID().toString().substring(0, 6);
        page.signIn(GatewayHarness.TOKEN);
        page.awaitContains("who", "signed in as alice");
        page.type("new-id", cluster);
        page.preview("create-form").awaitContains("create-result", "CreateCluster would be accepted as version 1");
        assertThat(page.text("create-result-command")).as("a preview writes no command").isEmpty();
        page.submit("create-form").awaitText("create-result", "CreateCluster accepted: version 1").awaitText("c-id", cluster);
        assertThat(page.text("create-result-command")).startsWith("command ");
        assertThat(page.followCommand("#create-result-command a.command", latest(cluster, "CreateCluster"))).contains("CreateCluster", "accepted", "v1");

        page.awaitText("c-live", "(live)");
        page.type("scale-brokers", "4").submit("scale-form").awaitText("result", "ScaleBrokers accepted: version 2");
        assertThat(page.followCommand(LINK, latest(cluster, "ScaleBrokers"))).contains("ScaleBrokers", "accepted", "v2");

        page.type("topic-name", "too-wide").type("topic-replication", "9").submit("topic-form")
                .awaitContains("result", "CreateTopic rejected, REPLICATION_FACTOR_TOO_HIGH");
        assertThat(page.followCommand(LINK, latest(cluster, "CreateTopic"))).contains("CreateTopic", "rejected", "REPLICATION_FACTOR_TOO_HIGH");

        ApprovalScenes.requireApprovalOfScaleAndDeleteTopic(h, cluster);
        page.awaitText("c-version", "3"); // the scale below carries the version the page shows
        page.type("scale-brokers", "5").submit("scale-form").awaitText("result", "ScaleBrokers recorded, waiting for 1 approval by someone else");
        assertThat(page.followCommand(LINK, latest(cluster, "ScaleBrokers"))).contains("ScaleBrokers", "proposed");
    }

    /**
     * The node's fold is paused until the console has said the change is written and not decided; its History row, linked,
     * shows the decision once the fold resumes and makes it. The gateway waits its decision wait out: on a second gateway of
     * the node whose decision wait (--decision-timeout) is 1 s rather than the default 15 s, the whole of which this test would
     * wait.
     */
    @Test
    void aChangeNotDecidedInTimeLinksItsCommandWhoseRowShowsTheDecisionOnceMade() {
        String cluster = "undecided-" + UUID.randomUUID().toString().substring(0, 6);
        accepted(create(cluster));
        try (Gateway impatient = h.another(c -> c.withTimeouts(Duration.ofSeconds(1), c.readWaitTimeout(), c.sendTimeout()))) {
            page.freshTab(impatient.url());
            openCluster(cluster);
            h.node.streams().pause();
            String written;
            try {
                page.type("scale-brokers", "4").submit("scale-form").awaitText("result", "ScaleBrokers written, not decided yet");
                written = latest(cluster, "ScaleBrokers");
                assertThat(page.followCommand(LINK, written)).contains("ScaleBrokers", "pending");
            } finally {
                h.node.streams().resume();
            }
            page.awaitText("c-brokers", "4");
            page.await(d -> {
                String row = d.findElement(ConsolePage.historyRow(written)).getText();
                return row.contains("accepted") && row.contains("v2") && d.findElement(ConsolePage.historyRow(written)).getAttribute("class").contains("selected");
            });
        }
    }

    /** The id of the latest {@code type} command in the cluster's history, once the gateway's read model holds one. */
    private static String latest(String cluster, String type) {
        return Poll.until(Duration.ofSeconds(30), type + " in " + cluster + "'s history", () -> {
            JsonNode history = h.get("/v1/clusters/" + cluster + "/history").json();
            return StreamSupport.stream(history.spliterator(), false).filter(e -> type.equals(e.path("type").asText()))
                    .reduce((first, second) -> second).map(e -> e.path("commandId").asText()).orElse(null);
        });
    }
}
