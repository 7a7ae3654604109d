package io.coxswain.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Commands as a Coxswain newer than this one would write them: the current commands schema with fields added, each with
 * a default, as a release adds them. Registered under the commands subject, it is the next version there.
 */
public final class NewerWriters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NewerWriters() {
    }

    /**
     * The current Command schema plus {@code CreateCluster.futureSetting} (["null", "string"], default null) and, in each
     * rule of an approval policy, {@code ApprovalRule.quorum} (int, default 0).
     */
    public static Schema commandsSchema() {
        try {
            JsonNode root = JSON.readTree(Command.getClassSchema().toString());
            addField(record(root, "CreateCluster"), "{\"name\": \"futureSetting\", \"type\": [\"null\", \"string\"], \"default\": null}");
            addField(record(root, "ApprovalRule"), "{\"name\": \"quorum\", \"type\": \"int\", \"default\": 0}");
            return new Schema.Parser().parse(root.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code command} in the wire format as {@code newer} (registered in {@code registry} under the codec's subject)
     * writes it: the added fields hold their defaults unless {@code set} puts other values into the record.
     */
    public static byte[] encode(SchemaRegistry registry, AvroWireCodec<Command> codec, Schema newer, Command command, Consumer<GenericRecord> set) {
        int id = registry.register(codec.subject(), newer).id();
        try {
            GenericRecord asNewer = new GenericDatumReader<GenericRecord>(Command.getClassSchema(), newer)
                    .read(null, DecoderFactory.get().binaryDecoder(codec.avroBytes(command), null));
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

    /** The record definition named {@code name} anywhere under {@code node}. */
    private static ObjectNode record(JsonNode node, String name) {
        if (node.isObject() && "record".equals(node.path("type").asText()) && name.equals(node.path("name").asText())) {
            return (ObjectNode) node;
        }
        for (JsonNode child : node) {
            ObjectNode found = child.isContainerNode() ? record(child, name) : null;
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static void addField(ObjectNode record, String field) throws IOException {
        ((ArrayNode) record.get("fields")).add(JSON.readTree(field));
    }
}
