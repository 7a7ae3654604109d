package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The console's consumer group offset resets, in headless Chromium against a real node and gateway
 * (ConsoleBrowserHarness): a reset asked from the form (a malformed time named by the gateway and nothing written,
 * then a preview, then the reset), shown pending, then planned as the executor's OffsetResetObserved reports it, then
 * refused with the executor's reason among the latest outcomes; a reset not planned yet cancelled from its row. Each
 * row's command links to its History row.
 */
class ConsoleOffsetResetsBrowserTest extends ConsoleBrowserHarness {

    @Test
    void anOperatorResetsAGroupFromTheConsoleAndFollowsItFromPendingToItsOutcome() {
        accepted(GatewayHarness.create("reset-web"));
        accepted(GatewayHarness.createTopic("reset-web", "orders"));
        openCluster("reset-web");
        page.awaitText("offset-resets-none", "None asked for.");

        page.type("reset-group", "billing").type("reset-topics", "orders").type("reset-reason", "replay after the fix");
        page.select("reset-to").selectByVisibleText("DATETIME");
        page.type("reset-value", "yesterday morning");
        page.submit("reset-form").awaitContains("result", "ResetConsumerGroupOffsets refused (400, payload.datetime)");
        assertThat(h.get("/v1/clusters/reset-web").json().at("/spec/offsetResets").isEmpty()).as("nothing written").isTrue();

        page.type("reset-value", "2026-12-01T10:00:00Z");
        page.preview("reset-form").awaitContains("result", "ResetConsumerGroupOffsets would be accepted");
        assertThat(page.text("result")).contains("spec.offsetResets");
        page.submit("reset-form").awaitContains("result", "ResetConsumerGroupOffsets accepted")
                .awaitContains("offset-resets", "billing DATETIME 2026-12-01T10:00:00Z orders " + GatewayHarness.PRINCIPAL);
        assertThat(page.text("offset-resets")).contains("not yet replay after the fix");
        String id = h.get("/v1/clusters/reset-web").json().at("/spec/offsetResets/billing/commandId").asText();
        assertThat(page.followCommand("#offset-resets tr[data-group='billing'] a.command", id)).contains("ResetConsumerGroupOffsets");

        h.observe("reset-web", "{\"type\":\"OffsetResetObserved\",\"commandId\":\"" + id + "\",\"group\":\"billing\",\"state\":\"PLANNED\","
                + "\"partitions\":{\"orders\":[{\"partition\":0,\"from\":120,\"to\":40},{\"partition\":1,\"from\":null,\"to\":0}]}}");
        page.awaitContains("offset-resets", "2 partitions at ");

        h.observe("reset-web", "{\"type\":\"OffsetResetObserved\",\"commandId\":\"" + id + "\",\"group\":\"billing\",\"state\":\"REFUSED\","
                + "\"reason\":\"consumer group 'billing' has 1 member(s) (consumer-1): stop its consumers\"}");
        page.awaitContains("offset-outcomes", "billing REFUSED 0 ");
        assertThat(page.text("offset-outcomes")).contains(id + " consumer group 'billing' has 1 member(s) (consumer-1): stop its consumers");
        assertThat(page.element("offset-resets").isDisplayed()).as("no longer pending").isFalse();

        // a reset not planned yet is withdrawn from its row
        page.type("reset-group", "audit").type("reset-topics", "").type("reset-reason", "wrong group");
        page.select("reset-to").selectByVisibleText("LATEST");
        page.submit("reset-form").awaitContains("offset-resets", "audit LATEST every topic it has offsets on");
        String audit = h.get("/v1/clusters/reset-web").json().at("/spec/offsetResets/audit/commandId").asText();
        page.click("#offset-resets tr[data-group='audit'] button.cancel-reset")
                .awaitContains("result", "CancelConsumerGroupOffsetReset accepted")
                .awaitContains("offset-outcomes", "audit CANCELLED 0 ");
        assertThat(page.text("offset-outcomes")).contains("cancelled by command");
        // each group's outcome links the reset it ended
        assertThat(page.followCommand("#offset-outcomes tr[data-group='billing'] a.command", id)).contains("ResetConsumerGroupOffsets");
        assertThat(page.followCommand("#offset-outcomes tr[data-group='audit'] a.command", audit)).contains("ResetConsumerGroupOffsets");
        assertThat(h.get("/v1/audit?cluster=reset-web&type=CancelConsumerGroupOffsetReset").json().at("/entries/0/command/unchangedSinceVersion")
                .asLong()).as("sent against the version the page showed").isPositive();
    }
}
