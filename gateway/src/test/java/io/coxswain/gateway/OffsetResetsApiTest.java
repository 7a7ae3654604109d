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
 * and reaches neither the log nor the state; an accepted one waits in {@code spec.offsetResets} (one per group, on topics
 * the cluster has) through the executor's PLANNED until its DONE or REFUSED lands in {@code status.offsetResets} (the
 * test records the executor's OffsetResetObserved as it would); the OpenAPI document describes the command and every
 * field of {@code spec.offsetResets} and {@code status.offsetResets}.
 */
class OffsetResetsApiTest extends GatewayPerClass {

    private static String reset(String cluster, String payload) {
        return reset(cluster, UUID.randomUUID().toString(), payload);
    }

    private static String reset(String cluster, String commandId, String payload) {
        return "{\"commandId\":\"" + commandId + "\",\"clusterId\":\"" + cluster + "\",\"type\":\"ResetConsumerGroupOffsets\",\"payload\":"
                + payload + "}";
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

    @Test
    void anAcceptedResetWaitsInSpecUntilTheExecutorsOutcomeOnePerGroupOnATopicTheClusterHas() {
        String cluster = cluster("offsets-ok");
        assertThat(h.post("/v1/commands?wait=true", GatewayHarness.createTopic(cluster, "orders")).status()).isEqualTo(200);

        Reply accepted = h.post("/v1/commands?wait=true", reset(cluster, "api-reset-1",
                "{\"group\":\"orders-app\",\"topics\":[\"orders\"],\"to\":\"DATETIME\",\"datetime\":\"2026-12-01T10:00:00Z\","
                        + "\"reason\":\"replay after the bad deploy\"}"));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().get("status").asText()).isEqualTo("accepted");
        JsonNode pending = h.get("/v1/clusters/" + cluster).json().at("/spec/offsetResets/orders-app");
        assertThat(pending.get("commandId").asText()).isEqualTo("api-reset-1");
        assertThat(pending.get("issuer").asText()).isEqualTo(GatewayHarness.PRINCIPAL);
        assertThat(pending.get("to").asText()).isEqualTo("DATETIME");
        assertThat(pending.get("datetime").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(pending.get("topics").toString()).isEqualTo("[\"orders\"]");
        assertThat(pending.get("plannedAt").isNull()).as("not planned yet").isTrue();

        Reply again = h.post("/v1/commands?wait=true", reset(cluster, "{\"group\":\"orders-app\",\"to\":\"EARLIEST\"}"));
        assertThat(again.status()).as(again.toString()).isEqualTo(422);
        assertThat(again.json().get("code").asText()).isEqualTo("OPERATION_IN_PROGRESS");
        assertThat(again.json().get("reason").asText()).contains("api-reset-1");
        Reply unknown = h.post("/v1/commands?wait=true", reset(cluster, "{\"group\":\"billing\",\"topics\":[\"invoices\"],\"to\":\"LATEST\"}"));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
        assertThat(unknown.json().get("code").asText()).isEqualTo("TOPIC_NOT_FOUND");
        assertThat(unknown.json().get("reason").asText()).contains("'invoices'");

        h.observe(cluster, "{\"type\":\"OffsetResetObserved\",\"commandId\":\"api-reset-1\",\"group\":\"orders-app\",\"state\":\"PLANNED\","
                + "\"partitions\":{\"orders\":[{\"partition\":0,\"from\":120,\"to\":40},{\"partition\":1,\"from\":null,\"to\":0}]}}");
        JsonNode planned = h.get("/v1/clusters/" + cluster).json().at("/spec/offsetResets/orders-app");
        assertThat(planned.at("/plan/orders/0/from").asLong()).isEqualTo(120);
        assertThat(planned.at("/plan/orders/1/from").isNull()).as("no committed offset before").isTrue();
        assertThat(planned.get("plannedAt").isTextual()).isTrue();

        h.observe(cluster, "{\"type\":\"OffsetResetObserved\",\"commandId\":\"api-reset-1\",\"group\":\"orders-app\",\"state\":\"DONE\","
                + "\"partitions\":{\"orders\":[{\"partition\":0,\"from\":120,\"to\":40},{\"partition\":1,\"from\":null,\"to\":0}]}}");
        JsonNode state = h.get("/v1/clusters/" + cluster).json();
        assertThat(state.at("/spec/offsetResets").isEmpty()).as("no longer pending").isTrue();
        JsonNode outcome = state.at("/status/offsetResets/orders-app");
        assertThat(outcome.get("commandId").asText()).isEqualTo("api-reset-1");
        assertThat(outcome.get("state").asText()).isEqualTo("DONE");
        assertThat(outcome.get("partitions").asInt()).isEqualTo(2);
        Reply next = h.post("/v1/commands?wait=true", reset(cluster, "{\"group\":\"orders-app\",\"to\":\"SHIFT_BY\",\"shiftBy\":-10}"));
        assertThat(next.status()).as("once the outcome is in, the group may be reset again: " + next).isEqualTo(200);
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
