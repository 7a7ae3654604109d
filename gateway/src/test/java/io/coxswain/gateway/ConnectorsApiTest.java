package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.avro.state.ConnectorStatus;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The connector commands over {@code POST /v1/commands}: a secret as a config value is a 400 naming
 * {@code payload.config} that does not repeat it, a connector without the connect component is refused
 * NOT_SUPPORTED_ON_CLUSTER, and with it the connector is in {@code GET /v1/clusters/{id}} (its offsets reset only
 * once it is asked to be STOPPED: 422 CONNECTOR_NOT_STOPPED); the OpenAPI
 * document describes each field of a connector and of its status.
 */
class ConnectorsApiTest extends GatewayPerClass {

    private static final String SECRET = "s3cr3t-Hunter2-do-not-log";

    private static String setConnector(String cluster, String config) {
        return "{\"clusterId\":\"" + cluster + "\",\"type\":\"SetConnector\",\"payload\":{\"name\":\"orders-cdc\","
                + "\"connectorClass\":\"io.debezium.connector.postgresql.PostgresConnector\",\"tasksMax\":1,\"config\":" + config + "}}";
    }

    @Test
    void aSecretIsRefusedUnrepeatedAConnectorNeedsConnectAndIsThenInTheCluster() {
        String cluster = "cdc-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);

        Reply secret = h.post("/v1/commands?wait=true", setConnector(cluster, "{\"database.password\":\"" + SECRET + "\"}"));
        assertThat(secret.status()).as(secret.toString()).isEqualTo(400);
        assertThat(secret.json().get("field").asText()).isEqualTo("payload.config");
        assertThat(secret.json().get("error").asText()).contains("'database.password' holds a secret", "config provider reference");
        assertThat(secret.body()).as("the answer does not repeat the secret").doesNotContain(SECRET);

        String reference = "{\"database.password\":\"${file:/opt/secrets/pg.properties:password}\",\"topic.prefix\":\"cdc\"}";
        Reply noConnect = h.post("/v1/commands?wait=true", setConnector(cluster, reference));
        assertThat(noConnect.status()).as(noConnect.toString()).isEqualTo(422);
        assertThat(noConnect.json().get("code").asText()).isEqualTo("NOT_SUPPORTED_ON_CLUSTER");
        assertThat(noConnect.json().get("reason").asText()).contains("SetComponent connect");

        Reply connect = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"SetComponent\",\"payload\":"
                + "{\"component\":\"connect\",\"replicas\":1,\"config\":{\"config.providers\":\"file\","
                + "\"config.providers.file.class\":\"org.apache.kafka.common.config.provider.FileConfigProvider\"}}}");
        assertThat(connect.status()).as(connect.toString()).isEqualTo(200);
        Reply accepted = h.post("/v1/commands?wait=true", setConnector(cluster, reference));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().get("status").asText()).isEqualTo("accepted");

        JsonNode state = h.get("/v1/clusters/" + cluster).json();
        JsonNode connector = state.at("/connectors/orders-cdc");
        assertThat(connector.get("connectorClass").asText()).isEqualTo("io.debezium.connector.postgresql.PostgresConnector");
        assertThat(connector.get("state").asText()).isEqualTo("RUNNING");
        assertThat(connector.at("/config/database.password").asText()).isEqualTo("${file:/opt/secrets/pg.properties:password}");
        assertThat(state.get("retiredConnectors").isEmpty()).isTrue();
        assertThat(state.at("/status/connectors").isEmpty()).as("nothing observed yet").isTrue();

        Reply notStopped = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"ResetConnectorOffsets\","
                + "\"payload\":{\"name\":\"orders-cdc\"}}");
        assertThat(notStopped.status()).as(notStopped.toString()).isEqualTo(422);
        assertThat(notStopped.json().get("code").asText()).isEqualTo("CONNECTOR_NOT_STOPPED");

        Reply inUse = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"RemoveComponent\",\"payload\":{\"component\":\"connect\"}}");
        assertThat(inUse.status()).isEqualTo(422);
        assertThat(inUse.json().get("code").asText()).isEqualTo("COMPONENT_IN_USE");
    }

    @Test
    void theOpenApiDocumentDescribesEveryFieldOfAConnectorAndOfItsStatus() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(h.get("/openapi.yaml").body());
        JsonNode cluster = doc.at("/components/schemas/Cluster/properties");
        assertThat(fields(cluster.at("/connectors/additionalProperties/properties")))
                .containsExactlyElementsOf(ConnectorSpec.getClassSchema().getFields().stream().map(Schema.Field::name).toList());
        assertThat(fields(cluster.at("/status/properties/connectors/additionalProperties/properties")))
                .containsExactlyElementsOf(ConnectorStatus.getClassSchema().getFields().stream().map(Schema.Field::name).toList());
        assertThat(fields(cluster.at("/status/properties"))).contains("unmanagedConnectors", "connectUnreachable");
        assertThat(fields(cluster)).contains("retiredConnectors");
        assertThat(doc.at("/components/schemas/CommandRequest/properties/payload/description").asText())
                .contains("SetConnector {name, connectorClass", "DeleteConnector {name}", "RestartConnector {name, onlyFailed?",
                        "ResetConnectorOffsets {name, reason?}", "KafkaConnectorOffsets", "CONNECTOR_NOT_FOUND", "CONNECTOR_NOT_STOPPED", "COMPONENT_IN_USE", "NOT_SUPPORTED_ON_CLUSTER", "naming payload.config");
    }

    private static List<String> fields(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
