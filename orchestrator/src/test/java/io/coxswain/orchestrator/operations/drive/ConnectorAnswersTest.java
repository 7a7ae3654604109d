package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.coxswain.avro.command.ConnectorObservation;
import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.operations.connect.ConnectFront;
import io.coxswain.orchestrator.operations.connect.ConnectorPlan;
import io.coxswain.orchestrator.operations.connect.LiveConnector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What the executor does with the answers a real Connect worker gives only in bad moments, made by a stand-in in front
 * of it: a creation that finds the connector there (409), a change Connect makes after the executor gave up waiting, a
 * restart timed out (by the executor, or by Connect itself), workers that do not know {@code initial_state}. Whatever
 * the answer, the audit trail names each call made, recorded before it is made, and a restart is never made twice.
 */
class ConnectorAnswersTest extends ConnectorPasses {

    private static final String NOT_IN_STATE = "Unrecognized field \"initial_state\" (class org.apache.kafka.connect.runtime.rest"
            + ".entities.CreateConnectorRequest), not marked as ignorable (2 known properties: \"config\", \"name\"])";

    @Test
    void aConnectorFoundThereWhenCreatedIsStoppedThenGivenTheStatesConfigurationEachCallRecordedBeforeItIsMade() {
        String name = cluster + "-raced";
        Map<String, String> theirs = Map.of("name", name, "connector.class", SINK, "tasks.max", "1", "topics", "orders",
                "file", dir.resolve("theirs.txt").toString());
        List<String> calls = new CopyOnWriteArrayList<>();
        try (ConnectFront front = ConnectFront.before(worker).onChange(call -> {
            if (calls.isEmpty()) {
                rest.putConfig(name, theirs); // made by hand between the pass's look and its creation
            }
            calls.add(call + " with " + actions().size() + " action(s) recorded");
        })) {
            url.set(front.url());
            state = fold(on().commandId("raced").setConnector(name, SINK, 1, Map.of("topics", "orders", "file",
                    dir.resolve("ours.txt").toString()), ConnectorState.STOPPED));

            assertThat(sync(state, "raced")).as("aligned").isTrue();
            List<ResourceActionObserved> actions = actions();
            assertThat(actions).extracting(ResourceActionObserved::getAction).containsExactly(ResourceAction.CREATE, ResourceAction.UPDATE,
                    ResourceAction.UPDATE);
            assertThat(actions.get(1).getDetail()).as("its state, whatever Connect reported it in").endsWith(" → STOPPED");
            assertThat(actions.get(2).getDetail()).as("the keys replaced, never a value").isEqualTo("set file");
            assertThat(actions.subList(1, 3)).allSatisfy(a -> {
                assertThat(a.getName()).isEqualTo(name);
                assertThat(a.getCauseCommandId()).isEqualTo("raced");
                assertThat(a.getReason()).contains("was on the Connect cluster when created (Connect answered 409");
            });
            assertThat(calls).as("each call recorded before it is made").containsExactly(
                    "POST /connectors with 1 action(s) recorded",
                    "PUT /connectors/" + name + "/stop with 2 action(s) recorded",
                    "PUT /connectors/" + name + "/config with 3 action(s) recorded");
            Map<String, String> ours = ConnectorPlan.config(name, state.getConnectors().get(name));
            DriveWorld.await(T, () -> name + " STOPPED with the state's configuration", () -> {
                LiveConnector now = rest.connectors().get(name);
                return now.state().equals("STOPPED") && now.config().equals(ours);
            });
        }
    }

    @Test
    void aChangeConnectMakesAfterTheExecutorGaveUpWaitingIsReadBackNotMadeAgain() {
        String name = cluster + "-slow";
        try (ConnectFront slow = ConnectFront.before(worker).holdingChanges()) {
            url.set(slow.url());
            sync = new ConnectorSync(new OperationRecorder(sink), (s, n) -> url.get(), Duration.ofSeconds(10), Duration.ofSeconds(1),
                    ConnectorLooks.minuteFurtherAtEachLook()); // each back-off over by the next pass: only what Connect has keeps a call from being made
            state = fold(on().commandId("slow").setConnector(name, SINK, 1, Map.of("topics", "orders", "file", dir.resolve("s.txt").toString()),
                    ConnectorState.STOPPED));

            assertThat(sync(state, "slow")).as("the creation timed out: not aligned").isFalse();
            assertThat(slow.held()).isEqualTo(1);
            slow.release();
            syncUntil("slow", name + " reported STOPPED", r -> r.getConnectors().containsKey(name)
                    && r.getConnectors().get(name).getState().equals("STOPPED"));
            assertThat(sync(state, "slow")).as("aligned").isTrue();
            assertThat(sink.actions(ResourceAction.CREATE)).as("created once: the passes after read it back").hasSize(1);
            assertThat(slow.held()).as("nothing else asked of Connect").isEqualTo(1);
        }
    }

    @Test
    void aRestartTheExecutorGaveUpWaitingForIsMadeOnceAndSaidToBeUnsure() {
        String name = cluster + "-held";
        try (ConnectFront front = ConnectFront.before(worker)) {
            restartOnce(front, name, () -> front.holdingChanges(), false);
            assertThat(front.held()).as("the restart's answer held past the executor's wait").isEqualTo(1);
        }
    }

