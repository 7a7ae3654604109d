package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.NewerWriters;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.topology.NewerSchemas;
import io.coxswain.orchestrator.topology.NewerStateFields;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A state a newer Coxswain's fold wrote, as a gateway older than it shows it during a rolling upgrade: its state schema
 * has a field this gateway lacks ({@link NewerWriters#stateSchema}), set. Avro would drop it and the gateway show the rest
 * as the whole state; instead GET /v1/clusters/{id} (and so cox get) and the cluster's summary in GET /v1/clusters carry a
 * note naming the writer's version and the field, until a state this gateway reads whole arrives; a dry run answers the
 * rejection a node of this version gives, rather than folding the command onto the rest. The states are written to the
 * state topic by the test, for clusters the node never folded, so nothing else moves them on.
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

    @Test
    void aDryRunOnAStateWithAFieldThisGatewayLacksAnswersTheNodesRejectionAndWritesNothingAndOneReadWholePreviewsAsBefore() {
        ClusterState created = Evolve.apply(null, Commands.on("thawing").commandId("create-2").createCluster("4.1.0", 1, 3, "10Gi"));
        byte[] frozen = NewerRecords.state(h, created, NewerWriters.changeFreeze("until the audit ends"));
        Poll.until(Duration.ofSeconds(60), "thawing's state, with its note, in the read model", () -> {
            GatewayHarness.Reply r = h.get("/v1/clusters/thawing");
            return r.status() == 200 && r.json().has("note") ? r : null;
        });

        GatewayHarness.Reply dry = h.post("/v1/commands?dryRun=true", scale("dry-scale-thawing"));
        assertThat(dry.status()).as(dry.body()).isEqualTo(422);
        assertThat(dry.json().get("dryRun").asBoolean()).isTrue();
        assertThat(dry.json().get("status").asText()).isEqualTo("rejected");
        assertThat(dry.json().get("code").asText()).isEqualTo("OTHER");
        assertThat(dry.json().get("asOfVersion").asLong()).isEqualTo(created.getVersion());
        assertThat(dry.json().get("changes").size()).isZero();
        Command scale = Commands.on("thawing").commandId("dry-scale-thawing").scaleBrokers(5);
        String nodes = NewerStateFields.rejection(scale, h.node.codecs().states().droppedFields(null, frozen).orElseThrow(),
                NewerSchemas.STATE_VERSION).reason();
        assertThat(dry.json().get("reason").asText()).as("the node's rejection, word for word").isEqualTo(nodes)
                .contains("it sets spec.changeFreeze, a field this node does not know and would drop",
                        "finish upgrading this node to a Coxswain that knows state schema v" + (NewerSchemas.STATE_VERSION + 1));
        assertThat(h.get("/v1/commands/dry-scale-thawing").status()).as("nothing written: the id is free").isEqualTo(404);
        assertThat(h.get("/v1/clusters/thawing").json().get("version").asLong()).isEqualTo(created.getVersion());

        ClusterState next = ClusterState.newBuilder(created).setVersion(created.getVersion() + 1).build();
        NewerRecords.currentState(h, next);
        Poll.until(Duration.ofSeconds(60), "thawing's next state in the read model",
                () -> h.get("/v1/clusters/thawing").json().get("version").asLong() == next.getVersion() ? true : null);
        GatewayHarness.Reply whole = h.post("/v1/commands?dryRun=true", scale("dry-scale-thawing"));
        assertThat(whole.status()).as("a state read whole previews as before: " + whole.body()).isEqualTo(200);
        assertThat(whole.json().get("version").asLong()).isEqualTo(next.getVersion() + 1);
        assertThat(whole.json().get("changes").toString()).contains("spec.brokers");
    }

    private static String scale(String commandId) {
        return "{\"commandId\":\"" + commandId + "\",\"clusterId\":\"thawing\",\"type\":\"ScaleBrokers\",\"payload\":{\"brokers\":5}}";
    }

    private static JsonNode summary() {
        JsonNode list = h.get("/v1/clusters").json();
        return StreamSupport.stream(list.spliterator(), false).filter(c -> c.get("clusterId").asText().equals("frozen")).findFirst()
                .orElseThrow(() -> new AssertionError("frozen not in " + list));
    }
}
