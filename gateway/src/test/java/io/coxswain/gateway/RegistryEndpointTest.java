package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.avro.Topics;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.registry.SchemaIdentity;
import io.coxswain.avro.registry.ShippedSchemas;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandSerializer;
import io.coxswain.gateway.GatewayHarness.Reply;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Confluent-compatible registry endpoint: the REST subset, its error shape, and a producer that uses it. */
class RegistryEndpointTest {

    static final String CT = "application/vnd.schemaregistry.v1+json";
    static GatewayHarness h;
    static Topics topics;
    static String subject;

    @BeforeAll
    static void start() {
        topics = GatewayHarness.freshTopics();
        subject = Topics.valueSubject(topics.commands());
        h = GatewayHarness.start(topics);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** The registry endpoint takes no token: stock serializers send none. */
    static Reply anonymous(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url() + "/registry" + path)).header("Content-Type", CT);
        return h.send(body == null ? b.method(method, HttpRequest.BodyPublishers.noBody()).build()
                : b.method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void servesTheCommandSchemaUnderItsSubject() {
        Reply subjects = anonymous("GET", "/subjects", null);
        assertThat(subjects.status()).isEqualTo(200);
        assertThat(subjects.header("Content-Type")).isEqualTo(CT);
        assertThat(subjects.json().toString()).contains(subject);

        // every released version stays served; the current schema is the last one
        int current = ShippedSchemas.history().get("commands").size();
        assertThat(current).isGreaterThanOrEqualTo(2);
        assertThat(anonymous("GET", "/subjects/" + subject + "/versions", null).json().toString())
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, current).boxed().toList().toString().replace(" ", ""));
        JsonNode first = anonymous("GET", "/subjects/" + subject + "/versions/1", null).json();
        assertThat(SchemaIdentity.sameSchema(new org.apache.avro.Schema.Parser().parse(first.get("schema").asText()),
                ShippedSchemas.history().get("commands").get(0))).isTrue();

        JsonNode latest = anonymous("GET", "/subjects/" + subject + "/versions/latest", null).json();
        int id = SchemaIdentity.idOf(Command.getClassSchema());
        assertThat(latest.get("subject").asText()).isEqualTo(subject);
        assertThat(latest.get("version").asInt()).isEqualTo(current);
        assertThat(latest.get("id").asInt()).isEqualTo(id);
        assertThat(anonymous("GET", "/subjects/" + subject + "/versions/" + current, null).json()).isEqualTo(latest);

        JsonNode byId = anonymous("GET", "/schemas/ids/" + id, null).json();
        assertThat(SchemaIdentity.sameSchema(new org.apache.avro.Schema.Parser().parse(byId.get("schema").asText()), Command.getClassSchema())).isTrue();

        String lookupBody = GatewayHarness.JSON.createObjectNode().put("schema", Command.getClassSchema().toString()).toString();
        JsonNode found = anonymous("POST", "/subjects/" + subject, lookupBody).json();
        assertThat(found.get("id").asInt()).isEqualTo(id);
        assertThat(found.get("version").asInt()).isEqualTo(current);

        // what auto.register.schemas=true does: registering the shipped schema answers its id
        Reply register = anonymous("POST", "/subjects/" + subject + "/versions", lookupBody);
        assertThat(register.status()).isEqualTo(200);
        assertThat(register.json().get("id").asInt()).isEqualTo(id);

        assertThat(anonymous("GET", "/config", null).json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(anonymous("GET", "/config/" + subject, null).json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(anonymous("GET", "/schemas/types", null).json().toString()).isEqualTo("[\"AVRO\"]");
    }

    @Test
    void errorsHaveConfluentsShape() {
        assertError(anonymous("GET", "/subjects/nope-value/versions", null), 404, 40401);
        int released = ShippedSchemas.history().get("commands").size();
        assertError(anonymous("GET", "/subjects/" + subject + "/versions/" + (released + 1), null), 404, 40402);
        assertError(anonymous("GET", "/subjects/" + subject + "/versions/seven", null), 422, 42202);
        assertError(anonymous("GET", "/schemas/ids/12345", null), 404, 40403);
        assertError(anonymous("GET", "/config/nope-value", null), 404, 40401);
        String other = "{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"X\\\",\\\"fields\\\":[]}\"}";
        assertError(anonymous("POST", "/subjects/" + subject, other), 404, 40403);
        assertError(anonymous("POST", "/subjects/" + subject + "/versions", other), 403, 40301);
        assertError(anonymous("POST", "/subjects/" + subject, "{\"schema\": \"{not avro\"}"), 422, 42201);
        assertError(anonymous("POST", "/subjects/" + subject, "not json"), 422, 42201);
        Reply unknown = anonymous("GET", "/whatever", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error_code").asInt()).isEqualTo(404);
        Reply method = anonymous("DELETE", "/subjects", null);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().get("error_code").asInt()).isEqualTo(405);
    }

    private static void assertError(Reply r, int status, int code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo(CT);
        assertThat(r.json().get("error_code").asInt()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().get("message").asText()).isNotBlank();
    }

    @Test
    void aProducerConfiguredWithTheEndpointWritesCommandsTheNodeAccepts() {
        Map<String, Object> config = Map.of(
                "bootstrap.servers", SharedKafka.bootstrapServers(),
                "schema.registry.url", h.url() + "/registry",
                "coxswain.topic.prefix", topics.prefix());
        CommandSerializer serializer = new CommandSerializer();
        serializer.configure(config, false);
        Command c = Commands.on("via-registry").issuer("billing-svc").createCluster("4.1.0", 3, 3, "10Gi");
        try (KafkaProducer<String, Command> producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", SharedKafka.bootstrapServers()),
                new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topics.commands(), c.getClusterId(), c));
        }
        JsonNode status = Poll.until(Duration.ofSeconds(30), "the decision of " + c.getCommandId(), () -> {
            Reply r = h.get("/v1/commands/" + c.getCommandId());
            return r.status() == 200 && r.json().get("status").asText().equals("accepted") ? r.json() : null;
        });
        assertThat(status.get("issuer").asText()).isEqualTo("billing-svc");
    }
}
