package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.command.Command;
import io.coxswain.commands.Commands;
import io.coxswain.gateway.readmodel.CommandView;
import io.coxswain.orchestrator.FoldMemories;
import io.coxswain.orchestrator.NewerWriters;
import io.coxswain.orchestrator.fold.CommandFold;
import io.coxswain.orchestrator.topology.NewerSchemas;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A command whose decision this gateway cannot read (a newer fold wrote it with an outcome type this gateway lacks) is not
 * shown pending forever: GET /v1/commands/{id} and cox history say its decision exists, where it is on the events topic,
 * and what to do. A decision record it cannot decode even as written (its schema is not in the registry it reads) cannot be
 * told apart by command: the cluster's commands without a decision say theirs may be it, and where it is.
 *
 * <p>The harness node's fold is stopped first: the test writes each command record and its decision as a newer node would.
 */
class UnreadableDecisionApiTest extends GatewayPerClass {

    private static final Duration SEEN = Duration.ofSeconds(30);

    @BeforeAll
    static void stopTheFold() {
        h.node.streams().close(Duration.ofSeconds(60));
    }

    @Test
    void aDecisionOfANewerOutcomeTypeShowsAsExistingButUnreadableSayingWhereAndWhatToDo() {
        Command create = Commands.on("shop").commandId("create-shop").issuer("bob").createCluster("4.1.0", 3, 3, "10Gi");
        long offset = NewerRecords.currentCommand(h, create);
        CommandFold.Step decided = CommandFold.apply(FoldMemories.holding(null), create, offset);
        long at = NewerRecords.decision(h, decided.decision(), NewerWriters.deferred(NewerRecords.EVENTS, "2027-01-04"));

        JsonNode c = Poll.until(SEEN, "GET /v1/commands/create-shop showing its unreadable decision", () -> {
            GatewayHarness.Reply r = h.get("/v1/commands/create-shop");
            return r.status() == 200 && !CommandView.PENDING.equals(r.json().path("status").asText()) ? r.json() : null;
        });
        assertThat(c.get("status").asText()).as(c.toString()).isEqualTo(CommandView.DECISION_UNREADABLE);
        assertThat(c.get("offset").asLong()).isEqualTo(offset);
        String events = h.node.config().topics().events();
        assertThat(c.get("reason").asText())
                .startsWith("its decision exists (" + events + " partition ")
                .contains(", offset " + at + ") but this gateway cannot read it: it was written with events schema v"
                        + (NewerSchemas.EVENTS_VERSION + 1) + ", which this gateway (v" + NewerSchemas.EVENTS_VERSION + ") cannot fully read")
                .contains("CommandDeferred")
                .endsWith("Upgrade this gateway to a Coxswain that knows events schema v" + (NewerSchemas.EVENTS_VERSION + 1) + " to see it");
        assertThat(c.has("version")).isFalse();

        String history = GatewayHarness.coxExits(0, new String[] {"--gateway", h.url(), "--token", GatewayHarness.TOKEN}, "history", "shop");
        assertThat(history).contains(CommandView.DECISION_UNREADABLE).contains(c.get("reason").asText()).doesNotContain("-: its decision");
    }

    @Test
    void aDecisionRecordItCannotDecodeAtAllIsNamedOnTheClustersCommandsWithoutADecision() {
        Command create = Commands.on("ledger").commandId("create-ledger").issuer("bob").createCluster("4.1.0", 3, 3, "10Gi");
        NewerRecords.currentCommand(h, create);
        // the wire format's magic byte and a schema id no registry here has
        long at = NewerRecords.decision(h, "ledger", new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 2, 4});

        JsonNode c = Poll.until(SEEN, "GET /v1/commands/create-ledger naming the undecodable decision", () -> {
            GatewayHarness.Reply r = h.get("/v1/commands/create-ledger");
            return r.status() == 200 && r.json().has("note") ? r.json() : null;
        });
        assertThat(c.get("status").asText()).as(c.toString()).isEqualTo(CommandView.PENDING);
        assertThat(c.get("note").asText())
                .startsWith("this gateway could not read 1 decision record of cluster ledger (" + h.node.config().topics().events()
                        + " partition ")
                .contains(", offset " + at + ": unknown schema id")
                .contains("if this command's decision is one, it stays pending here")
                .endsWith("or upgrade this gateway");
    }

    @Test
    void aSenderWaitingForTheDecisionIsToldAtOnceThatItCameAndCannotBeRead() {
        CompletableFuture<GatewayHarness.Reply> posted = CompletableFuture.supplyAsync(() -> h.post("/v1/commands?wait=true",
                "{\"clusterId\":\"till\",\"commandId\":\"create-till\",\"type\":\"CreateCluster\",\"payload\":{"
                        + "\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"}}}"));
        long at = decideUnreadably("till", "create-till");
        GatewayHarness.Reply r = posted.join();
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isEqualTo(CommandView.DECISION_UNREADABLE);
        assertThat(r.json().get("reason").asText()).contains(", offset " + at + ") but this gateway cannot read it")
                .endsWith("Upgrade this gateway to a Coxswain that knows events schema v" + (NewerSchemas.EVENTS_VERSION + 1) + " to see it");

        String[] alice = {"--gateway", h.url(), "--token", GatewayHarness.TOKEN};
        CompletableFuture<String> cox = CompletableFuture.supplyAsync(() -> GatewayHarness.coxExits(3, alice, "create-cluster", "fern",
                "--kafka-version", "4.1.0", "--command-id", "create-fern"));
        decideUnreadably("fern", "create-fern");
        assertThat(cox.join())
                .contains("CreateCluster on fern: decided, but the gateway cannot read how (command create-fern): its decision exists (")
                .contains("command create-fern was decided, but not known to be applied: the gateway cannot read its decision; upgrade the"
                        + " gateway, then see it with: cox history fern")
                .doesNotContain("accepted");
    }

    /**
     * Once the gateway has the record of command {@code commandId} that a sender is waiting on, writes its decision as a newer
     * node would, with an outcome type this gateway lacks; returns the decision's offset.
     */
    private static long decideUnreadably(String cluster, String commandId) {
        long offset = Poll.until(SEEN, "the gateway reading command " + commandId, () -> {
            GatewayHarness.Reply r = h.get("/v1/commands/" + commandId);
            return r.status() == 200 && r.json().has("offset") ? r.json().get("offset").asLong() : null;
        });
        Command sent = Commands.on(cluster).commandId(commandId).issuer("alice").createCluster("4.1.0", 3, 3, "10Gi");
        CommandFold.Step decided = CommandFold.apply(FoldMemories.holding(null), sent, offset);
        return NewerRecords.decision(h, decided.decision(), NewerWriters.deferred(NewerRecords.EVENTS, "2027-01-04"));
    }
}
