package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ConnectorObservation;
import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.operations.connect.ConnectorPlan;
import io.coxswain.orchestrator.operations.connect.LiveConnector;
import io.coxswain.orchestrator.operations.connect.MirrorConnectors;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The connectors of a state brought about on a REAL Kafka Connect worker (distributed mode, against the
 * tests' shared KRaft broker) by the executor's connector step: created, changed, paused and resumed,
 * a failed task restarted once when asked, deleted only when a DeleteConnector retired it (one made by
 * hand is listed, never touched); each action recorded before it is made, each report once per change.
 */
class ConnectorSyncTest extends ConnectorPasses {

    @Test
    void aConnectorIsCreatedChangedPausedAndResumedEachActionRecordedFirstAndEachReportOnce() throws Exception {
        Path out = dir.resolve("orders.txt");
        String name = cluster + "-orders";
        state = fold(on().commandId("create").setConnector(name, SINK, 1, Map.of("topics", "orders", "file", out.toString())));

        assertThat(sync(state, "create")).as("aligned").isTrue();
        assertThat(actions()).singleElement().satisfies(a -> {
            assertThat(a.getAction()).isEqualTo(ResourceAction.CREATE);
            assertThat(a.getKind()).isEqualTo("KafkaConnector");
            assertThat(a.getName()).isEqualTo(name);
            assertThat(a.getCauseCommandId()).isEqualTo("create");
            assertThat(a.getReason()).contains("SetConnector", name, "not on the Connect cluster");
        });
        LiveConnector live = rest.connectors().get(name);
        assertThat(live.config()).containsEntry("file", out.toString()).containsEntry("connector.class", SINK).containsEntry("tasks.max", "1");
        // the pass waits a while for Connect to report its task; on a slow machine a later pass (the resync) reports it
        syncUntil("create", "orders reported RUNNING with its task", r -> r.getConnectors().containsKey(name)
                && r.getConnectors().get(name).getState().equals("RUNNING") && r.getConnectors().get(name).getTasks() == 1);

        assertThat(sink.of(ConnectorsObserved.class)).as("each report once, though the actions before it moved the state on")
                .map(r -> r.getConnectors().get(name)).doesNotHaveDuplicates();
        int recorded = sink.all().size();
        assertThat(sync(state, "create")).isTrue();
        assertThat(sink.all()).as("nothing to do and nothing new to report: nothing recorded").hasSize(recorded);

        Path moved = dir.resolve("orders-2.txt");
        state = fold(on().commandId("pause").setConnector(name, SINK, 1, Map.of("topics", "orders", "file", moved.toString()),
                ConnectorState.PAUSED));
        assertThat(sync(state, "pause")).isTrue();
        assertThat(actions()).extracting(ResourceActionObserved::getAction, ResourceActionObserved::getDetail).contains(
                org.assertj.core.groups.Tuple.tuple(ResourceAction.UPDATE, "set file"),
                org.assertj.core.groups.Tuple.tuple(ResourceAction.UPDATE, "RUNNING → PAUSED"));
        assertThat(rest.connectors().get(name).config()).containsEntry("file", moved.toString());
        syncUntil("pause", "orders reported PAUSED", r -> r.getConnectors().get(name).getState().equals("PAUSED"));
        assertThat(actions()).as("asked once").filteredOn(a -> "RUNNING → PAUSED".equals(a.getDetail())).hasSize(1);

        state = fold(on().commandId("resume").setConnector(name, SINK, 1, Map.of("topics", "orders", "file", moved.toString())));
        assertThat(sync(state, "resume")).isTrue();
        assertThat(actions()).last().satisfies(a -> assertThat(a.getDetail()).isEqualTo("PAUSED → RUNNING"));
        DriveWorld.await(T, () -> "orders RUNNING again", () -> rest.connectors().get(name).state().equals("RUNNING"));
    }

    @Test
    void aConnectorDeletedAndSetAgainBeforeAPassIsReportedAgain() {
        String name = cluster + "-again";
        Map<String, String> config = Map.of("topics", "orders", "file", dir.resolve("a.txt").toString());
        state = fold(on().setConnector(name, SINK, 1, config));
        syncUntil("set", "reported RUNNING", r -> r.getConnectors().containsKey(name) && r.getConnectors().get(name).getTasks() == 1);
        state = fold(on().deleteConnector(name)); // the fold drops what was observed of it ...
        state = fold(on().setConnector(name, SINK, 1, config)); // ... and nothing changes on Connect
        assertThat(state.getStatus().getConnectors()).doesNotContainKey(name);
        DriveWorld.await(T, () -> name + " in the folded status again", () -> {
            sync(state, "again");
            return state.getStatus().getConnectors().containsKey(name);
        });
        assertThat(sink.actions(ResourceAction.DELETE)).as("never on Connect").isEmpty();
    }

    @Test
    void aFailedTaskIsReportedAndRestartedOnceWhenAsked() throws Exception {
        Path missing = dir.resolve("not-yet").resolve("out.txt"); // the sink task cannot open a file in a directory that is not there
        String name = cluster + "-failing";
        state = fold(on().setConnector(name, SINK, 1, Map.of("topics", "orders", "file", missing.toString())));
        sync(state, "set");
        DriveWorld.await(T, () -> "task of " + name + " FAILED", () -> rest.connectors().get(name).failedTasks() == 1);
        syncUntil("resync", "the failed task reported", r -> r.getConnectors().containsKey(name) && r.getConnectors().get(name).getFailedTasks() == 1);
        ConnectorObservation failed = lastReport().getConnectors().get(name);
        assertThat(failed.getFailedTasks()).isEqualTo(1);
        assertThat(failed.getError()).startsWith("task 0: ");

        Files.createDirectories(missing.getParent());
        state = fold(on().commandId("restart-1").restartConnector(name, true, "directory created"));
        ClusterState asked = state;
        sync(state, "restart-1");
        sync.sync(asked, new ClusterNames(cluster, "kafka-" + cluster), "restart-1"); // before the log folds what it recorded
        assertThat(sink.actions(ResourceAction.RESTART)).singleElement().satisfies(a -> {
            assertThat(a.getName()).isEqualTo(name);
            assertThat(a.getReason()).isEqualTo("RestartConnector restart-1: directory created");
            assertThat(a.getCauseCommandId()).isEqualTo("restart-1");
        });
        DriveWorld.await(T, () -> "task of " + name + " running again", () -> rest.connectors().get(name).failedTasks() == 0);
        syncUntil("restart-1", "the restart reported with no failed task", r -> "restart-1".equals(r.getConnectors().get(name).getRestarted())
                && r.getConnectors().get(name).getFailedTasks() == 0);
        assertThat(sink.actions(ResourceAction.RESTART)).as("once").hasSize(1);
    }

    @Test
    void aStoppedSinkWhoseOffsetsAreResetReadsItsTopicAgainWhenStarted() throws Exception {
        String topic = cluster + "-events";
        String name = cluster + "-replay";
        Path out = dir.resolve("replay.txt");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()),
                     new StringSerializer(), new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            for (String v : List.of("a", "b", "c")) {
                producer.send(new ProducerRecord<>(topic, v)).get();
            }
            Map<String, String> config = Map.of("topics", topic, "file", out.toString());
            state = fold(on().setConnector(name, SINK, 1, config));
            syncUntil("set", "the sink RUNNING with its task", r -> r.getConnectors().containsKey(name) && r.getConnectors().get(name).getTasks() == 1);
            DriveWorld.await(T, () -> "3 lines in " + out, () -> ConnectorLooks.lines(out) == 3);

            state = fold(on().setConnector(name, SINK, 1, config, ConnectorState.STOPPED));
            syncUntil("stop", "the sink STOPPED", r -> r.getConnectors().get(name).getState().equals("STOPPED"));
            DriveWorld.await(T, () -> "the sink's group at offset 3", () -> Long.valueOf(3L).equals(ConnectorLooks.committed(admin, "connect-" + name)));
            // a call Connect answers "not yet" (a rebalance, a group not empty yet) is tried again after a back-off: the test waits
            // for Connect, not for the back-off
            sync = new ConnectorSync(new OperationRecorder(sink), (s, n) -> url.get(), Duration.ofSeconds(10),
                    ConnectorLooks.minuteFurtherAtEachLook());

            state = fold(on().commandId("reset-1").resetConnectorOffsets(name, "file target rebuilt"));
            syncUntil("reset-1", "the reset reported", r -> "reset-1".equals(r.getConnectors().get(name).getOffsetsReset()));
            assertThat(actions()).filteredOn(a -> a.getKind().equals("KafkaConnectorOffsets")).singleElement().satisfies(a -> {
                assertThat(a.getAction()).isEqualTo(ResourceAction.DELETE);
                assertThat(a.getName()).isEqualTo(name);
                assertThat(a.getReason()).isEqualTo("ResetConnectorOffsets reset-1: file target rebuilt");
            });
            assertThat(ConnectorLooks.committed(admin, "connect-" + name)).as("the group's offsets erased").isNull();
            assertThat(state.getStatus().getConnectors().get(name).getState()).isEqualTo("STOPPED");

            state = fold(on().setConnector(name, SINK, 1, config));
            syncUntil("start", "the sink RUNNING again", r -> r.getConnectors().get(name).getState().equals("RUNNING"));
            DriveWorld.await(T, () -> "the topic read again from its start into " + out + ": 6 lines", () -> ConnectorLooks.lines(out) == 6);
            assertThat(actions()).as("reset once").filteredOn(a -> a.getKind().equals("KafkaConnectorOffsets")).hasSize(1);
        }
    }

    @Test
    void aSourceAskedStoppedIsCreatedStoppedAndNeverRunsUntilStarted() throws Exception {
        String topic = cluster + "-lines";
        String name = cluster + "-source";
        Path in = Files.write(dir.resolve("in.txt"), List.of("a", "b"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            Map<String, String> config = Map.of("topic", topic, "file", in.toString());
            state = fold(on().commandId("stopped").setConnector(name, SOURCE, 1, config, ConnectorState.STOPPED));

            assertThat(sync(state, "stopped")).as("aligned").isTrue();
            assertThat(actions()).as("one call: created in its state").singleElement().satisfies(a -> {
                assertThat(a.getAction()).isEqualTo(ResourceAction.CREATE);
                assertThat(a.getDetail()).endsWith("created STOPPED (POST /connectors with initial_state)");
            });
            syncUntil("stopped", "the source reported STOPPED", r -> r.getConnectors().containsKey(name)
                    && r.getConnectors().get(name).getState().equals("STOPPED"));
            assertThat(ConnectorLooks.statuses(worker.statusTopic(), name, T)).as("every state Connect ever wrote of the source and its tasks")
                    .contains("STOPPED").doesNotContain("RUNNING");
            assertThat(ConnectorLooks.endOffset(admin, topic)).as("nothing produced").isZero();

            state = fold(on().commandId("start").setConnector(name, SOURCE, 1, config));
            syncUntil("start", "the source RUNNING with its task", r -> r.getConnectors().get(name).getState().equals("RUNNING")
                    && r.getConnectors().get(name).getTasks() == 1);
            DriveWorld.await(T, () -> "the file's 2 lines in " + topic, () -> ConnectorLooks.endOffset(admin, topic) == 2L);
            assertThat(ConnectorLooks.statuses(worker.statusTopic(), name, T)).as("what a run writes, which the check above would have seen")
                    .contains("RUNNING");
        }
    }

    @Test
    void onConnectBeforeConfluentPlatform77AConnectorAskedStoppedIsCreatedThenStoppedAndTheActionsSaySo() {
        state = fold(on().setComponent("connect", 1, "7.6.1", null, Map.of()));
        String name = cluster + "-older";
        state = fold(on().commandId("older").setConnector(name, SINK, 1, Map.of("topics", "orders", "file", dir.resolve("o.txt").toString()),
                ConnectorState.STOPPED));
        assertThat(sync(state, "older")).isTrue();
        assertThat(actions()).extracting(ResourceActionObserved::getAction, ResourceActionObserved::getDetail).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ResourceAction.CREATE, SINK + ", 1 task(s), created RUNNING (PUT /connectors/" + name
                        + "/config: Connect before Confluent Platform 7.7 takes no initial state), then STOPPED: it runs until then"),
                org.assertj.core.groups.Tuple.tuple(ResourceAction.UPDATE, "RUNNING → STOPPED"));
        syncUntil("older", "reported STOPPED", r -> r.getConnectors().containsKey(name) && r.getConnectors().get(name).getState().equals("STOPPED"));
    }

    @Test
    void aMirrorThatCannotRunHasItsConnectorStoppedNotDeletedStillManagedAndReported() throws Exception {
        String mirror = cluster + "-m";
        String name = mirror + "-source";
        // as the mirror made it while it could run (a file sink stands for MirrorMaker's connector on this worker)
        rest.putConfig(name, Map.of("name", name, "connector.class", SINK, "topics", "orders", "file", dir.resolve("m.txt").toString()));
        state = fold(on().commandId("m-1").setMirror(mirror, "east", List.of(".*")));
        String why = "source cluster 'east' is being deleted: send DeleteMirror " + mirror + " (its connectors are stopped meanwhile)";
        sync = new ConnectorSync(new OperationRecorder(sink), (s, n) -> url.get(), Duration.ofSeconds(10), Duration.ofSeconds(60),
                java.time.Clock.systemUTC(), (s, n, c) -> new MirrorConnectors(Map.of(), Map.of(name, "m-1"), Map.of(mirror, why), Map.of(),
                java.util.Set.of(), java.util.Set.of(name), java.util.Set.of()));
        syncUntil("pass", "the mirror's connector reported STOPPED", r -> r.getConnectors().containsKey(name)
                && r.getConnectors().get(name).getState().equals("STOPPED"));
        assertThat(rest.connectors()).as("stopped, not deleted: DeleteMirror retires it").containsKey(name);
        assertThat(lastReport().getUnmanaged()).doesNotContain(name);
        assertThat(lastReport().getMirrorsNotRunnable()).containsEntry(mirror, why);
        assertThat(actions()).filteredOn(a -> a.getName().equals(name)).singleElement().satisfies(a -> {
            assertThat(a.getAction()).isEqualTo(ResourceAction.UPDATE);
            assertThat(a.getCauseCommandId()).isEqualTo("m-1");
            assertThat(a.getReason()).startsWith("SetMirror:").contains("cannot run");
        });
        assertThat(state.getStatus().getConnectors().get(name).getState()).as("its status kept current").isEqualTo("STOPPED");
        rest.delete(name);
    }

    @Test
    void aCheckpointConnectorWithNoGroupToCheckpointIsAsAskedRunningWithNoTask() {
        String name = cluster + "-m-checkpoint";
        // MirrorMaker's checkpoint connector, from this broker to itself, for groups none of which exists
        Map<String, String> config = Map.of("source.cluster.alias", "east", "target.cluster.alias", cluster,
                "source.cluster.bootstrap.servers", SharedKafka.bootstrapServers(), "target.cluster.bootstrap.servers", SharedKafka.bootstrapServers(),
                "groups", "nobody-" + cluster, "checkpoints.topic.replication.factor", "1");
        state = fold(on().setConnector(name, MirrorConnectors.CHECKPOINT_CLASS, 1, config));
        sync(state, "set");
        DriveWorld.await(T, () -> name + " RUNNING", () -> "RUNNING".equals(rest.connectors().get(name).state()));
        LiveConnector live = rest.connectors().get(name);
        assertThat(live.tasks()).as("MirrorMaker gives no task while no group has offsets to checkpoint").isZero();
        assertThat(ConnectorPlan.settled(name, state.getConnectors().get(name), live))
                .as("as asked: a pass that made it does not wait the settle time for a task that does not come").isTrue();
        rest.delete(name);
    }

    @Test
    void onlyARetiredConnectorIsDeletedAndOneMadeByHandIsListed() throws Exception {
        String mine = cluster + "-mine";
        String byHand = cluster + "-by-hand";
        rest.putConfig(byHand, Map.of("name", byHand, "connector.class", SINK, "topics", "orders", "file", dir.resolve("h.txt").toString()));
        state = fold(on().setConnector(mine, SINK, 1, Map.of("topics", "orders", "file", dir.resolve("m.txt").toString())));
        syncUntil("set", "the connector made by hand listed", r -> r.getUnmanaged().contains(byHand));
        assertThat(lastReport().getUnmanaged()).doesNotContain(mine);

        state = fold(on().commandId("delete").deleteConnector(mine));
        assertThat(sync(state, "delete")).isTrue();
        assertThat(sink.actions(ResourceAction.DELETE)).singleElement().satisfies(a -> {
            assertThat(a.getName()).isEqualTo(mine);
            assertThat(a.getCauseCommandId()).isEqualTo("delete");
        });
        assertThat(rest.connectors()).doesNotContainKey(mine).containsKey(byHand);
        rest.delete(byHand);
    }

    @Test
    void aConfigurationConnectRefusesIsReportedWithItsReasonAndNotSentAgainUntilChanged() {
        String name = cluster + "-typo";
        state = fold(on().setConnector(name, "org.example.NoSuchConnector", 1, Map.of("topics", "orders")));
        assertThat(sync(state, "typo")).as("not aligned").isFalse();
        assertThat(sync(state, "typo")).isFalse();
        assertThat(sink.actions(ResourceAction.CREATE)).as("tried once").hasSize(1);
        ConnectorObservation refused = lastReport().getConnectors().get(name);
        assertThat(refused.getState()).isEqualTo("REFUSED");
        assertThat(refused.getError()).startsWith("configuration refused: ").contains("400", "org.example.NoSuchConnector");
        assertThat(state.getStatus().getConnectors().get(name).getState()).isEqualTo("REFUSED");

        state = fold(on().setConnector(name, SINK, 1, Map.of("topics", "orders", "file", dir.resolve("t.txt").toString())));
        assertThat(sync(state, "fixed")).isTrue();
        assertThat(sink.actions(ResourceAction.CREATE)).hasSize(2);
        assertThat(lastReport().getConnectors().get(name).getError()).isNull();
        assertThat(rest.connectors()).containsKey(name);
    }

    @Test
    void aConnectThatDoesNotAnswerIsRecordedOnceAndLeavesTheConnectorsAsTheyWere() throws Exception {
        state = fold(on().setConnector(cluster + "-x", SINK, 1, Map.of("topics", "orders", "file", dir.resolve("x.txt").toString())));
        try (java.net.Socket refusing = refusingPort()) {
            url.set("http://127.0.0.1:" + refusing.getLocalPort());
            assertThat(sync(state, "set")).as("not aligned").isFalse();
            assertThat(sync(state, "set")).isFalse();
        }
        assertThat(sink.of(ConnectorsObserved.class)).as("recorded once").singleElement()
                .satisfies(o -> assertThat(o.getUnreachable()).contains("did not answer GET /connectors"));
        assertThat(actions()).isEmpty();
    }
}
