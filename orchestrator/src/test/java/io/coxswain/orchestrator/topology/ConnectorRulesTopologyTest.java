package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ConnectorObservation;
import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.command.SetConnector;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ConnectorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DECIDE and FOLD of the connector commands through the real topology: a connector needs the connect
 * component and keeps its latest restart through configuration changes; an unknown connector, a
 * connector with a secret as a value and the removal of a connect component in use are refused with
 * what to do; what the Connect cluster reports is folded only for connectors the state names.
 */
class ConnectorRulesTopologyTest {

    private static final String SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector";

    private final TopologyHarness h = new TopologyHarness();

    @BeforeEach
    void createCluster() {
        acceptedVersion(h.send(h.on("payments").createCluster("4.1.0", 1, 1, "10Gi")));
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aConnectorNeedsTheConnectComponentFirst() {
        CommandRejected noConnect = rejected(h.send(h.on("payments").setConnector("orders", SOURCE, 1, Map.of("topic", "orders"))));
        assertThat(noConnect.getCode()).isEqualTo(RejectionCode.NOT_SUPPORTED_ON_CLUSTER);
        assertThat(noConnect.getReason()).contains("payments", "no connect component", "SetComponent connect");
        assertThat(h.state("payments").getConnectors()).isEmpty();
    }

    @Test
    void setRestartAndDeleteAreFoldedAndARestartOutlivesAConfigurationChange() {
        acceptedVersion(h.send(h.on("payments").setComponent("connect", 1, null, null, Map.of())));
        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 2, Map.of("topic", "orders"))));
        ConnectorSpec orders = h.state("payments").getConnectors().get("orders");
        assertThat(orders.getConnectorClass()).isEqualTo(SOURCE);
        assertThat(orders.getTasksMax()).isEqualTo(2);
        assertThat(orders.getConfig()).isEqualTo(Map.of("topic", "orders"));
        assertThat(orders.getState()).isEqualTo("RUNNING");
        assertThat(orders.getRestart()).isNull();

        CommandRejected same = rejected(h.send(h.on("payments").setConnector("orders", SOURCE, 2, Map.of("topic", "orders"))));
        assertThat(same.getCode()).isEqualTo(RejectionCode.NO_CHANGE);

        acceptedVersion(h.send(h.on("payments").commandId("restart-1").restartConnector("orders", true, "database back")));
        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 2, Map.of("topic", "orders"), ConnectorState.PAUSED)));
        orders = h.state("payments").getConnectors().get("orders");
        assertThat(orders.getState()).isEqualTo("PAUSED");
        assertThat(orders.getRestart().getCommandId()).as("kept through a change of state").isEqualTo("restart-1");
        assertThat(orders.getRestart().getOnlyFailed()).isTrue();
        assertThat(orders.getRestart().getReason()).isEqualTo("database back");

        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 2, Map.of("topic", "orders"), ConnectorState.STOPPED)));
        CommandRejected stopped = rejected(h.send(h.on("payments").restartConnector("orders", true, null)));
        assertThat(stopped.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(stopped.getReason()).contains("STOPPED", "SetConnector", "RUNNING");

        CommandRejected inUse = rejected(h.send(h.on("payments").removeComponent("connect")));
        assertThat(inUse.getCode()).isEqualTo(RejectionCode.COMPONENT_IN_USE);
        assertThat(inUse.getReason()).contains("orders", "DeleteConnector");
        assertThat(h.state("payments").getSpec().getComponents()).containsKey("connect");

        acceptedVersion(h.send(h.on("payments").deleteConnector("orders")));
        assertThat(h.state("payments").getConnectors()).isEmpty();
        assertThat(h.state("payments").getRetiredConnectors()).as("for the executor to remove").containsExactly("orders");
        CommandRejected gone = rejected(h.send(h.on("payments").deleteConnector("orders")));
        assertThat(gone.getCode()).isEqualTo(RejectionCode.CONNECTOR_NOT_FOUND);
        assertThat(gone.getReason()).contains("payments", "no connector 'orders'");
        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 1, Map.of())));
        assertThat(h.state("payments").getRetiredConnectors()).as("set again: no longer to remove").isEmpty();
        assertThat(h.state("payments").getConnectors().get("orders").getRestart()).as("a new connector of an old name").isNull();
        acceptedVersion(h.send(h.on("payments").deleteConnector("orders")));
        acceptedVersion(h.send(h.on("payments").removeComponent("connect")));
    }

    @Test
    void offsetsAreResetOnlyForAConnectorAskedToBeStoppedAndItIsNotStartedBeforeConnectReportsTheResetDone() {
        acceptedVersion(h.send(h.on("payments").setComponent("connect", 1, null, null, Map.of())));
        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 1, Map.of("topic", "orders"))));
        CommandRejected running = rejected(h.send(h.on("payments").resetConnectorOffsets("orders", null)));
        assertThat(running.getCode()).isEqualTo(RejectionCode.CONNECTOR_NOT_STOPPED);
        assertThat(running.getReason()).contains("'orders'", "RUNNING", "stop it first", "SetConnector", "STOPPED");
        assertThat(rejected(h.send(h.on("payments").resetConnectorOffsets("billing", null))).getCode()).isEqualTo(RejectionCode.CONNECTOR_NOT_FOUND);

        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 1, Map.of("topic", "orders"), ConnectorState.STOPPED)));
        acceptedVersion(h.send(h.on("payments").commandId("reset-1").resetConnectorOffsets("orders", "re-read the file")));
        ConnectorSpec orders = h.state("payments").getConnectors().get("orders");
        assertThat(orders.getOffsetReset().getCommandId()).isEqualTo("reset-1");
        assertThat(orders.getOffsetReset().getReason()).isEqualTo("re-read the file");

        CommandRejected early = rejected(h.send(h.on("payments").setConnector("orders", SOURCE, 1, Map.of("topic", "orders"))));
        assertThat(early.getCode()).isEqualTo(RejectionCode.CONNECTOR_NOT_STOPPED);
        assertThat(early.getReason()).contains("reset pending", "reset-1", "status.connectors.orders.offsetsReset");
        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 1, Map.of("topic", "orders", "file", "/tmp/o"),
                ConnectorState.STOPPED)));
        assertThat(h.state("payments").getConnectors().get("orders").getOffsetReset().getCommandId()).as("kept through a change")
                .isEqualTo("reset-1");

        acceptedVersion(h.send(h.on("payments").observation("executor-1", new ConnectorsObserved(
                Map.of("orders", new ConnectorObservation("STOPPED", 0, 0, null, null, "reset-1", null)), List.of(), null, Map.of()))));
        assertThat(h.state("payments").getStatus().getConnectors().get("orders").getOffsetsReset()).isEqualTo("reset-1");
        assertThat(h.state("payments").getConnectors().get("orders").getOffsetReset().getSettledAt()).as("settled in the spec").isNotNull();
        acceptedVersion(h.send(h.on("payments").observation("executor-1", new ConnectorsObserved(Map.of(), List.of(), null, Map.of()))));
        assertThat(h.state("payments").getConnectors().get("orders").getOffsetReset().getSettledAt())
                .as("a later report that leaves the connector out does not make the reset pending again").isNotNull();
        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 1, Map.of("topic", "orders"))));
        assertThat(h.state("payments").getConnectors().get("orders").getState()).isEqualTo("RUNNING");
    }

    @Test
    void aResetConnectRefusesForGoodIsSettledAndAConnectTooOldToResetIsRefusedFirst() {
        acceptedVersion(h.send(h.on("payments").setComponent("connect", 1, "7.5.3", null, Map.of())));
        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 1, Map.of(), ConnectorState.STOPPED)));
        CommandRejected old = rejected(h.send(h.on("payments").resetConnectorOffsets("orders", null)));
        assertThat(old.getCode()).isEqualTo(RejectionCode.NOT_SUPPORTED_ON_CLUSTER);
        assertThat(old.getReason()).contains("7.5.3", "7.6, Kafka 3.6", "upgrade it");

        acceptedVersion(h.send(h.on("payments").setComponent("connect", 1, "8.0.0", null, Map.of())));
        acceptedVersion(h.send(h.on("payments").commandId("reset-2").resetConnectorOffsets("orders", null)));
        acceptedVersion(h.send(h.on("payments").observation("executor-1", new ConnectorsObserved(Map.of("orders",
                new ConnectorObservation("STOPPED", 0, 0, null, null, "reset-2", "the connector does not support altering its offsets")),
                List.of(), null, Map.of()))));
        assertThat(h.state("payments").getStatus().getConnectors().get("orders").getOffsetsResetRefused()).contains("does not support");
        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 1, Map.of())));
    }

    @Test
    void aSecretAsAValueIsRefusedAndNeverFolded() {
        acceptedVersion(h.send(h.on("payments").setComponent("connect", 1, null, null, Map.of())));
        Command raw = h.on("payments").resume();
        // straight to the topic, past any client's check
        raw.setPayload(new SetConnector("jdbc", "io.example.JdbcSink", 1, Map.of("connection.password", "hunter2"), ConnectorState.RUNNING));
        CommandRejected secret = rejected(h.send(raw));
        assertThat(secret.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(secret.getReason()).contains("payload.config", "'connection.password' holds a secret").doesNotContain("hunter2");
        assertThat(h.state("payments").getConnectors()).isEmpty();
    }

    @Test
    void whatConnectReportsIsFoldedForTheConnectorsTheStateNamesAndKeptWhileConnectCannotBeAsked() {
        acceptedVersion(h.send(h.on("payments").setComponent("connect", 1, null, null, Map.of())));
        acceptedVersion(h.send(h.on("payments").setConnector("orders", SOURCE, 1, Map.of())));
        ConnectorObservation failed = new ConnectorObservation("RUNNING", 1, 1, "java.io.IOException: no such file", null, null, null);
        acceptedVersion(h.send(h.on("payments").observation("executor-1", new ConnectorsObserved(
                Map.of("orders", failed, "stale", new ConnectorObservation("RUNNING", 1, 0, null, null, null, null)), List.of("made-by-hand"), null, Map.of()))));
        ClusterState state = h.state("payments");
        assertThat(state.getStatus().getConnectors()).containsOnlyKeys("orders");
        assertThat(state.getStatus().getUnmanagedConnectors()).containsExactly("made-by-hand");
        assertThat(state.getStatus().getConnectors().get("orders").getFailedTasks()).isEqualTo(1);
        assertThat(state.getStatus().getConnectors().get("orders").getError()).contains("no such file");

        acceptedVersion(h.send(h.on("payments").observation("executor-1", new ConnectorsObserved(Map.of(), List.of(), "connection refused", Map.of()))));
        state = h.state("payments");
        assertThat(state.getStatus().getConnectUnreachable()).isEqualTo("connection refused");
        assertThat(state.getStatus().getConnectors()).as("as last observed").containsOnlyKeys("orders");

        acceptedVersion(h.send(h.on("payments").deleteConnector("orders")));
        assertThat(h.state("payments").getStatus().getConnectors()).as("what was observed of it goes with it").isEmpty();
    }
}
