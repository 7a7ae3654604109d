package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.gateway.json.JsonCommands;
import io.coxswain.orchestrator.NewerWriters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Commands a newer Coxswain wrote, as a gateway older than it shows them during a rolling upgrade: its read model reads
 * them as the fold does, so a command type it lacks is not shown as another type Avro could fill from it, and fields it
 * lacks are not dropped unsaid. GET /v1/commands/{id} and the cluster's history name the writer's type and say which
 * schema version wrote the command and what this gateway cannot read; the node's rejection shows as any other.
 */
class NewerCommandsApiTest extends GatewayPerClass {

    private static final int NEWER = StoredCommands.CURRENT_VERSION + 1;
    private static final String CANNOT_READ = "written with commands schema v" + NEWER + ", which this gateway (v"
            + StoredCommands.CURRENT_VERSION + ") cannot fully read: ";

    @Test
    void aCommandTypeThisGatewayDoesNotKnowShowsAsItsWriterNamedItNotAsAnotherType() {
        assertThat(h.post("/v1/commands?wait=true", create("payments")).status()).isEqualTo(200);

        NewerRecords.command(h, NewerRecords.carrier("payments", "drain-1"), NewerWriters.drainBroker(NewerRecords.COMMANDS, 2));

        JsonNode c = rejected("payments", "drain-1");
        assertThat(c.get("type").asText()).as(c.toString()).isEqualTo("DrainBroker");
        assertThat(c.get("issuer").asText()).isEqualTo("bob");
        assertThat(c.get("note").asText()).isEqualTo(CANNOT_READ + "it is a DrainBroker, a command type this gateway does not know");
        assertThat(c.get("reason").asText()).as("the node's rejection, as usual")
                .contains("it is a DrainBroker, a command type this node does not know");
        JsonNode entry = historyEntry("payments", "drain-1");
        assertThat(entry.get("type").asText()).isEqualTo("DrainBroker");
        assertThat(entry.get("note").asText()).isEqualTo(c.get("note").asText());
        assertThat(entry.get("code").asText()).isEqualTo("OTHER");
    }

    @Test
    void fieldsThisGatewayDoesNotKnowAreNamedNotDroppedUnsaid() {
        Command carrier = JsonCommands.parse(create("ledger").replace("{\"clusterId\"", "{\"commandId\":\"create-ledger\",\"clusterId\"")
                .getBytes(StandardCharsets.UTF_8), "bob", Instant.now());

        NewerRecords.command(h, carrier, NewerWriters.futureSetting("on"));

        JsonNode c = rejected("ledger", "create-ledger");
        assertThat(c.get("type").asText()).isEqualTo("CreateCluster");
        assertThat(c.get("note").asText())
                .isEqualTo(CANNOT_READ + "it sets payload.futureSetting, a field this gateway does not know and would drop");
        assertThat(historyEntry("ledger", "create-ledger").get("note").asText()).isEqualTo(c.get("note").asText());

        JsonNode plain = h.post("/v1/commands?wait=true", create("ledger")).json();
        assertThat(plain.get("status").asText()).isEqualTo("accepted");
        assertThat(h.get("/v1/commands/" + plain.get("commandId").asText() + "?clusterId=ledger").json().has("note"))
                .as("a command this gateway reads whole has no note").isFalse();
    }

    /** GET /v1/commands/{id} once the read model holds the node's rejection. */
    private static JsonNode rejected(String clusterId, String commandId) {
        return Poll.until(Duration.ofSeconds(60), commandId + " rejected in the read model", () -> {
            GatewayHarness.Reply r = h.get("/v1/commands/" + commandId + "?clusterId=" + clusterId);
            return r.status() == 200 && r.json().get("status").asText().equals("rejected") ? r.json() : null;
        });
    }

    private static JsonNode historyEntry(String clusterId, String commandId) {
        JsonNode history = h.get("/v1/clusters/" + clusterId + "/history").json();
        return StreamSupport.stream(history.spliterator(), false).filter(e -> commandId.equals(e.path("commandId").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(commandId + " not in " + history));
    }
}
