package io.coxswain.gateway.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coxswain.avro.command.Command;
import io.coxswain.commands.shape.CommandShape;
import io.coxswain.commands.shape.Violation;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * The gateway's JSON form of a command: the Avro envelope's tree, with the payload's record name
 * lifted into {@code "type"}:
 * <pre>{"commandId"?: "...", "clusterId": "payments", "expectedVersion"?: 3, "unchangedSinceVersion"?: 3,
 *  "type": "ScaleBrokers", "payload": {"brokers": 5}}</pre>
 * The issuer and the time are never taken from the body: the gateway stamps the authenticated
 * principal and its own clock, so the audit trail cannot be forged by typing a name.
 */
public final class JsonCommands {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema ENVELOPE = Command.getClassSchema();
    private static final Schema PAYLOADS = ENVELOPE.getField("payload").schema();
    private static final Set<String> ACCEPTED = Set.of("commandId", "clusterId", "expectedVersion", "unchangedSinceVersion", "type",
            "payload");
    private static final JsonToAvro CONVERTER = new JsonToAvro(SpecificData.getForClass(Command.class));

    private JsonCommands() {
    }

    /** The names accepted in {@code "type"}, in schema order. */
    public static List<String> types() {
        return PAYLOADS.getTypes().stream().map(Schema::getName).toList();
    }

    /** Parses and shape-checks a command; throws {@link BadInputException} naming the first field at fault. */
    public static Command parse(byte[] body, String issuer, Instant issuedAt) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInputException(null, "malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new BadInputException(null, "unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(null, "the body must be a JSON object like {\"clusterId\": \"payments\", \"type\": \"ScaleBrokers\", \"payload\": {\"brokers\": 5}}");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (name.equals("issuer") || name.equals("issuedAt")) {
                throw new BadInputException(name, "is set by the gateway (the authenticated caller and the time of receipt); remove it from the request");
            }
            if (!ACCEPTED.contains(name)) {
                throw new BadInputException(name, "is not a field of a command; the fields are " + ACCEPTED.stream().sorted().toList());
            }
        });
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw new BadInputException("type", "is required: one of " + types());
        }
        Schema payloadSchema = JsonToAvro.branch(PAYLOADS, type.textValue())
                .orElseThrow(() -> new BadInputException("type", "unknown command type '" + type.textValue() + "'; one of " + types()));
        JsonNode payloadJson = root.get("payload");
        if (payloadJson == null || payloadJson.isNull()) {
            payloadJson = JSON.createObjectNode(); // e.g. ResumeReconciliation, whose fields all have defaults
        }
        Object payload = CONVERTER.record(payloadJson, payloadSchema, "payload");
        String commandId = text(root, "commandId");
        Command command = Command.newBuilder()
                .setCommandId(commandId != null ? commandId : UUID.randomUUID().toString())
                .setClusterId(requiredText(root, "clusterId"))
                .setExpectedVersion(envelopeLong(root, "expectedVersion"))
                .setUnchangedSinceVersion(envelopeLong(root, "unchangedSinceVersion"))
                .setIssuer(issuer)
                .setIssuedAt(Instant.ofEpochMilli(issuedAt.toEpochMilli()))
                .setPayload(payload)
                .build();
        List<Violation> violations = CommandShape.check(command);
        if (!violations.isEmpty()) {
            throw new InvalidShapeException(violations);
        }
        return command;
    }

    /** An optional long of the envelope, converted (and its errors named) as the schema says. */
    private static Long envelopeLong(JsonNode root, String field) {
        return (Long) CONVERTER.convert(root.get(field), ENVELOPE.getField(field).schema(), field);
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadInputException(field, "must be a string");
        }
        return v.textValue();
    }

    private static String requiredText(JsonNode root, String field) {
        String v = text(root, field);
        if (v == null) {
            throw new BadInputException(field, "is required");
        }
        return v;
    }

    /** Shape-check failures: the first violation is the headline, all of them are listed. */
    public static final class InvalidShapeException extends BadInputException {
        private final List<Violation> violations;

        InvalidShapeException(List<Violation> violations) {
            super(violations.get(0).field(), violations.get(0).message());
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }
    }
}
