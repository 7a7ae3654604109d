package io.coxswain.avro.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ApprovalRule;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.RestartMirror;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.avro.state.ClusterState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The fields a newer writer schema has that a reader lacks, at any depth, and which of them a record sets: what a node
 * reading with an older schema would drop. Every released schema is read whole by the current reader, so the rule built
 * on this (a command setting such a field is not decided) never touches a record the log already holds.
 */
class FieldsUnknownToReaderTest {

    @Test
    void everyReleasedSchemaIsReadWholeByTheCurrentReader() {
        Map<String, Schema> readers = Map.of("commands", Command.getClassSchema(), "events", Decision.getClassSchema(),
                "state", ClusterState.getClassSchema());
        ShippedSchemas.history().forEach((topic, versions) -> {
            for (int v = 1; v <= versions.size(); v++) {
                assertThat(FieldsUnknownToReader.between(versions.get(v - 1), readers.get(topic)).none()).as("%s v%d", topic, v).isTrue();
            }
        });
    }

    /** The case of record: commands v27 added CreateCluster.approvalPolicy, so a node on v26 reads a v27 CreateCluster without it. */
    @Test
    void aNodeOnCommandsV26WouldDropTheApprovalPolicyOfACreateClusterAndNothingElse() {
        Schema v26 = ShippedSchemas.history().get("commands").get(25);
        FieldsUnknownToReader unknown = FieldsUnknownToReader.between(Command.getClassSchema(), v26);
        assertThat(unknown.none()).isFalse();

        SetApprovalPolicy policy = new SetApprovalPolicy(List.of(new ApprovalRule(List.of("DeleteTopic"), 1)), 72);
        assertThat(fields(unknown, createCluster(policy))).containsExactly("payload.approvalPolicy");
        assertThat(fields(unknown, createCluster(null))).as("the field at its default: nothing dropped").isEmpty();
    }

    @Test
    void findsFieldsInsideArraysMapsAndUnionBranchesAndComparesWithTheDeclaredDefault() {
        Schema writer = new Schema.Parser().parse("""
                {"type": "record", "name": "Outer", "namespace": "t", "fields": [
                  {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Inner", "fields": [
                    {"name": "a", "type": "int"},
                    {"name": "extra", "type": ["null", "string"], "default": null}]}}},
                  {"name": "byName", "type": {"type": "map", "values": "Inner"}},
                  {"name": "choice", "type": ["null", "Inner"], "default": null},
                  {"name": "added", "type": "int", "default": 3}]}""");
        Schema reader = new Schema.Parser().parse("""
                {"type": "record", "name": "Outer", "namespace": "t", "fields": [
                  {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Inner", "fields": [
                    {"name": "a", "type": "int"}]}}},
                  {"name": "byName", "type": {"type": "map", "values": "Inner"}},
                  {"name": "choice", "type": ["null", "Inner"], "default": null}]}""");
        Schema inner = writer.getField("items").schema().getElementType();
        GenericRecord outer = new GenericData.Record(writer);
        outer.put("items", List.of(inner(inner, "x"), inner(inner, null)));
        outer.put("byName", Map.of("b", inner(inner, "y"), "a", inner(inner, "z"), "c", inner(inner, null)));
        outer.put("choice", inner(inner, "w"));
        outer.put("added", 3);
        FieldsUnknownToReader unknown = FieldsUnknownToReader.between(writer, reader);

        assertThat(fields(unknown, outer)).containsExactly("items[0].extra", "byName.a.extra", "byName.b.extra", "choice.extra");
        outer.put("added", 4);
        assertThat(fields(unknown, outer)).endsWith("added");
        assertThat(FieldsUnknownToReader.between(reader, writer).none()).as("an older writer: the reader fills in defaults").isTrue();
    }

    /**
     * The case of record: commands v29 added RestartMirror, whose fields a v28 reader's UpdateBrokerConfig can all be
     * filled from, so Avro reads it as one: the branch is named instead, as is a symbol an enum of the reader lacks.
     */
    @Test
    void aNodeOnCommandsV28WouldNotKnowRestartMirrorNorAnEnumSymbolItsReaderLacks() {
        Schema v28 = ShippedSchemas.history().get("commands").get(27);
        FieldsUnknownToReader unknown = FieldsUnknownToReader.between(Command.getClassSchema(), v28);
        Command restart = Command.newBuilder(createCluster(null)).setPayload(new RestartMirror("east", true, null)).build();
        List<DroppedFields.Unknown> values = new ArrayList<>();
        unknown.setIn(restart, new ArrayList<>(), values);
        assertThat(values).containsExactly(new DroppedFields.Unknown("payload", "RestartMirror", true));

        Schema reader = new Schema.Parser().parse("""
                {"type": "record", "name": "R", "fields": [{"name": "to", "type": {"type": "enum", "name": "E", "symbols": ["A"], "default": "A"}}]}""");
        Schema writer = new Schema.Parser().parse("""
                {"type": "record", "name": "R", "fields": [{"name": "to", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"], "default": "A"}}]}""");
        GenericRecord r = new GenericData.Record(writer);
        r.put("to", new GenericData.EnumSymbol(writer.getField("to").schema(), "B"));
        values.clear();
        FieldsUnknownToReader.between(writer, reader).setIn(r, new ArrayList<>(), values);
        assertThat(values).as("a symbol the reader would map to its default").containsExactly(new DroppedFields.Unknown("to", "B", false));
        r.put("to", new GenericData.EnumSymbol(writer.getField("to").schema(), "A"));
        values.clear();
        FieldsUnknownToReader.between(writer, reader).setIn(r, new ArrayList<>(), values);
        assertThat(values).isEmpty();
    }

    private static List<String> fields(FieldsUnknownToReader unknown, GenericRecord datum) {
        List<String> fields = new ArrayList<>();
        unknown.setIn(datum, fields, new ArrayList<>());
        return fields;
    }

    private static GenericRecord inner(Schema schema, String extra) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("a", 1);
        r.put("extra", extra);
        return r;
    }

    private static Command createCluster(SetApprovalPolicy policy) {
        CreateCluster create = CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(1).setBrokers(3)
                .setStorage(new StorageRequest("10Gi", null)).setApprovalPolicy(policy).build();
        return Command.newBuilder().setCommandId("c1").setClusterId("payments").setIssuer("alice").setIssuedAt(Instant.parse("2026-12-01T10:00:00Z"))
                .setPayload(create).build();
    }
}
