package io.coxswain.orchestrator.operations.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.operations.connect.ConnectorAction.Kind;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the Connect cluster is asked, decided from the state and what Connect reports: pure, so every rule is checked here. */
class ConnectorPlanTest {

    private static final String SINK = "org.apache.kafka.connect.file.FileStreamSinkConnector";

    private ClusterState state = TestStates.created("pay", 1, 1);

    ConnectorPlanTest() {
        state = fold(Commands.on("pay").issuer("a").setComponent("connect", 1, null, null, Map.of()));
        state = fold(Commands.on("pay").issuer("a").observation("x", ComponentObserved.newBuilder().setComponent("connect").setDesired(1).setReady(1).build()));
    }

    @Test
    void aConnectorAsAskedNeedsNothingAndOneNobodyAskedForIsOnlyListed() {
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 2, Map.of("topics", "orders")));
        Map<String, LiveConnector> live = Map.of(
                "orders", running("orders", Map.of("name", "orders", "connector.class", SINK, "tasks.max", "2", "topics", "orders")),
                "hand", running("hand", Map.of()));
        ConnectorPlan plan = ConnectorPlan.of(state, live, Map.of(), Set.of());
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.unmanaged()).containsExactly("hand");
    }

    @Test
    void aChangedConfigurationIsReplacedAndTheDetailNamesKeysNeverValues() {
        state = fold(Commands.on("pay").issuer("a").setConnector("db", SINK, 1, Map.of("topics", "orders", "connection.password", "${file:/s:pw}")));
        Map<String, LiveConnector> live = Map.of("db", running("db", Map.of("name", "db", "connector.class", SINK, "tasks.max", "1",
                "topics", "old", "connection.password", "${file:/s:old}", "batch.size", "10")));
        assertThat(ConnectorPlan.of(state, live, Map.of(), Set.of()).actions()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.UPDATE);
            assertThat(a.detail()).isEqualTo("set connection.password, topics; removed batch.size").doesNotContain("${file");
        });
    }

    @Test
    void aConnectorAskedStoppedIsStoppedBeforeItsNewConfigurationAndOneAskedRunningGetsItsConfigurationBeforeItResumes() {
        Map<String, String> old = Map.of("name", "orders", "connector.class", SINK, "tasks.max", "1", "topics", "old");
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of("topics", "orders"), ConnectorState.STOPPED));
        assertThat(ConnectorPlan.of(state, Map.of("orders", running("orders", old)), Map.of(), Set.of()).actions())
                .as("a new configuration would restart its tasks: held stopped first").extracting(ConnectorAction::kind)
                .containsExactly(Kind.STOP, Kind.UPDATE);

        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of("topics", "orders")));
        LiveConnector stopped = new LiveConnector("orders", old, "STOPPED", 0, 0, null);
        assertThat(ConnectorPlan.of(state, Map.of("orders", stopped), Map.of(), Set.of()).actions())
                .as("resumed first, it would run the configuration it has").extracting(ConnectorAction::kind)
                .containsExactly(Kind.UPDATE, Kind.RESUME);
        assertThat(ConnectorPlan.found("orders", state.getConnectors().get("orders"), stopped)).extracting(ConnectorAction::kind)
                .as("the same order for one Connect had when created").containsExactly(Kind.UPDATE, Kind.RESUME);
    }

    @Test
    void aStateIsAskedForOnceWhileConnectHasNotReportedItYet() {
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of(), ConnectorState.PAUSED));
        Map<String, LiveConnector> live = Map.of("orders", running("orders", ConnectorPlan.config("orders", state.getConnectors().get("orders"))));
        assertThat(ConnectorPlan.of(state, live, Map.of(), Set.of()).actions()).extracting(ConnectorAction::kind).containsExactly(Kind.PAUSE);
        assertThat(ConnectorPlan.of(state, live, Map.of("orders", "PAUSED"), Set.of()).actions()).isEmpty();
    }

    @Test
    void aMissingConnectorIsCreatedInItsStateAndARestartAskedBeforeIsCarriedOutByTheCreation() {
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of()));
        state = fold(Commands.on("pay").issuer("a").commandId("r-1").restartConnector("orders", true, null));
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of(), ConnectorState.STOPPED));
        ConnectorPlan plan = ConnectorPlan.of(state, Map.of(), Map.of(), Set.of());
        assertThat(plan.actions()).as("Confluent Platform " + PlatformComponent.DEFAULT_VERSION + ": one call, never RUNNING")
                .singleElement().satisfies(a -> {
                    assertThat(a.kind()).isEqualTo(Kind.CREATE);
                    assertThat(a.initialState()).isEqualTo("STOPPED");
                    assertThat(a.detail()).isEqualTo(SINK + ", 1 task(s), created STOPPED (POST /connectors with initial_state)");
                });
        assertThat(plan.restarted()).containsEntry("orders", "r-1");
    }

    @Test
    void onConnectOlderThanConfluentPlatform77AMissingConnectorIsCreatedRunningThenBroughtToItsStateAndTheDetailSaysSo() {
        state = fold(Commands.on("pay").issuer("a").setComponent("connect", 1, "7.6.2", null, Map.of()));
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of(), ConnectorState.PAUSED));
        ConnectorPlan plan = ConnectorPlan.of(state, Map.of(), Map.of(), Set.of());
        assertThat(plan.actions()).extracting(ConnectorAction::kind).containsExactly(Kind.CREATE, Kind.PAUSE);
        assertThat(plan.actions().get(0).initialState()).isNull();
        assertThat(plan.actions().get(0).detail()).isEqualTo(SINK + ", 1 task(s), created RUNNING (PUT /connectors/orders/config:"
                + " Connect before Confluent Platform 7.7 takes no initial state), then PAUSED: it runs until then");

        state = fold(Commands.on("pay").issuer("a").setComponent("connect", 1, "7.7.0", null, Map.of()));
        assertThat(ConnectorPlan.of(state, Map.of(), Map.of(), Set.of()).actions()).as("7.7 (Kafka 3.7) and later")
                .extracting(ConnectorAction::kind, ConnectorAction::initialState)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.CREATE, "PAUSED"));
    }

    @Test
    void aConnectorFoundWhenCreatedIsBroughtToItsStateFirstThenGivenTheStatesConfigurationEachCallSayingWhy() {
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of("topics", "orders", "file", "/ours"),
                ConnectorState.PAUSED));
        Map<String, String> ours = ConnectorPlan.config("orders", state.getConnectors().get("orders"));
        Map<String, String> theirs = new java.util.TreeMap<>(ours);
        theirs.put("file", "/theirs");
        theirs.put("batch.size", "10");
        var spec = state.getConnectors().get("orders");

        assertThat(ConnectorPlan.found("orders", spec, running("orders", theirs))).satisfiesExactly(pause -> {
            assertThat(pause.kind()).isEqualTo(Kind.PAUSE);
            assertThat(pause.detail()).isEqualTo("RUNNING → PAUSED");
            assertThat(pause.reason()).isEqualTo("SetConnector: connector orders was on the Connect cluster when created (Connect answered"
                    + " 409: made since the pass looked, by an executor that did not record it or by hand): asked to be PAUSED");
        }, update -> {
            assertThat(update.kind()).isEqualTo(Kind.UPDATE);
            assertThat(update.detail()).isEqualTo("set file; removed batch.size");
            assertThat(update.reason()).endsWith("by hand): its configuration replaced by the state's");
        });
        assertThat(ConnectorPlan.found("orders", spec, new LiveConnector("orders", ours, "PAUSED", 1, 0, null)))
                .as("there as the state asks: nothing to do").isEmpty();
    }

    @Test
    void aConnectorCreatedRunningBecauseConnectTakesNoInitialStateIsThenStoppedAndTheDetailSaysItRunsInBetween() {
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of(), ConnectorState.STOPPED));
        assertThat(ConnectorPlan.createdRunning("orders", state.getConnectors().get("orders"), "this Connect said so"))
                .extracting(ConnectorAction::kind, ConnectorAction::detail, ConnectorAction::initialState).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Kind.CREATE, SINK + ", 1 task(s), created RUNNING (PUT /connectors/orders/config:"
                                + " this Connect said so), then STOPPED: it runs until then", null),
                        org.assertj.core.groups.Tuple.tuple(Kind.STOP, "RUNNING → STOPPED", null));
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of()));
        assertThat(ConnectorPlan.createdRunning("orders", state.getConnectors().get("orders"), "this Connect said so"))
                .as("asked RUNNING: one call").extracting(ConnectorAction::kind).containsExactly(Kind.CREATE);
    }

    @Test
    void aRestartIsCarriedOutOnceAndOnlyARetiredConnectorIsDeleted() {
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of()));
        state = fold(Commands.on("pay").issuer("a").setConnector("old", SINK, 1, Map.of()));
        state = fold(Commands.on("pay").issuer("a").deleteConnector("old"));
        state = fold(Commands.on("pay").issuer("a").commandId("r-2").restartConnector("orders", false, "stuck"));
        Map<String, LiveConnector> live = Map.of(
                "orders", running("orders", ConnectorPlan.config("orders", state.getConnectors().get("orders"))),
                "old", running("old", Map.of()), "hand", running("hand", Map.of()));
        ConnectorPlan plan = ConnectorPlan.of(state, live, Map.of(), Set.of());
        assertThat(plan.actions()).extracting(ConnectorAction::kind, ConnectorAction::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.RESTART, "orders"), org.assertj.core.groups.Tuple.tuple(Kind.DELETE, "old"));
        assertThat(plan.actions().get(0).reason()).isEqualTo("RestartConnector r-2: stuck");
        assertThat(plan.actions().get(0).detail()).isEqualTo("the connector and all its tasks");
        assertThat(plan.unmanaged()).containsExactly("hand");
        assertThat(ConnectorPlan.of(state, live, Map.of(), Set.of(ConnectorPlan.restartKey("orders", "r-2"))).actions()).extracting(ConnectorAction::kind).containsExactly(Kind.DELETE);
        state = fold(Commands.on("pay").issuer("exec").observation("exec", new io.coxswain.avro.command.ConnectorsObserved(Map.of("orders",
                new io.coxswain.avro.command.ConnectorObservation("RUNNING", 1, 0, null, "r-2", null, null)), java.util.List.of(), null, java.util.Map.of())));
        state = fold(Commands.on("pay").issuer("exec").observation("exec", new io.coxswain.avro.command.ConnectorsObserved(Map.of(),
                java.util.List.of(), null, java.util.Map.of())));
        assertThat(ConnectorPlan.of(state, live, Map.of(), Set.of()).actions()).extracting(ConnectorAction::kind)
                .as("carried out in the state: not made again by an executor that does not remember it").containsExactly(Kind.DELETE);
    }

    @Test
    void aFailedConnectorIsStoppedWhenAskedOnceNotAtEveryPass() {
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of(), ConnectorState.STOPPED));
        LiveConnector failed = new LiveConnector("orders", ConnectorPlan.config("orders", state.getConnectors().get("orders")), "FAILED", 1, 0,
                "java.lang.IllegalStateException");
        assertThat(ConnectorPlan.of(state, Map.of("orders", failed), Map.of(), Set.of()).actions()).extracting(ConnectorAction::kind)
                .as("its tasks still run").containsExactly(Kind.STOP);
        assertThat(ConnectorPlan.of(state, Map.of("orders", failed), Map.of("orders", "STOPPED"), Set.of()).actions())
                .as("the connector stays FAILED: asked once").isEmpty();
    }

    @Test
    void anOffsetResetWaitsUntilConnectReportsTheConnectorStoppedAndIsCarriedOutOnce() {
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of(), ConnectorState.STOPPED));
        state = fold(Commands.on("pay").issuer("a").commandId("reset-1").resetConnectorOffsets("orders", "target rebuilt"));
        Map<String, String> config = ConnectorPlan.config("orders", state.getConnectors().get("orders"));
        assertThat(ConnectorPlan.of(state, Map.of("orders", running("orders", config)), Map.of(), Set.of()).actions())
                .as("still running on Connect: stopped first, reset on a later pass").extracting(ConnectorAction::kind).containsExactly(Kind.STOP);
        assertThat(ConnectorPlan.of(state, Map.of(), Map.of(), Set.of()).actions()).as("not there yet: created stopped first")
                .extracting(ConnectorAction::kind, ConnectorAction::initialState)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.CREATE, "STOPPED"));

        Map<String, LiveConnector> stopped = Map.of("orders", new LiveConnector("orders", config, "STOPPED", 0, 0, null));
        ConnectorPlan plan = ConnectorPlan.of(state, stopped, Map.of(), Set.of());
        assertThat(plan.actions()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.RESET_OFFSETS);
            assertThat(a.resourceKind()).isEqualTo("KafkaConnectorOffsets");
            assertThat(a.reason()).isEqualTo("ResetConnectorOffsets reset-1: target rebuilt");
            assertThat(plan.offsetReset(state, a)).contains("reset-1");
        });
        assertThat(ConnectorPlan.of(state, stopped, Map.of(), Set.of("reset-1")).actions()).as("carried out").isEmpty();
        state = fold(Commands.on("pay").issuer("exec").observation("exec", new io.coxswain.avro.command.ConnectorsObserved(Map.of("orders",
                new io.coxswain.avro.command.ConnectorObservation("STOPPED", 0, 0, null, null, "reset-1", null)), java.util.List.of(), null, java.util.Map.of())));
        state = fold(Commands.on("pay").issuer("exec").observation("exec", new io.coxswain.avro.command.ConnectorsObserved(Map.of(),
                java.util.List.of(), null, java.util.Map.of())));
        assertThat(ConnectorPlan.of(state, stopped, Map.of(), Set.of()).actions())
                .as("settled in the state: never made again by an executor that does not remember it, whatever the status says").isEmpty();
    }

    @Test
    void aRunningConnectorIsAsAskedOnceItRunsATaskButMirrorMakersCheckpointConnectorRunsNoneWhileNoGroupHasOffsets() {
        state = fold(Commands.on("pay").issuer("a").setConnector("orders", SINK, 1, Map.of("topics", "orders")));
        state = fold(Commands.on("pay").issuer("a").setConnector("m-checkpoint", MirrorConnectors.CHECKPOINT_CLASS, 1, Map.of("groups", "g")));
        Map<String, LiveConnector> starting = Map.of(
                "orders", new LiveConnector("orders", ConnectorPlan.config("orders", state.getConnectors().get("orders")), "RUNNING", 0, 0, null),
                "m-checkpoint", new LiveConnector("m-checkpoint", ConnectorPlan.config("m-checkpoint", state.getConnectors().get("m-checkpoint")),
                        "RUNNING", 0, 0, null));
        assertThat(ConnectorPlan.settled("orders", state.getConnectors().get("orders"), starting.get("orders")))
                .as("RUNNING with no task yet: still starting").isFalse();
        assertThat(ConnectorPlan.settled("m-checkpoint", state.getConnectors().get("m-checkpoint"), starting.get("m-checkpoint")))
                .as("MirrorMaker gives it no task until a group has offsets to checkpoint").isTrue();
    }

    private static LiveConnector running(String name, Map<String, String> config) {
        return new LiveConnector(name, config, "RUNNING", 1, 0, null);
    }

    private ClusterState fold(Command c) {
        return Evolve.apply(state, c);
    }
}
