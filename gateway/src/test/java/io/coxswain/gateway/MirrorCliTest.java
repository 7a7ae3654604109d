package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code cox mirror set|delete|restart|list} end to end (CoxCliTest's way of running cox): bad input refused with the field named
 * before it reaches the log, the fold's rules as cox reports them, and what list and get show of the executor's
 * ConnectorsObserved (recorded here by the test as the executor would).
 */
class MirrorCliTest extends CoxCliHarness {

    @Test
    void aMirrorIsCheckedSetListedWithItsConnectorsOrWhyItDoesNotRunAndDeleted() throws Exception {
        assertThat(cox("create-cluster", "dr", "--kafka-version", "4.1.0").code()).isZero();
        Run noConnect = cox("mirror", "set", "dr", "from-pay", "--from", "payments");
        assertThat(noConnect.code()).isEqualTo(1);
        assertThat(noConnect.err()).contains("SetMirror on dr rejected (NOT_SUPPORTED_ON_CLUSTER)", "SetComponent connect");
        assertThat(cox("component", "set", "dr", "connect", "--replicas", "1").code()).isZero();

        Run badRegex = cox("mirror", "set", "dr", "from-pay", "--from", "payments", "--topic", "orders", "--topic", "(bad");
        assertThat(badRegex.code()).isEqualTo(2);
        assertThat(badRegex.err()).contains("payload.topics[1]", "'(bad'");
        Run syncAlone = cox("mirror", "set", "dr", "from-pay", "--from", "payments", "--sync-group-offsets");
        assertThat(syncAlone.code()).isEqualTo(2);
        assertThat(syncAlone.err()).contains("payload.syncGroupOffsets");
        Run badPolicy = cox("mirror", "set", "dr", "from-pay", "--from", "payments", "--policy", "mirrored");
        assertThat(badPolicy.code()).isEqualTo(2);
        assertThat(badPolicy.err()).contains("payload.replicationPolicy");

        Run set = cox("mirror", "set", "dr", "from-pay", "--from", "payments", "--topic", "orders.*", "--group", "billing",
                "--sync-group-offsets", "--source-user", "mirror-dr", "--command-id", "set-from-pay");
        assertThat(set.code()).as(set.err()).isZero();
        JsonNode asked = cox("get", "dr", "-o", "json").json().at("/spec/mirrors/from-pay");
        assertThat(asked.get("sourceCluster").asText()).isEqualTo("payments");
        assertThat(asked.get("replicationPolicy").asText()).as("--policy left out").isEqualTo("PREFIXED");
        assertThat(asked.get("commandId").asText()).isEqualTo("set-from-pay");
        assertThat(cox("mirror", "list", "dr").out()).containsPattern("MIRROR +FROM +TOPICS +GROUPS +POLICY +ASKED +RESTART +CONNECTORS")
                .containsPattern("from-pay +payments +orders\\.\\* +billing +PREFIXED +RUNNING +- +not yet observed");

        Run taken = cox("connector", "set", "dr", "from-pay-source", "--class", "io.example.Source");
        assertThat(taken.code()).isEqualTo(1);
        assertThat(taken.err()).contains("rejected (INVALID_COMMAND)", "mirror 'from-pay'");

        h.observe("dr", "{\"type\":\"ConnectorsObserved\",\"connectors\":{\"from-pay-source\":{\"state\":\"RUNNING\",\"tasks\":1,"
                + "\"failedTasks\":0},\"from-pay-checkpoint\":{\"state\":\"RUNNING\",\"tasks\":1,\"failedTasks\":1}},\"unmanaged\":[],"
                + "\"unreachable\":null,\"mirrorsNotRunnable\":{}}");
        assertThat(cox("mirror", "list", "dr").out()).contains("from-pay-source RUNNING; from-pay-checkpoint RUNNING 1 FAILED");
        assertThat(cox("mirror", "list", "dr", "-o", "json").json().at("/mirrors/from-pay/connectors/from-pay-source/state").asText())
                .isEqualTo("RUNNING");

        h.observe("dr", "{\"type\":\"ConnectorsObserved\",\"connectors\":{},\"unmanaged\":[],\"unreachable\":null,"
                + "\"mirrorsNotRunnable\":{\"from-pay\":\"source cluster 'payments' is not known to this executor\"}}");
        assertThat(cox("mirror", "list", "dr").out()).contains("not runnable: source cluster 'payments' is not known to this executor");
        assertThat(cox("get", "dr").out()).contains("Mirrors: from-pay from payments (not runnable) (cox mirror list dr)");

        // restarting it: shape and fold rules as cox reports them, then the request kept until every connector reports it
        Run badName = cox("mirror", "restart", "dr", "from pay");
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("payload.name");
        assertThat(cox("mirror", "restart", "dr", "from-pay", "--only-failed", "--all-tasks").code()).as("one or the other")
                .isEqualTo(2);
        Run unknown = cox("mirror", "restart", "dr", "to-pay");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("RestartMirror on dr rejected (MIRROR_NOT_FOUND)", "no mirror 'to-pay'", "it has from-pay");
        Run restart = cox("mirror", "restart", "dr", "from-pay", "--all-tasks", "--reason", "source back", "--command-id", "restart-pay");
        assertThat(restart.code()).as(restart.err()).isZero();
        assertThat(restart.out()).contains("RestartMirror on dr: accepted");
        JsonNode restartAsked = cox("get", "dr", "-o", "json").json().at("/spec/mirrors/from-pay/restart");
        assertThat(restartAsked.get("commandId").asText()).isEqualTo("restart-pay");
        assertThat(restartAsked.get("onlyFailed").asBoolean()).isFalse();
        assertThat(restartAsked.get("reason").asText()).isEqualTo("source back");
        assertThat(cox("mirror", "list", "dr").out()).containsPattern("RUNNING +pending +");
        h.observe("dr", "{\"type\":\"ConnectorsObserved\",\"connectors\":{\"from-pay-source\":{\"state\":\"RUNNING\",\"tasks\":1,"
                + "\"failedTasks\":0,\"restarted\":\"restart-pay\"},\"from-pay-checkpoint\":{\"state\":\"RUNNING\",\"tasks\":1,"
                + "\"failedTasks\":0,\"restarted\":\"restart-pay\"},\"from-pay-heartbeat\":{\"state\":\"RUNNING\",\"tasks\":1,"
                + "\"failedTasks\":0,\"restarted\":\"restart-pay\"}},\"unmanaged\":[],\"unreachable\":null,\"mirrorsNotRunnable\":{}}");
        assertThat(cox("mirror", "list", "dr").out()).as("its three connectors restarted").containsPattern("RUNNING +done +from-pay-source RUNNING");
        assertThat(cox("mirror", "restart", "dr", "from-pay").code()).as("onlyFailed by default: a new request").isZero();
        assertThat(cox("get", "dr", "-o", "json").json().at("/spec/mirrors/from-pay/restart/onlyFailed").asBoolean()).isTrue();
        GatewayHarness.Reply notABoolean = h.post("/v1/commands?wait=true", "{\"clusterId\":\"dr\",\"type\":\"RestartMirror\",\"payload\":"
                + "{\"name\":\"from-pay\",\"onlyFailed\":\"yes\"}}");
        assertThat(notABoolean.status()).isEqualTo(400);
        assertThat(notABoolean.json().path("field").asText()).isEqualTo("payload.onlyFailed");
        GatewayHarness.Reply noName = h.post("/v1/commands?wait=true", "{\"clusterId\":\"dr\",\"type\":\"RestartMirror\",\"payload\":{}}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().path("field").asText()).isEqualTo("payload.name");
        assertThat(cox("get", "dr", "-o", "json").json().at("/spec/mirrors/from-pay/restart/onlyFailed").asBoolean())
                .as("nothing written by bad input").isTrue();

        assertThat(cox("mirror", "delete", "dr", "from-pay").code()).isZero();
        assertThat(cox("mirror", "list", "dr").out()).contains("cluster dr mirrors nothing");
        assertThat(cox("get", "dr", "-o", "json").json().get("retiredConnectors").toString())
                .isEqualTo("[\"from-pay-checkpoint\",\"from-pay-heartbeat\",\"from-pay-source\"]");
        Run again = cox("mirror", "delete", "dr", "from-pay");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("rejected (MIRROR_NOT_FOUND)");
    }

    @Test
    void theOpenApiDocumentDescribesEveryFieldOfAMirrorAndTheCommands() throws Exception {
        JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(h.get("/openapi.yaml").body());
        java.util.List<String> fields = new java.util.ArrayList<>();
        doc.at("/components/schemas/Cluster/properties/spec/properties/mirrors/additionalProperties/properties").fieldNames()
                .forEachRemaining(fields::add);
        assertThat(fields).containsExactlyElementsOf(io.coxswain.avro.state.MirrorSpec.getClassSchema().getFields().stream()
                .map(org.apache.avro.Schema.Field::name).toList());
        assertThat(doc.at("/components/schemas/Cluster/properties/status/properties/mirrorsNotRunnable").isObject()).isTrue();
        assertThat(doc.at("/components/schemas/CommandRequest/properties/payload/description").asText())
                .contains("SetMirror {name, sourceCluster", "DeleteMirror {name}", "MIRROR_NOT_FOUND", "payload.topics[i]",
                        "SetMirror on the sourceCluster too is 403 naming payload.sourceCluster", "for a SetMirror SetMirror on its sourceCluster",
                        "RestartMirror {name, onlyFailed?", "the role over the target alone may send it",
                        "RestartMirror of a mirror the cluster does not have MIRROR_NOT_FOUND");
        java.util.List<String> types = new java.util.ArrayList<>();
        doc.at("/components/schemas/CommandRequest/properties/type/enum").forEach(t -> types.add(t.asText()));
        assertThat(types).contains("RestartMirror");
    }
}
