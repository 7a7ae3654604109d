package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.NewerWriters;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.node.FoldGroupMember;
import io.coxswain.orchestrator.topology.NewerSchemas;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console during a rolling upgrade, in a real headless Chromium against a real node and gateway: a state or a command a
 * newer Coxswain wrote, which this gateway cannot fully read, shows with the gateway's note saying what it cannot read, and
 * a change a fold node still on an older Coxswain could not read is shown refused, naming the field, with nothing written.
 */
class ConsoleRollingUpgradeBrowserTest extends ConsoleBrowserHarness {

    private static final String STATE_NOTE = "written with state schema v" + (NewerSchemas.STATE_VERSION + 1) + ", which this gateway (v"
            + NewerSchemas.STATE_VERSION + ") cannot fully read: it sets spec.changeFreeze, a field this gateway does not know and would drop";
    /** The first commands schema without CreateCluster's approval policy, which commands v27 added. */
    private static final int BEFORE_POLICIES = 26;

    /** The cluster's states are written to the state topic by the test, for a cluster the node never folded: nothing else moves it on. */
    @Test
    void aStateANewerCoxswainWroteIsNotedOnItsPageAndMarkedInTheListUntilAStateReadWholeArrives() {
        String cluster = "frozen-" + UUID.randomUUID().toString().substring(0, 6);
        ClusterState created = Evolve.apply(null, Commands.on(cluster).commandId("create-1").createCluster("4.1.0", 1, 3, "10Gi"));
        NewerRecords.state(h, created, NewerWriters.changeFreeze("until the audit ends"));
        Poll.until(Duration.ofSeconds(60), cluster + "'s state in the read model", () -> h.get("/v1/clusters/" + cluster).status() == 200);

        openCluster(cluster);
        page.awaitText("c-note", "Note: " + STATE_NOTE + ". What this page shows is what this gateway can read: upgrade the gateway to"
                + " see the rest.");
        assertThat(page.text("c-brokers")).as("what it can read, shown").isEqualTo("3");
        assertThat(versionCell(cluster)).isEqualTo(List.of("1 \u2014 not all read (newer schema)", STATE_NOTE + "; open the cluster for more"));

        ClusterState next = ClusterState.newBuilder(created).setVersion(created.getVersion() + 1).build();
        NewerRecords.currentState(h, next);
        page.awaitText("c-version", "2");
        page.await(ExpectedConditions.invisibilityOfElementLocated(By.id("c-note")));
        assertThat(page.text("c-note")).as("a state read whole has no note").isEmpty();
        page.await(d -> versionCell(cluster).equals(List.of("2", "")));
    }

    @Test
    void aCommandANewerCoxswainWroteShowsItsNoteUnderItsResultInTheHistory() {
        String cluster = "drained-" + UUID.randomUUID().toString().substring(0, 6);
        accepted(create(cluster));
        NewerRecords.command(h, NewerRecords.carrier(cluster, "drain-1"), NewerWriters.drainBroker(NewerRecords.COMMANDS, 2));
        Poll.until(Duration.ofSeconds(60), "drain-1 rejected in the read model",
                () -> "rejected".equals(h.get("/v1/commands/drain-1?clusterId=" + cluster).json().path("status").asText()));

        openCluster(cluster);
        String row = page.await(d -> d.findElement(ConsolePage.historyRow("drain-1")).getText());
        String note = "Note: written with commands schema v" + (StoredCommands.CURRENT_VERSION + 1) + ", which this gateway (v"
                + StoredCommands.CURRENT_VERSION + ") cannot fully read: it is a DrainBroker, a command type this gateway does not know";
        assertThat(row).as("shown as its writer named it, the node's rejection, then the note on a line of its own")
                .contains("DrainBroker", "bob", "rejected", "OTHER: ", "\n" + note);
        String shown = page.await(d -> d.findElement(By.cssSelector("#history tr[data-command='drain-1'] .note")).getText());
        assertThat(shown).isEqualTo(note);
        assertThat(page.text("history")).as("a command this gateway reads whole has no note").containsOnlyOnce("Note: ");
    }

    /**
     * A fold node announcing commands schema v26 (a real member of the node's fold group) makes the gateway refuse a
     * CreateCluster with an approval policy, which that node would drop; sent again once the node has left, it is written.
     */
    @Test
    void aChangeAnOlderFoldNodeCouldNotReadIsShownRefusedNamingTheFieldWithNothingWritten() throws Exception {
        String cluster = "guarded-" + UUID.randomUUID().toString().substring(0, 6);
        String legacy = "legacy-" + UUID.randomUUID().toString().substring(0, 6) + "-commands-v" + BEFORE_POLICIES;
        page.signIn(GatewayHarness.TOKEN);
        page.awaitContains("who", "signed in as alice");
        page.type("new-id", cluster).type("new-policy-commands", "DeleteTopic");
        try (FoldGroupMember older = FoldGroupMember.join(h.node, legacy)) {
            h.awaitNodes("the v" + BEFORE_POLICIES + " member",
                    n -> n.path("oldestCommandsSchemaVersion").asInt() == BEFORE_POLICIES);

            page.submit("create-form").awaitContains("create-result", "CreateCluster refused (409, payload.approvalPolicy): CreateCluster ");
            assertThat(page.text("create-result")).contains("on cluster '" + cluster + "' was not written: it sets payload.approvalPolicy, a"
                    + " field commands schema v" + BEFORE_POLICIES + " does not know and would drop", legacy,
                    "Nothing was written and the command id stays free", "finish upgrading the fold nodes");
            assertThat(page.element("create-result").getAttribute("class")).isEqualTo("error");
            assertThat(page.text("create-result-command")).as("no command written, none linked").isEmpty();
            assertThat(h.get("/v1/clusters/" + cluster).status()).as("nothing written").isEqualTo(404);
        }
        h.awaitNodes("only current members", n -> n.path("oldestCommandsSchemaVersion").asInt() == StoredCommands.CURRENT_VERSION);

        page.submit("create-form").awaitText("create-result", "CreateCluster accepted: version 1").awaitText("c-id", cluster);
        page.awaitContains("approval-policy", "DeleteTopic: 1 approval");
    }

    /** The list's Version cell of {@code cluster}: its text and tooltip, read together (the list may be filled again between two reads). */
    private static List<String> versionCell(String cluster) {
        return page.await(d -> {
            WebElement td = d.findElement(By.cssSelector("tr[data-cluster='" + cluster + "'] td:nth-child(2)"));
            return List.of(td.getText(), Objects.toString(td.getAttribute("title"), ""));
        });
    }
}
