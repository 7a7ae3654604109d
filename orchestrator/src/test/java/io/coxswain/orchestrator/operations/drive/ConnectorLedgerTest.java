package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.operations.connect.ConnectorAction;
import io.coxswain.orchestrator.operations.connect.ConnectorAction.Kind;
import io.coxswain.orchestrator.operations.connect.ConnectorPlan;
import io.coxswain.orchestrator.operations.connect.LiveConnector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an executor remembers of a cluster's Connect stays as large as the state it serves, however many connectors came
 * and went: a deleted connector, a restart or reset the spec no longer names, a failed call no longer planned are
 * forgotten; what a plan still asks about is kept, so no restart or offsets reset is made twice.
 */
class ConnectorLedgerTest {

    private static final String SINK = "org.apache.kafka.connect.file.FileStreamSinkConnector";
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private ClusterState state = TestStates.created("pay", 1, 1);
    private final ConnectorLedger ledger = new ConnectorLedger();

    ConnectorLedgerTest() {
        state = fold(on().setComponent("connect", 1, null, null, Map.of()));
        state = fold(on().observation("x", ComponentObserved.newBuilder().setComponent("connect").setDesired(1).setReady(1).build()));
    }

    @Test
    void aDeletedConnectorIsForgottenWhileWhatAPlanStillAsksAboutIsKept() {
        state = fold(on().setConnector("orders", SINK, 1, Map.of()));
        state = fold(on().commandId("r-1").restartConnector("orders", false, null));
        state = fold(on().setConnector("cdc", SINK, 1, Map.of(), ConnectorState.STOPPED));
        state = fold(on().commandId("x-1").resetConnectorOffsets("cdc", null));
        ConnectorAction stop = new ConnectorAction(Kind.STOP, "cdc", "SetConnector", "RUNNING → STOPPED");
        ledger.asked("cdc", "STOPPED");
        ledger.carriedOut(ConnectorPlan.restartKey("orders", "r-1"));
        ledger.resetRefused("x-1", "the connector cannot alter its offsets");
        ledger.failed(stop, ConnectorLedger.sent(state, stop), NOW);

        ledger.prune(state, List.of(stop));
        assertThat(ledger.carriedOut()).as("named by the spec, not yet marked done in it: kept").containsExactlyInAnyOrder(ConnectorPlan.restartKey("orders", "r-1"), "x-1");
        assertThat(ledger.asked()).containsEntry("cdc", "STOPPED");
        assertThat(ledger.backingOff(stop, ConnectorLedger.sent(state, stop), NOW.plusSeconds(1))).as("still planned: still backing off").isTrue();
        Map<String, LiveConnector> live = Map.of("orders", new LiveConnector("orders", ConnectorPlan.config("orders",
                state.getConnectors().get("orders")), "RUNNING", 1, 0, null));
        assertThat(ConnectorPlan.of(state, live, ledger.asked(), ledger.carriedOut()).actions()).extracting(ConnectorAction::kind)
                .as("the restart is not made again").doesNotContain(Kind.RESTART);

        state = fold(on().deleteConnector("cdc"));
        ledger.prune(state, List.of());
        assertThat(ledger.asked()).as("the deleted connector's asked state").isEmpty();
        assertThat(ledger.carriedOut()).as("its reset, which the spec no longer names").containsExactly(ConnectorPlan.restartKey("orders", "r-1"));
        assertThat(ledger.resetRefusal("x-1")).isEmpty();
        assertThat(ledger.backingOff(stop, ConnectorLedger.sent(state, stop), NOW.plusSeconds(1))).as("a call no longer planned").isFalse();

        state = fold(on().commandId("r-2").restartConnector("orders", true, null));
        ledger.prune(state, List.of());
        assertThat(ledger.carriedOut()).as("r-1 replaced by r-2 in the spec: never asked about again").isEmpty();
        assertThat(ConnectorPlan.of(state, live, ledger.asked(), ledger.carriedOut()).actions()).extracting(ConnectorAction::kind)
                .as("r-2 is still to be made").containsExactly(Kind.RESTART);
    }

    @Test
    void connectorsComingAndGoingLeaveNothingBehind() {
        for (int i = 0; i < 50; i++) {
            String name = "c-" + i;
            state = fold(on().setConnector(name, SINK, 1, Map.of("topics", "t" + i), ConnectorState.STOPPED));
            state = fold(on().commandId("reset-" + i).resetConnectorOffsets(name, null));
            ConnectorAction create = new ConnectorAction(Kind.CREATE, name, "SetConnector", "", "STOPPED");
            ledger.asked(name, "STOPPED");
            ledger.carriedOut("reset-" + i);
            ledger.failed(create, ConnectorLedger.sent(state, create), NOW);
            ledger.refused(name, ConnectorLedger.sent(state, create), List.of(), "400");
            ledger.initialStateUnknown(List.of(), "Unrecognized field");
            ledger.createdRunning(name);
            ledger.prune(state, List.of(create));
            state = fold(on().deleteConnector(name));
            ledger.prune(state, List.of());
            ledger.refusedNow(state, List.of());
            state = fold(on().setConnector(name, SINK, 1, Map.of("topics", "t" + i)));
            state = fold(on().commandId("restart-" + i).restartConnector(name, false, null));
            ledger.restartTimedOut(name, "restart-" + i, "may not have been made");
            state = fold(on().deleteConnector(name));
            ledger.prune(state, List.of());
        }
        assertThat(ledger.createdRunning("c-1", List.of())).as("gone with its connector").isFalse();
        ledger.initialStateUnknown(List.of("other workers"));
        assertThat(ledger.size()).as("the workers that said it changed: forgotten too").isZero();
    }

    @Test
    void aClusterForgottenLeavesNoLedger() {
        ConnectorSync sync = new ConnectorSync(new OperationRecorder(new io.coxswain.orchestrator.executor.RecordingSink()), (s, n) -> "",
                java.time.Duration.ofSeconds(1), java.time.Clock.systemUTC());
        sync.ledger("pay").asked("orders", "STOPPED");
        sync.ledger("other").asked("orders", "STOPPED");
        sync.forget("pay");
        assertThat(sync.remembered()).containsExactly("other");
    }

    private CommandBuilder on() {
        return Commands.on("pay").issuer("a");
    }

    private ClusterState fold(Command c) {
        return Evolve.apply(state, c);
    }
}
