package io.coxswain.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

/**
 * Commands, states and decisions as a Coxswain newer than this one would write them: the current commands, state or events schema with
 * fields added, each with a default, as a release adds them. Registered under the topic's subject, it is the next version
 * there.
 */
public final class NewerWriters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NewerWriters() {
    }

    /**
     * The current Command schema plus {@code CreateCluster.futureSetting} (["null", "string"], default null), in each
     * rule of an approval policy, {@code ApprovalRule.quorum} (int, default 0), a command type {@code DrainBroker}
     * {node: int, reason: ["null", "string"]} and the {@code ExternalAccess} symbol {@code INGRESS}.
     */
    public static Schema commandsSchema() {
        try {
            JsonNode root = JSON.readTree(Command.getClassSchema().toString());
            addField(record(root, "CreateCluster"), "{\"name\": \"futureSetting\", \"type\": [\"null\", \"string\"], \"default\": null}");
            addField(record(root, "ApprovalRule"), "{\"name\": \"quorum\", \"type\": \"int\", \"default\": 0}");
            addBranch(root, "payload", "{\"type\": \"record\", \"name\": \"DrainBroker\", \"fields\": ["
                    + "{\"name\": \"node\", \"type\": \"int\"}, {\"name\": \"reason\", \"type\": [\"null\", \"string\"], \"default\": null}]}");
            ((ArrayNode) named(root, "enum", "ExternalAccess").get("symbols")).add("INGRESS");
            return new Schema.Parser().parse(root.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The current ClusterState schema plus {@code spec.changeFreeze} (["null", "string"], default null): a spec field a later
     * Coxswain might add to restrict when the executor may act.
     */
    public static Schema stateSchema() {
        try {
            JsonNode root = JSON.readTree(ClusterState.getClassSchema().toString());
            addField(record(root, "ClusterSpec"), "{\"name\": \"changeFreeze\", \"type\": [\"null\", \"string\"], \"default\": null}");
            return new Schema.Parser().parse(root.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The current Decision schema plus {@code CommandAccepted.awaitingSignoffs} (int, default 0: more than 0, a later
     * Coxswain's way of saying the command waits for sign-offs, not applied) and an outcome type {@code CommandDeferred}
     * {until: string}.
     */
    public static Schema eventsSchema() {
        try {
            JsonNode root = JSON.readTree(Decision.getClassSchema().toString());
            addField(record(root, "CommandAccepted"), "{\"name\": \"awaitingSignoffs\", \"type\": \"int\", \"default\": 0}");
            addBranch(root, "outcome", "{\"type\": \"record\", \"name\": \"CommandDeferred\", \"fields\": [{\"name\": \"until\", \"type\": \"string\"}]}");
            return new Schema.Parser().parse(root.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets {@code outcome.awaitingSignoffs} of an accepted decision written with {@link #eventsSchema} (0: its default). */
    public static Consumer<GenericRecord> awaitingSignoffs(int signoffs) {
        return decision -> ((GenericRecord) decision.get("outcome")).put("awaitingSignoffs", signoffs);
    }

    /** Makes the decision's outcome a {@code CommandDeferred}, an outcome type only {@link #eventsSchema} has. */
    public static Consumer<GenericRecord> deferred(Schema newer, String until) {
        return decision -> {
            GenericRecord deferred = new GenericData.Record(branch(newer, "outcome", "CommandDeferred"));
            deferred.put("until", until);
            decision.put("outcome", deferred);
        };
    }

    /** Sets {@code spec.changeFreeze} of a state written with {@link #stateSchema} (null: its default). */
    public static Consumer<GenericRecord> changeFreeze(String value) {
        return state -> ((GenericRecord) state.get("spec")).put("changeFreeze", value);
    }

    /**
     * {@code record} (a command, a state) in the wire format as {@code newer} (registered in {@code registry} under the codec's
     * subject) writes it: the added fields hold their defaults unless {@code set} puts other values into the record.
     */
    public static <T extends SpecificRecord> byte[] encode(SchemaRegistry registry, AvroWireCodec<T> codec, Schema newer, T record,
                                                           Consumer<GenericRecord> set) {
        int id = registry.register(codec.subject(), newer).id();
        try {
            GenericRecord asNewer = new GenericDatumReader<GenericRecord>(record.getSchema(), newer)
                    .read(null, DecoderFactory.get().binaryDecoder(codec.avroBytes(record), null));
            set.accept(asNewer);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(newer).write(asNewer, enc);
            enc.flush();
            return WireFormat.frame(id, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets {@code payload.futureSetting} of a CreateCluster written with {@link #commandsSchema}. */
    public static Consumer<GenericRecord> futureSetting(String value) {
        return command -> ((GenericRecord) command.get("payload")).put("futureSetting", value);
    }

    /** Makes the command a {@code DrainBroker} of {@code node}, a command type only {@link #commandsSchema} has. */
    public static Consumer<GenericRecord> drainBroker(Schema newer, int node) {
        return command -> {
            GenericRecord drain = new GenericData.Record(branch(newer, "payload", "DrainBroker"));
            drain.put("node", node);
            command.put("payload", drain);
        };
    }

    /** Sets {@code payload.externalAccess} of a CreateCluster written with {@link #commandsSchema} (INGRESS: only it has that). */
    public static Consumer<GenericRecord> externalAccess(String symbol) {
        return command -> {
            GenericRecord create = (GenericRecord) command.get("payload");
            create.put("externalAccess", new GenericData.EnumSymbol(create.getSchema().getField("externalAccess").schema(), symbol));
        };
    }

    /** The branch named {@code name} of the union that is {@code schema}'s field {@code field}. */
    private static Schema branch(Schema schema, String field, String name) {
        return schema.getField(field).schema().getTypes().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    /** The record definition named {@code name} anywhere under {@code node}. */
    private static ObjectNode record(JsonNode node, String name) {
        return named(node, "record", name);
    }

    /** The {@code type} (record, enum) definition named {@code name} anywhere under {@code node}. */
    private static ObjectNode named(JsonNode node, String type, String name) {
        if (node.isObject() && type.equals(node.path("type").asText()) && name.equals(node.path("name").asText())) {
            return (ObjectNode) node;
        }
        for (JsonNode child : node) {
            ObjectNode found = child.isContainerNode() ? named(child, type, name) : null;
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Adds {@code branch} to the union that is the top-level record {@code root}'s field {@code field}. */
    private static void addBranch(JsonNode root, String field, String branch) throws IOException {
        for (JsonNode f : root.get("fields")) {
            if (f.get("name").asText().equals(field)) {
                ((ArrayNode) f.get("type")).add(JSON.readTree(branch));
            }
        }
    }

    private static void addField(ObjectNode record, String field) throws IOException {
        ((ArrayNode) record.get("fields")).add(JSON.readTree(field));
    }
}
