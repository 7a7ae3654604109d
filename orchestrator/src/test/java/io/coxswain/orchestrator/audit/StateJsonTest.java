package io.coxswain.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.Evolve;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The JSON rendering uses the Avro schema's field names, in schema order, with readable values. */
class StateJsonTest {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void everyRecordInTheStateIsRenderedWithItsSchemaFieldNames() {
        ClusterState s = null;
        for (Command c : List.of(
                Commands.on("x").issuedAt(T).createCluster("4.1.0", 3, 3, "10Gi"),
                Commands.on("x").issuedAt(T).createTopic("orders", 3, 2, Map.of("retention.ms", "1")),
                Commands.on("x").issuedAt(T).observation("e", ComponentObserved.newBuilder().setComponent("brokers").setDesired(3).setReady(2).build()),
                Commands.on("x").issuedAt(T).observation("e", new OperationObserved("op", "RollingUpgrade", OperationState.RUNNING, "cause", null)),
                Commands.on("x").issuedAt(T).observation("e", new OperationStepObserved("op", "s1", StepState.STARTED, 1, null, 0, 3)))) {
            s = Evolve.apply(s, c);
        }
        JsonNode json = StateJson.node(s);
        assertNamesMatch(ClusterState.getClassSchema(), json, "");
        assertThat(json.get("createdAt").asText()).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(json.at("/topics/orders/config/retention.ms").asText()).isEqualTo("1");
        assertThat(json.at("/status/operation/steps/0/node").asInt()).isEqualTo(1);
        assertThat(json.at("/status/lastObservedAt").asText()).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(StateJson.toJson(s)).isEqualTo(StateJson.toJson(ClusterState.newBuilder(s).build()));
    }

    @Test
    void aCommandPayloadSaysItsType() {
        JsonNode json = StateJson.node(Commands.on("x").issuer("alice").issuedAt(T).scaleBrokers(4));
        assertThat(json.at("/payload/type").asText()).isEqualTo("ScaleBrokers");
        assertThat(json.at("/payload/brokers").asInt()).isEqualTo(4);
        assertThat(json.get("expectedVersion").isNull()).isTrue();
        assertNamesMatch(Command.getClassSchema(), json, "");
    }

    /** Object keys are the record's field names in order (plus "type" for a union of records). */
    private static void assertNamesMatch(Schema schema, JsonNode json, String path) {
        if (json == null || json.isNull()) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                List<String> keys = new ArrayList<>();
                json.fieldNames().forEachRemaining(keys::add);
                keys.remove("type");
                assertThat(keys).as(path).containsExactlyElementsOf(schema.getFields().stream().map(Schema.Field::name).toList());
                schema.getFields().forEach(f -> assertNamesMatch(f.schema(), json.get(f.name()), path + "." + f.name()));
            }
            case MAP -> json.fields().forEachRemaining(e -> assertNamesMatch(schema.getValueType(), e.getValue(), path + "[" + e.getKey() + "]"));
            case ARRAY -> {
                Iterator<JsonNode> it = json.elements();
                while (it.hasNext()) {
                    assertNamesMatch(schema.getElementType(), it.next(), path + "[]");
                }
            }
            case UNION -> schema.getTypes().stream()
                    .filter(t -> t.getType() != Schema.Type.RECORD || !json.has("type") || json.get("type").asText().equals(t.getName()))
                    .filter(t -> t.getType() != Schema.Type.NULL).findFirst()
                    .ifPresent(t -> assertNamesMatch(t, json, path));
            default -> { }
        }
    }
}
