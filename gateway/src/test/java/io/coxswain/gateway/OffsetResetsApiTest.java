package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.coxswain.avro.state.OffsetResetRequest;
import io.coxswain.avro.state.OffsetResetStatus;
import io.coxswain.avro.state.PlannedOffset;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * ResetConsumerGroupOffsets over {@code POST /v1/commands}: a malformed one is a 400 naming the payload field at fault
 * and reaches neither the log nor the state; the OpenAPI document describes the command and every field of
 * {@code spec.offsetResets} and {@code status.offsetResets}.
 */
class OffsetResetsApiTest extends GatewayPerClass {

    private static String reset(String cluster, String payload) {
        return "{\"clusterId\":\"" + cluster + "\",\"type\":\"ResetConsumerGroupOffsets\",\"payload\":" + payload + "}";
    }

    private static String cluster(String name) {
        String cluster = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        return cluster;
    }

    @Test
    void aMalformedResetIsA400NamingTheFieldAndNothingIsWritten() {
        String cluster = cluster("offsets-bad");
        long version = h.get("/v1/clusters/" + cluster).json().get("version").asLong();

        assertField(reset(cluster, "{\"group\":\"orders-app\",\"to\":\"DATETIME\"}"), "payload.datetime", "is required with to DATETIME");
        assertField(reset(cluster, "{\"group\":\"orders-app\",\"to\":\"LATEST\",\"datetime\":\"2026-12-01T10:00:00Z\"}"), "payload.datetime",
                "is only for to DATETIME");
        assertField(reset(cluster, "{\"group\":\"orders-app\",\"to\":\"DATETIME\",\"datetime\":\"1 December\"}"), "payload.datetime",
                "must be an ISO-8601 instant");
        assertField(reset(cluster, "{\"group\":\"orders-app\",\"topics\":[\"orders\",\"__consumer_offsets\"],\"to\":\"EARLIEST\"}"),
                "payload.topics[1]", "'__consumer_offsets' is one of Kafka's internal topics");
        assertField(reset(cluster, "{\"group\":\"orders-app\",\"topics\":[\"orders\",\"orders\"],\"to\":\"EARLIEST\"}"), "payload.topics[1]",
                "named twice");
        assertField(reset(cluster, "{\"group\":\"orders-app\",\"to\":\"SHIFT_BY\",\"shiftBy\":0}"), "payload.shiftBy", "must not be 0");
        assertField(reset(cluster, "{\"group\":\"orders\\napp\",\"to\":\"LATEST\"}"), "payload.group", "no control characters");
        assertField(reset(cluster, "{\"group\":\"orders-app\",\"to\":\"YESTERDAY\"}"), "payload.to", "must be one of [EARLIEST, LATEST, DATETIME, SHIFT_BY]");
        assertField(reset(cluster, "{\"group\":\"orders-app\",\"to\":\"LATEST\",\"reason\":\"" + "x".repeat(501) + "\"}"), "payload.reason", "500");

        assertThat(h.get("/v1/clusters/" + cluster).json().get("version").asLong()).as("the state did not change").isEqualTo(version);
        JsonNode history = h.get("/v1/clusters/" + cluster + "/history?consistent=true").json();
        List<String> types = new ArrayList<>();
        history.forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).as("no malformed reset reached the log").containsExactly("CreateCluster");
    }

    private static void assertField(String body, String field, String error) {
        Reply r = h.post("/v1/commands?wait=true", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).as(r.toString()).isEqualTo(field);
        assertThat(r.json().get("error").asText()).as(r.toString()).contains(error);
    }

    @Test
    void theOpenApiDocumentDescribesTheCommandAndEveryFieldOfAPendingResetAndOfItsOutcome() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(h.get("/openapi.yaml").body());
        JsonNode cluster = doc.at("/components/schemas/Cluster/properties");
        JsonNode request = cluster.at("/spec/properties/offsetResets/additionalProperties/properties");
        assertThat(fields(request)).containsExactlyElementsOf(names(OffsetResetRequest.getClassSchema()));
        assertThat(fields(request.at("/plan/additionalProperties/items/properties"))).containsExactlyElementsOf(names(PlannedOffset.getClassSchema()));
        assertThat(fields(cluster.at("/status/properties/offsetResets/additionalProperties/properties")))
                .containsExactlyElementsOf(names(OffsetResetStatus.getClassSchema()));
        assertThat(doc.at("/components/schemas/CommandRequest/properties/payload/description").asText())
                .contains("ResetConsumerGroupOffsets {group, topics?", "EARLIEST|LATEST|DATETIME|SHIFT_BY", "stop its consumers first",
                        "OffsetResetObserved PLANNED", "OPERATION_IN_PROGRESS", "TOPIC_NOT_FOUND", "naming payload.group", "payload.topics[i]",
                        "payload.datetime", "payload.shiftBy");
    }

    private static List<String> names(Schema record) {
        return record.getFields().stream().map(Schema.Field::name).toList();
    }

    private static List<String> fields(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
