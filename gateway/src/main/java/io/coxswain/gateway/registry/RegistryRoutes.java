package io.coxswain.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.registry.RegisteredSchema;
import io.coxswain.avro.registry.SchemaRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST subset that producers and serializers use, under
 * {@code /registry}, answered from the node's own {@link SchemaRegistry} (the same store the node
 * decodes with). So a service using Confluent's stock serializer with
 * {@code schema.registry.url=http://gateway/registry} writes commands the node can read.
 *
 * <p>Read-only on purpose: Coxswain's subjects hold exactly the schemas Coxswain ships. Registering
 * a schema that is already there answers its id (what {@code auto.register.schemas=true} does on
 * every start); registering a new one is refused.
 */
public final class RegistryRoutes {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger log = LoggerFactory.getLogger(RegistryRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMPATIBILITY = "BACKWARD";

    private final SchemaRegistry registry;

    public RegistryRoutes(SchemaRegistry registry) {
        this.registry = registry;
    }

    /** A failure with Confluent's error code (HTTP status = its first three digits). */
    static final class RegistryError extends RuntimeException {
        final int code;

        RegistryError(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    public void mount(Router router, String prefix) {
        get(router, prefix + "/schemas/ids/:id", this::schemaById);
        get(router, prefix + "/schemas/types", ctx -> JSON.createArrayNode().add("AVRO"));
        get(router, prefix + "/subjects", ctx -> {
            ArrayNode a = JSON.createArrayNode();
            registry.subjects().forEach(a::add);
            return a;
        });
        get(router, prefix + "/subjects/:subject/versions", ctx -> {
            ArrayNode a = JSON.createArrayNode();
            versions(ctx.pathParam("subject")).forEach(rs -> a.add(rs.version()));
            return a;
        });
        get(router, prefix + "/subjects/:subject/versions/:version", ctx -> describe(version(ctx)));
        get(router, prefix + "/subjects/:subject/versions/:version/schema", ctx -> JSON.readTree(version(ctx).schema().toString()));
        handle(router, HttpMethod.POST, prefix + "/subjects/:subject", this::lookup);
        handle(router, HttpMethod.POST, prefix + "/subjects/:subject/versions", this::register);
        get(router, prefix + "/config", ctx -> JSON.createObjectNode().put("compatibilityLevel", COMPATIBILITY));
        get(router, prefix + "/config/:subject", ctx -> {
            versions(ctx.pathParam("subject"));
            return JSON.createObjectNode().put("compatibilityLevel", COMPATIBILITY);
        });
    }

    private interface Answer {
        Object answer(RoutingContext ctx) throws Exception;
    }

    private void get(Router router, String path, Answer answer) {
        handle(router, HttpMethod.GET, path, answer);
    }

    private void handle(Router router, HttpMethod method, String path, Answer answer) {
        router.route(method, path).handler(ctx -> {
            ctx.put("route", path);
            // the registry may read its topic on a miss: never on the event loop
            Callable<Object> work = () -> answer.answer(ctx);
            ctx.vertx().executeBlocking(work, false).onComplete(ar -> {
                if (ar.succeeded()) {
                    reply(ctx, 200, ar.result());
                } else if (ar.cause() instanceof RegistryError e) {
                    error(ctx, e.code, e.getMessage());
                } else {
                    log.error("Registry endpoint {} {} failed", method, ctx.request().path(), ar.cause());
                    error(ctx, 50001, "error in the backend data store: " + ar.cause().getMessage() + "; check that the bootstrap Kafka is reachable");
                }
            });
        });
    }

    private Object schemaById(RoutingContext ctx) {
        int id = parseInt(ctx.pathParam("id"), 40403, "schema id must be a number");
        RegisteredSchema rs = registry.byId(id).orElseThrow(() -> new RegistryError(40403, "Schema " + id + " not found"));
        return JSON.createObjectNode().put("schema", rs.schema().toString());
    }

    private List<RegisteredSchema> versions(String subject) {
        List<RegisteredSchema> all = registry.versions(subject);
        if (all.isEmpty()) {
            throw new RegistryError(40401, "Subject '" + subject + "' not found.");
        }
        return all;
    }

    private RegisteredSchema version(RoutingContext ctx) {
        String subject = ctx.pathParam("subject");
        String v = ctx.pathParam("version");
        List<RegisteredSchema> all = versions(subject);
        if (v.equals("latest") || v.equals("-1")) {
            return all.get(all.size() - 1);
        }
        int n = parseInt(v, 42202, "The specified version '" + v + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        return all.stream().filter(rs -> rs.version() == n).findFirst()
                .orElseThrow(() -> new RegistryError(40402, "Version " + n + " not found."));
    }

    private Object lookup(RoutingContext ctx) {
        String subject = ctx.pathParam("subject");
        Schema schema = schemaOf(ctx);
        versions(subject);
        RegisteredSchema rs = registry.lookup(subject, schema).orElseThrow(() -> new RegistryError(40403, "Schema not found"));
        return describe(rs);
    }

    private Object register(RoutingContext ctx) {
        String subject = ctx.pathParam("subject");
        Schema schema = schemaOf(ctx);
        Optional<RegisteredSchema> rs = registry.lookup(subject, schema);
        if (rs.isEmpty()) {
            throw new RegistryError(40301, "registering new schemas through the Coxswain gateway is not allowed: subject '" + subject
                    + "' holds only the schemas Coxswain ships. Produce with a shipped schema (use.latest.version=true, auto.register.schemas=false)");
        }
        return JSON.createObjectNode().put("id", rs.get().id());
    }

    private static Schema schemaOf(RoutingContext ctx) {
        JsonNode body;
        try {
            body = ctx.body().buffer() == null ? null : JSON.readTree(ctx.body().buffer().getBytes());
        } catch (java.io.IOException e) {
            throw new RegistryError(42201, "Invalid schema: the body is not JSON: " + e.getMessage());
        }
        if (body == null || !body.path("schema").isTextual()) {
            throw new RegistryError(42201, "Invalid schema: the body must be {\"schema\": \"<schema as a JSON string>\"}");
        }
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new RegistryError(42201, "Invalid schema: schemaType " + type + " is not supported here; Coxswain's schemas are AVRO");
        }
        try {
            return new Schema.Parser().parse(body.get("schema").textValue());
        } catch (SchemaParseException e) {
            throw new RegistryError(42201, "Invalid schema: " + e.getMessage());
        }
    }

    private static ObjectNode describe(RegisteredSchema rs) {
        return JSON.createObjectNode().put("subject", rs.subject()).put("version", rs.version()).put("id", rs.id())
                .put("schema", rs.schema().toString());
    }

    private static int parseInt(String text, int code, String message) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new RegistryError(code, message);
        }
    }

    static void reply(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Confluent's error shape: {"error_code": 40401, "message": "..."}, HTTP status from the code. */
    public static void error(RoutingContext ctx, int code, String message) {
        int status = code >= 1000 ? Integer.parseInt(Integer.toString(code).substring(0, 3)) : code;
        reply(ctx, status, JSON.createObjectNode().put("error_code", code).put("message", message));
    }
}