    @Test
    void aRestartConnectTimedOutItselfIsMadeOnceAndSaidToBeUnsure() {
        String name = cluster + "-timed-out";
        try (ConnectFront front = ConnectFront.before(worker)) {
            restartOnce(front, name, () -> front.answering("POST", "/connectors/" + name + "/restart", 500,
                    "Request timed out. The worker is currently ensuring membership in the cluster", true), true);
        }
    }

    /**
     * A running connector whose RestartConnector times out as {@code timeOut} makes it: sent once, whatever the passes after
     * (each back-off over by the next), and reported carried out with a word that it may not have been.
     */
    private void restartOnce(ConnectFront front, String name, Runnable timeOut, boolean connectAnswers) {
        url.set(front.url());
        sync = new ConnectorSync(new OperationRecorder(sink), (s, n) -> url.get(), Duration.ofSeconds(10), Duration.ofSeconds(1),
                ConnectorLooks.minuteFurtherAtEachLook());
        state = fold(on().setConnector(name, SINK, 1, Map.of("topics", "orders", "file", dir.resolve(name + ".txt").toString())));
        syncUntil("set", name + " RUNNING with its task", r -> r.getConnectors().containsKey(name) && r.getConnectors().get(name).getTasks() == 1);
        timeOut.run();

        state = fold(on().commandId("restart-1").restartConnector(name, false, "stuck"));
        assertThat(sync(state, "restart-1")).as(connectAnswers ? "Connect answered: aligned" : "no answer: not aligned").isEqualTo(connectAnswers);
        for (int pass = 0; pass < 3; pass++) {
            sync(state, "resync");
        }
        assertThat(front.changes()).as("restarted once").filteredOn(c -> c.endsWith("/restart")).hasSize(1);
        assertThat(sink.actions(ResourceAction.RESTART)).singleElement().satisfies(a -> assertThat(a.getCauseCommandId()).isEqualTo("restart-1"));
        ConnectorObservation reported = lastReport().getConnectors().get(name);
        assertThat(reported.getRestarted()).isEqualTo("restart-1");
        assertThat(reported.getError()).isEqualTo("RestartConnector restart-1 timed out: it may not have been made; send RestartConnector"
                + " again if needed");
        assertThat(state.getConnectors().get(name).getRestart().getCarriedOutAt()).as("settled in the state").isNotNull();
    }

    @Test
    void workersThatDoNotKnowInitialStateHoldAConnectorAskedStoppedAndCreateOneAskedRunningTheOlderWay() {
        String name = cluster + "-old-image";
        String running = cluster + "-old-image-2";
        String version = PlatformComponent.DEFAULT_VERSION;
        try (ConnectFront front = ConnectFront.before(worker).answering("POST", "/connectors", 500, NOT_IN_STATE, false)) {
            url.set(front.url());
            state = fold(on().commandId("old-image").setConnector(name, SINK, 1, Map.of("topics", "orders", "file",
                    dir.resolve("o.txt").toString()), ConnectorState.STOPPED));

            assertThat(sync(state, "old-image")).as("not acted on: held").isFalse();
            assertThat(front.changes()).as("created RUNNING it would consume before a stop: never made").containsExactly("POST /connectors");
            assertThat(rest.connectors().get(name)).isNull();
            assertThat(lastReport().getConnectors().get(name).getError()).contains("not created: this Connect does not create connectors"
                    + " in a state", "SetComponent connect names Confluent Platform " + version, "created RUNNING it would run before it could be"
                    + " STOPPED");
            int calls = front.changes().size();
            assertThat(sync(state, "old-image")).isFalse();
            assertThat(front.changes()).as("not asked again until the workers or the connector change").hasSize(calls);

            state = fold(on().commandId("second").setConnector(running, SINK, 1, Map.of("topics", "orders", "file",
                    dir.resolve("p.txt").toString())));
            int recorded = actions().size();
            sync(state, "second");
            assertThat(front.changes().subList(calls, front.changes().size())).as("the same workers are not asked again what they do not know")
                    .containsExactly("PUT /connectors/" + running + "/config");
            assertThat(actions().subList(recorded, actions().size())).extracting(ResourceActionObserved::getAction, ResourceActionObserved::getDetail)
                    .containsExactly(tuple(ResourceAction.CREATE, SINK + ", 1 task(s), created RUNNING (PUT /connectors/" + running + "/config:"
                            + " this Connect answered that it does not know initial_state, though SetComponent connect names Confluent"
                            + " Platform " + version + ")"));
            syncUntil("second", running + " RUNNING, with why it was created the older way", r -> r.getConnectors().containsKey(running)
                    && "RUNNING".equals(r.getConnectors().get(running).getState()) && r.getConnectors().get(running).getError() != null);
            assertThat(lastReport().getConnectors().get(running).getError()).contains("created the older way",
                    "connectors asked PAUSED or STOPPED are not created until then");
        }
    }
}
