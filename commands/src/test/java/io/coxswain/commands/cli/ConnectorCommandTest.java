package io.coxswain.commands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.commands.cli.StandInGateway.Run;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cox connector reset-offsets|list} against a {@link StandInGateway}: the ResetConnectorOffsets payload, the
 * hint after an accepted reset (and none where it would mislead), and the OFFSETS RESET column of each state a reset
 * can be in. (End to end through a real gateway and fold: the gateway module's ConnectorCliTest.)
 */
class ConnectorCommandTest {

    /** Three connectors as GET /v1/clusters/{id} renders them (StateJson): never reset, reset pending, reset done. */
    private static final String CLUSTER = """
            {"clusterId": "etl", "version": 12, "connectors": {
              "billing-sink": {"connectorClass": "FileStreamSink", "tasksMax": 1, "config": {}, "state": "RUNNING", "restart": null,
                "offsetReset": null},
              "orders-db": {"connectorClass": "JdbcSource", "tasksMax": 2, "config": {}, "state": "STOPPED", "restart": null,
                "offsetReset": {"commandId": "ro-2", "requestedAt": "2026-12-06T17:00:00Z", "reason": "target rebuilt"}},
              "users-db": {"connectorClass": "JdbcSource", "tasksMax": 1, "config": {}, "state": "STOPPED", "restart": null,
                "offsetReset": {"commandId": "ro-1", "requestedAt": "2026-12-06T16:00:00Z", "reason": null}}},
             "status": {"phase": "Ready", "connectors": {
              "billing-sink": {"state": "RUNNING", "tasks": 1, "failedTasks": 0, "error": null, "restarted": null, "offsetsReset": null,
                "since": "2026-12-06T15:00:00Z"},
              "orders-db": {"state": "STOPPED", "tasks": 0, "failedTasks": 0, "error": null, "restarted": null, "offsetsReset": "ro-1",
                "since": "2026-12-06T17:00:01Z"},
              "users-db": {"state": "STOPPED", "tasks": 0, "failedTasks": 0, "error": null, "restarted": null, "offsetsReset": "ro-1",
                "since": "2026-12-06T16:00:05Z"}}}}""";

    private StandInGateway gateway;

    @BeforeEach
    void startGateway() throws IOException {
        gateway = new StandInGateway(path -> CLUSTER);
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @Test
    void resetOffsetsSendsTheNameAndReasonThenSaysHowToStartTheConnectorAgain() {
        Run plain = gateway.cox("connector", "reset-offsets", "etl", "orders-db");
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(gateway.paths).containsExactly("POST /v1/commands?wait=true");
        JsonNode body = gateway.lastBody();
        assertThat(body.get("type").asText()).isEqualTo("ResetConnectorOffsets");
        assertThat(body.get("clusterId").asText()).isEqualTo("etl");
        assertThat(body.get("payload").toString()).as("no reason given: none sent").isEqualTo("{\"name\":\"orders-db\"}");
        assertThat(plain.out()).isEqualTo("ResetConnectorOffsets on etl: accepted, version 10 (command generated)" + System.lineSeparator()
                + "start it again once cox connector list etl shows OFFSETS RESET done: cox connector set etl orders-db --class CLASS"
                + " (its tasks and whole --config again) --state RUNNING" + System.lineSeparator());

        Run withReason = gateway.cox("connector", "reset-offsets", "etl", "orders-db", "--reason", "target rebuilt", "--command-id", "ro-9",
                "--expected-version", "12", "--unchanged-since", "11");
        assertThat(withReason.code()).as(withReason.err()).isZero();
        assertThat(gateway.lastBody().toString()).isEqualTo("{\"commandId\":\"ro-9\",\"clusterId\":\"etl\",\"expectedVersion\":12,"
                + "\"unchangedSinceVersion\":11,\"type\":\"ResetConnectorOffsets\",\"payload\":{\"name\":\"orders-db\",\"reason\":\"target rebuilt\"}}");

        Run dry = gateway.cox("connector", "reset-offsets", "etl", "orders-db", "--dry-run");
        assertThat(gateway.paths).last().isEqualTo("POST /v1/commands?dryRun=true");
        assertThat(dry.out()).as("a dry run resets nothing to wait for").doesNotContain("start it again");
        Run noWait = gateway.cox("connector", "reset-offsets", "etl", "orders-db", "--no-wait");
        assertThat(gateway.paths).last().isEqualTo("POST /v1/commands");
        assertThat(noWait.out()).doesNotContain("start it again");
        Run json = gateway.cox("connector", "reset-offsets", "etl", "orders-db", "-o", "json");
        assertThat(json.json().get("commandId").asText()).as("-o json prints the answer alone").isEqualTo("generated");

        assertThat(gateway.cox("connector", "reset-offsets", "etl").code()).as("NAME is required").isEqualTo(CliException.BAD_INPUT);
        // picocli wraps the help at 80 columns: compared with the line breaks read as spaces
        assertThat(gateway.cox("connector", "reset-offsets", "--help").out().replaceAll("\\s+", " ")).contains("KIP-875",
                "reads its source from the start again", "auto.offset.reset", "CONNECTOR_NOT_STOPPED", "--reason", "--dry-run", "--no-wait",
                "--command-id", "--expected-version", "--unchanged-since", "--output");
        assertThat(gateway.cox("connector", "--help").out()).contains("reset-offsets");
    }

    @Test
    void listShowsWhetherEachConnectorsLatestOffsetsResetIsPendingOrDone() {
        Run list = gateway.cox("connector", "list", "etl");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("CONNECTOR +CLASS +ASKED +STATE +TASKS +FAILED +RESTART +OFFSETS RESET +ERROR")
                .containsPattern("billing-sink +FileStreamSink +RUNNING +RUNNING +1/1 +0 +- +- +-")
                .as("status names an older reset than the one asked").containsPattern("orders-db +JdbcSource +STOPPED +STOPPED +0/2 +0 +- +pending +-")
                .containsPattern("users-db +JdbcSource +STOPPED +STOPPED +0/1 +0 +- +done +-");
        JsonNode doc = gateway.cox("connector", "list", "etl", "-o", "json").json();
        assertThat(doc.at("/connectors/orders-db/offsetReset/commandId").asText()).isEqualTo("ro-2");
        assertThat(doc.at("/connectors/orders-db/observed/offsetsReset").asText()).isEqualTo("ro-1");
    }
}
