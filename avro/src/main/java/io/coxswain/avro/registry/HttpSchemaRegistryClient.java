package io.coxswain.avro.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Client for any registry that speaks Confluent's Schema Registry REST API (Confluent's own,
 * Apicurio's compatibility API, or Coxswain's gateway {@code /registry}). Lookups by id are cached:
 * a registered schema never changes.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Integer, RegisteredSchema> idCache = new ConcurrentHashMap<>();

    public HttpSchemaRegistryClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public Optional<RegisteredSchema> byId(int id) {
        RegisteredSchema cached = idCache.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<JsonNode> body = call("GET", "/schemas/ids/" + id, null);
        return body.map(b -> {
            Schema schema = new Schema.Parser().parse(b.get("schema").asText());
            RegisteredSchema rs = new RegisteredSchema(text(b, "subject"), b.path("version").asInt(0), id,
                    SchemaIdentity.guidOf(schema), schema);
            idCache.put(id, rs);
            return rs;
        });
    }

    @Override
    public Optional<RegisteredSchema> byGuid(UUID guid) {
        return call("GET", "/schemas/guids/" + guid, null).map(b -> {
            Schema schema = new Schema.Parser().parse(b.get("schema").asText());
            return new RegisteredSchema(text(b, "subject"), b.path("version").asInt(0), b.path("id").asInt(0), guid, schema);
        });
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        return call("POST", "/subjects/" + enc(subject), body).map(b ->
                new RegisteredSchema(subject, b.get("version").asInt(), b.get("id").asInt(), SchemaIdentity.guidOf(schema), schema));
    }

    @Override
    public RegisteredSchema register(String subject, Schema schema) {
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        call("POST", "/subjects/" + enc(subject) + "/versions", body)
                .orElseThrow(() -> new IllegalStateException("registry at " + baseUrl + " refused to register " + subject));
        return lookup(subject, schema).orElseThrow(() -> new IllegalStateException(
                "registry at " + baseUrl + " registered " + subject + " but cannot find it"));
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        call("GET", "/subjects", null).ifPresent(arr -> arr.forEach(n -> subjects.add(n.asText())));
        return subjects;
    }

    @Override
    public List<RegisteredSchema> versions(String subject) {
        List<RegisteredSchema> result = new ArrayList<>();
        Optional<JsonNode> versions = call("GET", "/subjects/" + enc(subject) + "/versions", null);
        versions.ifPresent(arr -> arr.forEach(v -> call("GET", "/subjects/" + enc(subject) + "/versions/" + v.asInt(), null)
                .ifPresent(b -> {
                    Schema schema = new Schema.Parser().parse(b.get("schema").asText());
                    result.add(new RegisteredSchema(subject, b.get("version").asInt(), b.get("id").asInt(), SchemaIdentity.guidOf(schema), schema));
                })));
        return result;
    }

    private Optional<JsonNode> call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("schema registry " + baseUrl + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("schema registry " + baseUrl + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling schema registry " + baseUrl, e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : "";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
