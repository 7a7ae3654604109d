package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ConnectorObservation;
import io.coxswain.avro.command.ConnectorState;
import io.coxswain.avro.command.ConnectorsObserved;
import io.coxswain.avro.command.MirrorReplicationPolicy;
import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.MirrorSpec;
import java.util.List;
import java.util.Map;
import io.coxswain.orchestrator.operations.connect.MirrorConnectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DECIDE and FOLD of the mirror commands through the real topology: a mirror needs the target's connect component and a
 * source other than the target, never shares a name with a connector, is folded with the defaults, keeps the observed
 * status of its connectors, and retires them when deleted or when its groups go, so the executor removes them. A restart
 * is kept as a connector's is, and marked carried out once a report names it on every connector the mirror runs as.
 */
class MirrorRulesTopologyTest {

    private static final String SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector";

    private final TopologyHarness h = new TopologyHarness();

    @BeforeEach
    void createCluster() {
        acceptedVersion(h.send(h.on("dr").createCluster("4.1.0", 1, 1, "10Gi")));
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aMirrorNeedsConnectAndAnotherSourceAndAnUnknownOneCannotBeDeleted() {
        CommandRejected noConnect = rejected(h.send(h.on("dr").setMirror("from-payments", "payments", List.of("orders.*"))));
        assertThat(noConnect.getCode()).isEqualTo(RejectionCode.NOT_SUPPORTED_ON_CLUSTER);
        assertThat(noConnect.getReason()).contains("'dr'", "no connect component", "SetComponent connect");

        acceptedVersion(h.send(h.on("dr").setComponent("connect", 1, null, null, Map.of())));
        CommandRejected self = rejected(h.send(h.on("dr").setMirror("loop", "dr", List.of(".*"))));
        assertThat(self.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(self.getReason()).contains("payload.sourceCluster", "'dr'");

        CommandRejected unknown = rejected(h.send(h.on("dr").deleteMirror("nothing")));
        assertThat(unknown.getCode()).isEqualTo(RejectionCode.MIRROR_NOT_FOUND);
        assertThat(unknown.getReason()).contains("no mirror 'nothing'");

        Command raw = h.on("dr").resume();
        // straight to the topic, past any client's check
        raw.setPayload(SetMirror.newBuilder().setName("bad").setSourceCluster("payments").setTopics(List.of("orders", "(unclosed")).build());
        CommandRejected badRegex = rejected(h.send(raw));
        assertThat(badRegex.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(badRegex.getReason()).contains("payload.topics[1]", "(unclosed");
        assertThat(h.state("dr").getSpec().getMirrors()).isEmpty();
    }

    @Test
    void aMirrorIsFoldedWithItsDefaultsAndTheSameOneAgainIsNoChange() {
        acceptedVersion(h.send(h.on("dr").setComponent("connect", 1, null, null, Map.of())));
        acceptedVersion(h.send(h.on("dr").commandId("mirror-1").setMirror(SetMirror.newBuilder().setName("from-payments")
                .setSourceCluster("payments").build())));
        MirrorSpec m = h.state("dr").getSpec().getMirrors().get("from-payments");
        assertThat(m.getSourceCluster()).isEqualTo("payments");
        assertThat(m.getTopics()).containsExactly(".*");
        assertThat(m.getExcludeTopics()).isEmpty();
        assertThat(m.getGroups()).isEmpty();
        assertThat(m.getSyncGroupOffsets()).isFalse();
        assertThat(m.getReplicationPolicy()).isEqualTo("PREFIXED");
        assertThat(m.getSourceUser()).isNull();
        assertThat(m.getState()).isEqualTo("RUNNING");
        assertThat(m.getCommandId()).isEqualTo("mirror-1");

        CommandRejected same = rejected(h.send(h.on("dr").setMirror(SetMirror.newBuilder().setName("from-payments")
                .setSourceCluster("payments").build())));
        assertThat(same.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(same.getReason()).contains("from-payments", "'payments'");
    }

    @Test
    void mirrorsAndConnectorsNeverTakeEachOthersNamesAndConnectCannotGoWhileAMirrorRuns() {
        acceptedVersion(h.send(h.on("dr").setComponent("connect", 1, null, null, Map.of())));
        acceptedVersion(h.send(h.on("dr").setConnector("m1-source", SOURCE, 1, Map.of())));
        CommandRejected taken = rejected(h.send(h.on("dr").setMirror("m1", "payments", List.of(".*"))));
        assertThat(taken.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(taken.getReason()).contains("'m1-source'", "SetConnector");

        acceptedVersion(h.send(h.on("dr").setMirror("m2", "payments", List.of(".*"))));
        CommandRejected mirrors = rejected(h.send(h.on("dr").setConnector("m2-checkpoint", SOURCE, 1, Map.of())));
        assertThat(mirrors.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(mirrors.getReason()).contains("mirror 'm2'", "SetMirror");
        assertThat(rejected(h.send(h.on("dr").setConnector("m2-heartbeat", SOURCE, 1, Map.of()))).getReason())
                .as("its heartbeat connector's name too, groups or not").contains("mirror 'm2'", "SetMirror");
        CommandRejected restart = rejected(h.send(h.on("dr").restartConnector("m2-source", true, null)));
        assertThat(restart.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(restart.getReason()).contains("mirror 'm2'", "SetMirror", "RestartMirror m2", "DeleteMirror");

        // the mirrors' credentials are theirs: a connector of its own would read the sources as the mirrors' users
        for (String path : List.of("/mnt/secrets/dr-mirrors", "/mnt/secrets/./x/../dr-mirrors/", "mnt//secrets/dr-mirrors")) {
            CommandRejected theirs = rejected(h.send(h.on("dr").setConnector("reader", MirrorConnectors.SOURCE_CLASS, 1,
                    Map.of("topics", ".*", "source.cluster.ssl.keystore.key", "${directory:" + path + ":m2.source-user.key}"))));
            assertThat(theirs.getCode()).as(path).isEqualTo(RejectionCode.INVALID_COMMAND);
            assertThat(theirs.getReason()).contains("property 'source.cluster.ssl.keystore.key' refers to the mirrors' credentials",
                    "Secret dr-mirrors", "a Secret of the connector's own");
        }
        CommandRejected byFile = rejected(h.send(h.on("dr").setConnector("reader", SOURCE, 1,
                Map.of("producer.override.ssl.keystore.location", "/mnt/secrets/dr-mirrors/m2.source-user.pem"))));
        assertThat(byFile.getReason()).as("named by path, as the heartbeat connector's producer names it")
                .contains("property 'producer.override.ssl.keystore.location' refers to the mirrors' credentials");
        acceptedVersion(h.send(h.on("dr").setConnector("own", SOURCE, 1, Map.of("file", "${directory:/mnt/secrets/dr-mirrors-not:f}"))));
        acceptedVersion(h.send(h.on("dr").deleteConnector("own")));

        acceptedVersion(h.send(h.on("dr").deleteConnector("m1-source")));
        CommandRejected inUse = rejected(h.send(h.on("dr").removeComponent("connect")));
        assertThat(inUse.getCode()).isEqualTo(RejectionCode.COMPONENT_IN_USE);
        assertThat(inUse.getReason()).contains("mirrors m2", "DeleteMirror");
    }

    @Test
    void itsConnectorsStatusIsKeptAndItsConnectorsAreRetiredWhenItOrItsGroupsGo() {
        acceptedVersion(h.send(h.on("dr").setComponent("connect", 1, null, null, Map.of())));
        SetMirror withGroups = SetMirror.newBuilder().setName("m").setSourceCluster("payments").setGroups(List.of("billing.*"))
                .setSyncGroupOffsets(true).setReplicationPolicy(MirrorReplicationPolicy.IDENTITY).setState(ConnectorState.PAUSED).build();
        acceptedVersion(h.send(h.on("dr").setMirror(withGroups)));
        ConnectorObservation paused = new ConnectorObservation("PAUSED", 1, 0, null, null, null, null);
        acceptedVersion(h.send(h.on("dr").observation("executor-1", new ConnectorsObserved(Map.of("m-source", paused,
                "m-checkpoint", paused, "m-heartbeat", paused), List.of(), null, Map.of("m", "not runnable for a test", "gone", "dropped")))));
        ClusterState state = h.state("dr");
        assertThat(state.getStatus().getConnectors()).containsOnlyKeys("m-source", "m-checkpoint", "m-heartbeat");
        assertThat(state.getStatus().getMirrorsNotRunnable()).as("only for mirrors the state has").containsOnlyKeys("m");

        acceptedVersion(h.send(h.on("dr").setMirror(SetMirror.newBuilder(withGroups).setGroups(List.of()).setSyncGroupOffsets(false).build())));
        state = h.state("dr");
        assertThat(state.getRetiredConnectors()).containsExactly("m-checkpoint");
        assertThat(state.getStatus().getConnectors()).containsOnlyKeys("m-source", "m-heartbeat");

        acceptedVersion(h.send(h.on("dr").deleteMirror("m")));
        state = h.state("dr");
        assertThat(state.getSpec().getMirrors()).isEmpty();
        assertThat(state.getRetiredConnectors()).containsExactly("m-checkpoint", "m-heartbeat", "m-source");
        assertThat(state.getStatus().getConnectors()).isEmpty();
        assertThat(state.getStatus().getMirrorsNotRunnable()).isEmpty();

        Command again = h.on("dr").setMirror("m", "payments", List.of(".*"));
        acceptedVersion(h.send(again));
        assertThat(h.state("dr").getRetiredConnectors()).as("set again: its source and heartbeat connectors are run again")
                .containsExactly("m-checkpoint");
    }
    @Test
    void aRestartOfAnUnknownOrStoppedMirrorIsRefusedAndOneAcceptedIsKeptUntilEveryConnectorReportsIt() {
        acceptedVersion(h.send(h.on("dr").setComponent("connect", 1, null, null, Map.of())));
        CommandRejected unknown = rejected(h.send(h.on("dr").restartMirror("nothing", true, null)));
        assertThat(unknown.getCode()).isEqualTo(RejectionCode.MIRROR_NOT_FOUND);
        assertThat(unknown.getReason()).contains("'dr'", "no mirror 'nothing'");

        SetMirror withGroups = SetMirror.newBuilder().setName("m").setSourceCluster("payments").setGroups(List.of("billing.*"))
                .setState(ConnectorState.STOPPED).build();
        acceptedVersion(h.send(h.on("dr").commandId("set-1").setMirror(withGroups)));
        CommandRejected stopped = rejected(h.send(h.on("dr").restartMirror("m", true, null)));
        assertThat(stopped.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(stopped.getReason()).contains("mirror 'm'", "STOPPED", "SetMirror and state RUNNING");
        assertThat(h.state("dr").getSpec().getMirrors().get("m").getRestart()).as("nothing half-applied").isNull();
        CommandRejected other = rejected(h.send(h.on("dr").restartMirror("nothing", true, null)));
        assertThat(other.getReason()).as("names the mirrors it has").contains("it has m");

        acceptedVersion(h.send(h.on("dr").setMirror(SetMirror.newBuilder(withGroups).setState(ConnectorState.RUNNING).build())));
        acceptedVersion(h.send(h.on("dr").commandId("restart-1").restartMirror("m", false, "source was down overnight")));
        MirrorSpec m = h.state("dr").getSpec().getMirrors().get("m");
        assertThat(m.getRestart().getCommandId()).isEqualTo("restart-1");
        assertThat(m.getRestart().getOnlyFailed()).isFalse();
        assertThat(m.getRestart().getReason()).isEqualTo("source was down overnight");
        assertThat(m.getRestart().getCarriedOutAt()).as("not yet carried out").isNull();

        // the source connector restarted, the checkpoint's not yet: not carried out
        ConnectorObservation restarted = new ConnectorObservation("RUNNING", 1, 0, null, "restart-1", null, null);
        ConnectorObservation notYet = new ConnectorObservation("RUNNING", 1, 1, null, null, null, null);
        acceptedVersion(h.send(h.on("dr").observation("executor-1", new ConnectorsObserved(Map.of("m-source", restarted,
                "m-checkpoint", notYet), List.of(), null, Map.of()))));
        ClusterState state = h.state("dr");
        assertThat(state.getStatus().getConnectors().get("m-source").getRestarted()).as("a mirror's connector names its restart").isEqualTo("restart-1");
        assertThat(state.getSpec().getMirrors().get("m").getRestart().getCarriedOutAt()).isNull();

        acceptedVersion(h.send(h.on("dr").observation("executor-1", new ConnectorsObserved(Map.of("m-source", restarted,
                "m-checkpoint", restarted, "m-heartbeat", notYet), List.of(), null, Map.of()))));
        assertThat(h.state("dr").getSpec().getMirrors().get("m").getRestart().getCarriedOutAt()).as("its heartbeat connector not yet").isNull();
        acceptedVersion(h.send(h.on("dr").observation("executor-1", new ConnectorsObserved(Map.of("m-source", restarted,
                "m-checkpoint", restarted, "m-heartbeat", restarted), List.of(), null, Map.of()))));
        assertThat(h.state("dr").getSpec().getMirrors().get("m").getRestart().getCarriedOutAt()).as("all three restarted: done for good").isNotNull();

        // a new setting keeps the restart (done: never made again); the same setting again is still no change
        acceptedVersion(h.send(h.on("dr").setMirror(SetMirror.newBuilder(withGroups).setState(ConnectorState.PAUSED).build())));
        assertThat(h.state("dr").getSpec().getMirrors().get("m").getRestart().getCommandId()).isEqualTo("restart-1");
        assertThat(rejected(h.send(h.on("dr").setMirror(SetMirror.newBuilder(withGroups).setState(ConnectorState.PAUSED).build()))).getCode())
                .isEqualTo(RejectionCode.NO_CHANGE);
    }
}
