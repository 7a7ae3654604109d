package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.coxExits;
import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.orchestrator.node.FoldGroupMember;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade as the gateway sees it: a fold node announcing an older commands schema (a real Kafka Streams member of
 * the fold's group, running the fold, whose client id says commands-v28) makes the gateway refuse, before writing it, a
 * command that node would not read whole (a RestartMirror, which commands v29 added); once every member is current the same
 * command is written. Members that announce no version (a Coxswain from before announcements) never block.
 */
class NodesBehindApiTest extends GatewayPerClass {

    private static final int CURRENT = StoredCommands.CURRENT_VERSION;
    private static final int OLDER = CURRENT - 1;

    @Test
    void anOlderFoldNodeMakesTheGatewayRefuseACommandTypeItLacksUntilEveryNodeIsCurrent() throws Exception {
        String restart = restartMirror("restart-1");
        String legacy = "legacy-" + UUID.randomUUID().toString().substring(0, 6) + "-commands-v" + OLDER;
        try (FoldGroupMember older = FoldGroupMember.join(h.node, legacy)) {
            h.awaitNodes("the v" + OLDER + " member", n -> n.path("oldestCommandsSchemaVersion").asInt() == OLDER);

            GatewayHarness.Reply refused = h.post("/v1/commands?wait=true", restart);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
            JsonNode r = refused.json();
            assertThat(r.path("code").asText()).isEqualTo("NODES_BEHIND");
            assertThat(r.path("field").asText()).isEqualTo("type");
            assertThat(r.path("error").asText()).contains("RestartMirror restart-1 on cluster 'dr' was not written",
                    "it is a RestartMirror, a command type commands schema v" + OLDER + " does not know", legacy + " on ",
                    "(commands schema v" + OLDER + ")", "this gateway (commands schema v" + CURRENT + ")", "Nothing was written",
                    "finish upgrading the fold nodes", "then send it again");
            assertThat(r.path("nodesBehind")).isNotEmpty().allSatisfy(n -> {
                assertThat(n.path("node").asText()).isEqualTo(legacy);
                assertThat(n.path("commandsSchemaVersion").asInt()).isEqualTo(OLDER);
            });
            GatewayHarness.Reply dry = h.post("/v1/commands?dryRun=true", restart);
            assertThat(dry.status()).isEqualTo(409);
            assertThat(dry.json().path("code").asText()).isEqualTo("NODES_BEHIND");
            assertThat(dry.json().path("dryRun").asBoolean()).isTrue();
            assertThat(commandIdsInTopic()).as("nothing written").doesNotContain("restart-1");

            assertThat(h.post("/v1/commands?wait=true", create("dr")).status()).as("a command the older node reads whole is written")
                    .isEqualTo(200);

            String nodes = coxExits(0, cox(), "nodes");
            assertThat(nodes).contains(legacy, "v" + OLDER, "v" + CURRENT, "this gateway writes commands schema v" + CURRENT,
                    "the oldest node reads v" + OLDER);
            String refusedByCox = coxExits(1, cox(), "mirror", "restart", "dr", "to-pay", "--command-id", "restart-2");
            assertThat(refusedByCox).contains("was not written", "a command type commands schema v" + OLDER + " does not know", "[type]");
        }
        h.awaitNodes("only current members", n -> n.path("oldestCommandsSchemaVersion").asInt() == CURRENT);

        GatewayHarness.Reply written = h.post("/v1/commands", restart);
        assertThat(written.status()).as(written.toString()).isEqualTo(202);
        assertThat(commandIdsInTopic()).contains("restart-1");
    }

    @Test
    void membersThatAnnounceNoVersionNeverBlockAndAreListed() throws Exception {
        String before = "coxswain-before-announcements-" + UUID.randomUUID().toString().substring(0, 6);
        try (FoldGroupMember unknown = FoldGroupMember.join(h.node, before)) {
            JsonNode nodes = h.awaitNodes("the member without a version",
                    n -> members(n).stream().anyMatch(m -> m.path("node").asText().equals(before)));
            JsonNode member = members(nodes).stream().filter(m -> m.path("node").asText().equals(before)).findFirst().orElseThrow();
            assertThat(member.path("commandsSchemaVersion").isNull()).isTrue();
            assertThat(member.path("host").asText()).isNotBlank();
            assertThat(member.path("clientId").asText()).startsWith(before + "-StreamThread-");
            assertThat(members(nodes)).as("the harness's own node, current").anySatisfy(m -> {
                assertThat(m.path("clientId").asText()).contains("-commands-v" + CURRENT + "-StreamThread-");
                assertThat(m.path("commandsSchemaVersion").asInt()).isEqualTo(CURRENT);
            });
            assertThat(nodes.path("group").asText()).isEqualTo(h.node.config().applicationId());

            GatewayHarness.Reply written = h.post("/v1/commands", restartMirror("restart-unknown"));
            assertThat(written.status()).as(written.toString()).isEqualTo(202);
            assertThat(commandIdsInTopic()).contains("restart-unknown");
            assertThat(coxExits(0, cox(), "nodes")).contains(before, "unknown", "a Coxswain from before version announcements");
        }
    }

    private static String restartMirror(String commandId) {
        return "{\"commandId\":\"" + commandId + "\",\"clusterId\":\"dr\",\"type\":\"RestartMirror\",\"payload\":{\"name\":\"to-pay\"}}";
    }

    private static String[] cox() {
        return new String[] {"--gateway", h.url(), "--token", GatewayHarness.TOKEN};
    }

    private static List<JsonNode> members(JsonNode nodes) {
        return StreamSupport.stream(nodes.path("members").spliterator(), false).toList();
    }

    /** Every command id in the commands topic, read from its start to the end offsets as of now. */
    private static List<String> commandIdsInTopic() {
        return SharedKafka.readAll(h.node.config().topics().commands()).stream()
                .map(r -> h.node.codecs().commands().decode(r.headers(), r.value()).getCommandId()).toList();
    }
}
