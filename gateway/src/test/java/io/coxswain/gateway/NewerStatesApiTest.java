package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.NewerWriters;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.topology.NewerSchemas;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A state a newer Coxswain's fold wrote, as a gateway older than it shows it during a rolling upgrade: its state schema
 * has a field this gateway lacks ({@link NewerWriters#stateSchema}), set. Avro would drop it and the gateway show the rest
 * as the whole state; instead GET /v1/clusters/{id} (and so cox get) and the cluster's summary in GET /v1/clusters carry a
 * note naming the writer's version and the field, until a state this gateway reads whole arrives. The states are written to the state topic
 * by the test, for a cluster the node never folded, so nothing else moves it on.
 */
class NewerStatesApiTest extends GatewayPerClass {

    private static final String NOTE = "written with state schema v" + (NewerSchemas.STATE_VERSION + 1) + ", which this gateway (v"
            + NewerSchemas.STATE_VERSION + ") cannot fully read: it sets spec.changeFreeze, a field this gateway does not know and would drop";

    @Test
    void aStateWithAFieldThisGatewayLacksIsShownWithANoteNamingItUntilAStateItReadsWholeArrives() {
        ClusterState created = Evolve.apply(null, Commands.on("frozen").commandId("create-1").createCluster("4.1.0", 1, 3, "10Gi"));
        NewerRecords.state(h, created, NewerWriters.changeFreeze("until the audit ends"));

        JsonNode state = Poll.until(Duration.ofSeconds(60), "frozen's state in the read model", () -> {
            GatewayHarness.Reply r = h.get("/v1/clusters/frozen");
            return r.status() == 200 ? r.json() : null;
        });
        assertThat(state.get("note").asText()).as(state.toString()).isEqualTo(NOTE);
        assertThat(state.get("spec").get("brokers").asInt()).as("what it can read, shown").isEqualTo(3);
        assertThat(summary().get("note").asText()).isEqualTo(NOTE);
        assertThat(GatewayHarness.coxExits(0, new String[] {"--gateway", h.url(), "--token", GatewayHarness.TOKEN}, "get", "frozen"))
                .contains("Note: " + NOTE);

        ClusterState next = ClusterState.newBuilder(created).setVersion(created.getVersion() + 1).build();
        NewerRecords.currentState(h, next);
        JsonNode whole = Poll.until(Duration.ofSeconds(60), "frozen's next state in the read model", () -> {
            JsonNode s = h.get("/v1/clusters/frozen").json();
            return s.get("version").asLong() == next.getVersion() ? s : null;
        });
        assertThat(whole.has("note")).as("a state this gateway reads whole has no note: " + whole).isFalse();
        assertThat(summary().has("note")).isFalse();
    }

    private static JsonNode summary() {
        JsonNode list = h.get("/v1/clusters").json();
        return StreamSupport.stream(list.spliterator(), false).filter(c -> c.get("clusterId").asText().equals("frozen")).findFirst()
                .orElseThrow(() -> new AssertionError("frozen not in " + list));
    }
}
