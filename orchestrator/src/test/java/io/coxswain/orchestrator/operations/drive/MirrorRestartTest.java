package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.state.ConnectorSpec;
import io.coxswain.commands.shape.MirrorShape;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.operations.connect.ConnectFront;
import io.coxswain.orchestrator.operations.connect.MirrorConnectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * RestartMirror on a REAL Kafka Connect worker: the executor restarts each connector of the mirror (source, checkpoint, heartbeat)
 * once, through the same connector machinery as RestartConnector, a failed call on one tried again without the other made
 * twice, and an executor that starts afresh (empty ledger) makes none again once the state marks it carried out.
 *
 * <p>The mirror's connectors are what {@link MirrorConnectors#of} makes of the state (names, state, restart), each run on the
 * worker as a file sink writing into a directory that is not there yet, so its task FAILS until the directory is made, and
 * RUNNING after a restart: the one thing changed is the plugin, since MirrorMaker's tasks do not fail, and recover, on demand.
 */
class MirrorRestartTest extends ConnectorPasses {

    @Test
    void eachConnectorOfTheMirrorIsRestartedOnceItsFailedTaskRunsAgainAndAFreshExecutorRestartsNothing() throws Exception {
        Path missing = dir.resolve("not-yet");
        String mirror = cluster + "-m";
        String source = MirrorShape.sourceConnector(mirror);
        String checkpoint = MirrorShape.checkpointConnector(mirror);
        String heartbeat = MirrorShape.heartbeatConnector(mirror);
        try (ConnectFront front = ConnectFront.before(worker);
             ConnectFront refusing = ConnectFront.before(worker).answering("POST", "/connectors/" + checkpoint + "/restart", 409,
                     "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)",
                     false)) {
            url.set(front.url());
            sync = executor(missing);
            state = fold(on().commandId("set-m").setMirror(SetMirror.newBuilder().setName(mirror).setSourceCluster("east")
                    .setGroups(List.of("billing")).build()));
            syncUntil("set-m", "its connectors' tasks FAILED", r -> failed(r, source) && failed(r, checkpoint) && failed(r, heartbeat));

            Files.createDirectories(missing);
            state = fold(on().commandId("restart-1").restartMirror(mirror, true, "directory created"));
            url.set(refusing.url()); // Connect refuses the checkpoint's restart once (a rebalance): tried again, the source's not
            sync(state, "restart-1");
            assertThat(state.getSpec().getMirrors().get(mirror).getRestart().getCarriedOutAt()).as("the checkpoint's not restarted: not yet").isNull();
            url.set(front.url());
            syncUntil("restart-1", "all restarted and running", r -> List.of(source, checkpoint, heartbeat).stream().allMatch(n ->
                    "restart-1".equals(r.getConnectors().get(n).getRestarted()) && r.getConnectors().get(n).getFailedTasks() == 0));
            assertThat(state.getSpec().getMirrors().get(mirror).getRestart().getCarriedOutAt()).as("settled in the state").isNotNull();

            sync = executor(missing); // another executor, or this one restarted: its ledger is empty
            sync(state, "resync");
            sync(state, "resync");
            assertThat(refusing.changes()).filteredOn(c -> c.endsWith("/restart")).as("each asked; the source's and heartbeat's passed on, the checkpoint's refused")
                    .containsExactlyInAnyOrder("POST /connectors/" + source + "/restart", "POST /connectors/" + checkpoint + "/restart",
                            "POST /connectors/" + heartbeat + "/restart");
            assertThat(front.changes()).filteredOn(c -> c.endsWith("/restart")).as("the refused one tried again, the others not made twice")
                    .containsExactly("POST /connectors/" + checkpoint + "/restart");
            assertThat(sink.actions(ResourceAction.RESTART)).extracting(ResourceActionObserved::getName, ResourceActionObserved::getCauseCommandId,
                    ResourceActionObserved::getReason).containsExactlyInAnyOrder(
                    tuple(source, "restart-1", "RestartMirror restart-1: directory created"),
                    tuple(heartbeat, "restart-1", "RestartMirror restart-1: directory created"),
                    tuple(checkpoint, "restart-1", "RestartMirror restart-1: directory created"),
                    tuple(checkpoint, "restart-1", "RestartMirror restart-1: directory created"));
            assertThat(rest.connectors().get(source).failedTasks()).isZero();
            assertThat(rest.connectors().get(checkpoint).failedTasks()).isZero();
        }
    }

    private static boolean failed(ConnectorsObserved r, String connector) {
        return r.getConnectors().containsKey(connector) && r.getConnectors().get(connector).getFailedTasks() == 1;
    }

    /**
     * An executor's connector step whose mirrors are what {@link MirrorConnectors#of} makes of the state, from a source it
     * knows, each connector run as a file sink into {@code missing}; a clock a minute further at each look, so a failed call's
     * back-off is over by the next pass.
     */
    private ConnectorSync executor(Path missing) {
        MirrorConnectors.Source east = new MirrorConnectors.Source(TestStates.created("east", 1, 1), ClusterNames.of("east", "{cluster}"),
                "east-kafka-bootstrap:9093");
        return new ConnectorSync(new OperationRecorder(sink), (s, n) -> url.get(), Duration.ofSeconds(10), ConnectorSync.WRITE_TIMEOUT,
                ConnectorLooks.minuteFurtherAtEachLook(), (target, names, cause) -> {
                    MirrorConnectors real = MirrorConnectors.of(target, names, "bootstrap:9093", id -> Optional.of(east), true);
                    Map<String, ConnectorSpec> onThisWorker = new TreeMap<>();
                    real.connectors().forEach((name, spec) -> onThisWorker.put(name, ConnectorSpec.newBuilder(spec).setConnectorClass(SINK)
                            .setTasksMax(1).setConfig(Map.of("topics", name, "file", missing.resolve(name + ".txt").toString())).build()));
                    return new MirrorConnectors(onThisWorker, real.causes(), real.notRunnable(), real.secretKeys(), real.leftAlone(),
                            real.stopped(), real.keptKeys());
                });
    }
}
