package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The console's approvals (four eyes), in headless Chromium against a real node and gateway (ConsoleBrowserHarness):
 * alice sets the policy from its form and proposes a topic deletion, which her page shows waiting with only a Withdraw
 * button; bob, signed in on a fresh tab, reads what it would do and approves it, and the change is applied; a second
 * proposal is rejected by bob only once he says why; the History table says what became of each. Each command named (the
 * policy's, a proposal's, an outcome's) links to its History row, whose Command column shows a generated id's first 8
 * characters and holds the whole id to find and copy. A cluster created from the create form with a policy (previewed
 * first; hours without commands refused by the form) shows it on its page.
 */
class ConsoleApprovalsBrowserTest extends ConsoleBrowserHarness {

    private static final String CLUSTER = "approve-web";

    @Test
    void aChangeWaitsOnThePageUntilAnotherPersonApprovesOrRejectsIt() {
        accepted(GatewayHarness.create(CLUSTER));
        accepted(GatewayHarness.createTopic(CLUSTER, "orders"));
        accepted(GatewayHarness.createTopic(CLUSTER, "audit"));
        openCluster(CLUSTER);
        page.awaitText("approval-policy", "No approval policy: every change takes effect once accepted.");

        page.type("policy-commands", "DeleteTopic").type("policy-approvals", "1").type("policy-expires", "48");
        page.preview("policy-form").awaitContains("result", "SetApprovalPolicy would be accepted");
        page.submit("policy-form").awaitContains("result", "SetApprovalPolicy accepted")
                .awaitContains("approval-policy", "DeleteTopic: 1 approval by people other than the proposer; a proposal expires after 48 h"
                        + " (set by " + GatewayHarness.PRINCIPAL);
        String policyCommand = h.get("/v1/clusters/" + CLUSTER).json().at("/spec/approvalPolicy/commandId").asText();
        assertThat(page.followCommand("#approval-policy a.command", policyCommand)).contains("SetApprovalPolicy");
        assertCommandColumn(policyCommand);

        proposeDeletion("drop-orders", "orders");
        page.awaitContains("proposals", "DeleteTopic {\"name\":\"orders\"} " + GatewayHarness.PRINCIPAL);
        assertThat(page.text("proposals")).contains("0 of 1", "drop-orders", "Withdraw").doesNotContain("Approve");
        assertThat(page.followCommand("#proposals tr[data-command='drop-orders'] a.command", "drop-orders"))
                .contains("DeleteTopic", "proposed");
        assertThat(page.text("topics")).as("not applied").contains("orders");

        page.freshTab(h.url());
        page.signIn(GatewayHarness.OTHER_TOKEN);
        page.follow(CLUSTER);
        page.awaitContains("proposals", "drop-orders");
        page.click("#proposals tr[data-command='drop-orders'] button.approve")
                .awaitContains("result", "ApproveCommand accepted")
                .awaitContains("result", "DeleteTopic proposed by " + GatewayHarness.PRINCIPAL + ": APPLIED")
                .awaitContains("proposal-outcomes", "DeleteTopic APPLIED");
        assertThat(page.text("proposal-outcomes")).contains(GatewayHarness.PRINCIPAL + " " + GatewayHarness.OTHER_PRINCIPAL);

        // the history says the deletion was proposed and then applied, on its own line and on the approval's
        page.awaitContains("history", "DeleteTopic drop-orders APPLIED v");
        assertThat(page.text("history")).contains("proposed").containsPattern("APPLIED v\\d+ by " + GatewayHarness.OTHER_PRINCIPAL);
        assertThat(page.followCommand("#proposal-outcomes tr[data-command='drop-orders'] a.command", "drop-orders"))
                .contains("DeleteTopic", "proposed");
        // the approval's History entry names the proposal it acted on, linked to the proposal's own row
        page.followCommand("#approval-policy a.command", policyCommand);
        page.followCommand("#history tr:not([data-command='drop-orders']) a.command[data-command='drop-orders']", "drop-orders");
        assertThat(h.get("/v1/clusters/" + CLUSTER).json().at("/topics/orders").isMissingNode()).as("applied").isTrue();

        proposeDeletion("drop-audit", "audit");
        page.awaitContains("proposals", "drop-audit");
        page.click("#proposals tr[data-command='drop-audit'] button.reject")
                .awaitContains("result", "Say why in the reason box before rejecting");
        assertThat(h.get("/v1/clusters/" + CLUSTER).json().at("/spec/proposals/drop-audit").isObject()).as("nothing sent").isTrue();
        page.type("proposal-reason", "compliance still reads it");
        page.click("#proposals tr[data-command='drop-audit'] button.reject")
                .awaitContains("result", "DeleteTopic proposed by " + GatewayHarness.PRINCIPAL + ": REJECTED (compliance still reads it)")
                .awaitContains("proposal-outcomes", "DeleteTopic REJECTED");
        assertThat(page.element("proposals").isDisplayed()).as("nothing waits any more").isFalse();
        page.awaitContains("history", "REJECTED by " + GatewayHarness.OTHER_PRINCIPAL + ": compliance still reads it");
        assertThat(h.get("/v1/clusters/" + CLUSTER).json().at("/topics/audit").isObject()).as("kept").isTrue();
    }

    @Test
    void aClusterCreatedFromTheFormWithAPolicyHoldsItFromItsFirstVersion() {
        String cluster = "born-web";
        page.signIn(GatewayHarness.TOKEN);
        // the forms show once the sign-in is answered: typed into before that, the field is not interactable
        page.awaitContains("who", "signed in as " + GatewayHarness.PRINCIPAL);
        page.type("new-id", cluster).type("new-policy-expires", "24");
        page.preview("create-form");
        assertThat(page.element("new-policy-expires").getAttribute("validationMessage")).as("hours without commands: no policy, refused")
                .contains("Name the changes needing approval");

        page.type("new-policy-commands", "DeleteTopic, ScaleBrokers").type("new-policy-approvals", "2");
        page.preview("create-form").awaitContains("create-result", "CreateCluster would be accepted as version 1");
        assertThat(page.text("create-result")).contains("\"approvalPolicy\":{").contains("\"commands\":[\"DeleteTopic\",\"ScaleBrokers\"]");
        assertThat(h.get("/v1/clusters/" + cluster).status()).as("a preview creates nothing").isEqualTo(404);

        page.submit("create-form").awaitText("create-result", "CreateCluster accepted: version 1").awaitText("c-id", cluster);
        page.awaitContains("approval-policy", "DeleteTopic, ScaleBrokers: 2 approvals by people other than the proposer; a proposal"
                + " expires after 24 h (set by " + GatewayHarness.PRINCIPAL);
        assertThat(h.get("/v1/clusters/" + cluster).json().at("/spec/approvalPolicy/rules/0/approvals").asInt()).isEqualTo(2);
    }

    /**
     * The History row's Command cell: a generated id shown as its first 8 characters and an ellipsis (the cell as wide as
     * those), the whole id its tooltip and its text (what the browser's find matches), and one click selects it all to copy.
     */
    private static void assertCommandColumn(String commandId) {
        String cell = "#history tr[data-command='" + commandId + "'] td:nth-child(2) code.command-id";
        // read in one script: the table may be filled again between two reads
        assertThat(page.script("const id = document.querySelector(arguments[0]); const shown = id.cloneNode(); shown.textContent = arguments[1];"
                + " id.after(shown); const width = shown.getBoundingClientRect().width; shown.remove();"
                + " return [id.title, id.textContent, Math.abs(width - id.getBoundingClientRect().width) < 1, id.scrollWidth > id.clientWidth]",
                cell, commandId.substring(0, 8) + "\u2026")).as("tooltip, text, as wide as its first 8 characters and an ellipsis, clipped")
                .isEqualTo(List.of(commandId, commandId, true, true));
        Object selected = page.await(d -> {
            d.findElement(By.cssSelector(cell)).click();
            return page.script("return window.getSelection().toString()");
        });
        assertThat(selected).as("one click selects the whole id").isEqualTo(commandId);
    }

    /** alice proposes the deletion of {@code topic} through the API. */
    private static void proposeDeletion(String commandId, String topic) {
        GatewayHarness.Reply r = h.post("/v1/commands?wait=true", "{\"commandId\":\"" + commandId + "\",\"clusterId\":\"" + CLUSTER
                + "\",\"type\":\"DeleteTopic\",\"payload\":{\"name\":\"" + topic + "\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
    }
}
