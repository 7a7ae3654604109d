package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.KubernetesExecutor;
import io.coxswain.orchestrator.executor.StatePartitions;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.MirrorSecret;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two executors sharing the clusters, as the deploy manifests run them: a mirror whose target is on one executor's partition
 * of the state topic and whose source is on the other's. The target's executor knows the source from its view of every
 * cluster's state: the mirror, set before its source existed, says the source is not known, then becomes runnable once
 * the source is created on the other executor, with the source's CA copied into the target's mirror Secret; once the source
 * is deleted there, the mirror says it was deleted (and what to do) rather than that it is not known. Both clusters
 * run REAL Kafka nodes (the drivers need them); the connect pods run no worker (Connect never answers), since whether a
 * mirror can run is decided before Connect is asked.
 */
class MirrorAcrossExecutorsEndToEndTest {

    private static final int PARTITIONS = 2;
    private static final Duration T = Duration.ofSeconds(180);

    @Test
    void aMirrorWhoseSourceIsOwnedByTheOtherExecutorRunsOnceTheSourceExists() throws Exception {
        // DeleteCluster stops the source's controller and broker at once: the broker's controlled shutdown finds no controller
        // and waits out its pod's grace period (120 s by default). Nothing here is about a clean stop: 5 s
        try (DriveWorld world = DriveWorld.sharded(PARTITIONS, ModelSettings.defaults().withKafkaTerminationGrace(Duration.ofSeconds(5)))) {
            KubernetesExecutor a = world.startExecutor("exec-a");
            KubernetesExecutor b = world.anotherExecutor("exec-b");
            DriveWorld.await(T, () -> "the group to settle on disjoint partitions (a " + a.ownedPartitions() + ", b " + b.ownedPartitions() + ")",
                    () -> {
                        Set<Integer> all = new HashSet<>(a.ownedPartitions());
                        all.addAll(b.ownedPartitions());
                        return !a.ownedPartitions().isEmpty() && !b.ownedPartitions().isEmpty() && all.size() == PARTITIONS;
                    });
            String source = StatePartitions.clusterOn(a.ownedPartitions(), PARTITIONS, "east");
            String target = StatePartitions.clusterOn(b.ownedPartitions(), PARTITIONS, "west");

            world.accepted(Commands.on(target).issuer("test").commandId("create-target").createCluster("4.3.1", 1, 1, "1Gi"));
            world.awaitState(target, T, "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
            world.accepted(Commands.on(target).issuer("test").commandId("connect").setComponent("connect", 1, null, null, Map.of()));
            world.accepted(Commands.on(target).issuer("test").commandId("mirror")
                    .setMirror(SetMirror.newBuilder().setName("dr").setSourceCluster(source).build()));
            world.awaitState(target, T, "the mirror not runnable: its source does not exist yet", s -> s.getStatus().getMirrorsNotRunnable()
                    .getOrDefault("dr", "").contains("source cluster '" + source + "' is not known to this executor"));

            world.accepted(Commands.on(source).issuer("test").commandId("create-source").createCluster("4.3.1", 1, 1, "1Gi"));
            world.awaitState(source, T, "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
            ClusterState runnable = world.awaitState(target, T, "the mirror runnable (status.mirrorsNotRunnable empty)",
                    s -> s.getStatus().getMirrorsNotRunnable().isEmpty());

            assertThat(a.ownedClusters()).as("the source is the other executor's").contains(source).doesNotContain(target);
            assertThat(b.ownedClusters()).contains(target).doesNotContain(source);
            assertThat(runnable.getStatus().getConnectUnreachable()).as("all that stops its connectors now is Connect, down here")
                    .isNotNull();
            ClusterNames sourceNames = names(source);
            ClusterNames targetNames = names(target);
            Secret sourceCa = world.kube.client().secrets().inNamespace(sourceNames.namespace()).withName(sourceNames.clusterCaCertSecret()).get();
            Secret mirrors = world.kube.client().secrets().inNamespace(targetNames.namespace()).withName(targetNames.mirrorsSecret()).get();
            assertThat(mirrors.getData()).as("the source's CA, copied by the target's executor")
                    .containsEntry(MirrorSecret.key("dr", MirrorSecret.SOURCE_CA), sourceCa.getData().get(TlsSecrets.CA_CERT));

            // deleted on the other executor: the mirror says so (not "not known"), its connectors to be stopped
            world.accepted(Commands.on(source).issuer("test").commandId("delete-source").deleteCluster(false));
            world.awaitState(source, T, "Deleted", s -> "Deleted".equals(s.getStatus().getPhase()));
            ClusterState told = world.awaitState(target, T, "the mirror saying its source was deleted", s -> s.getStatus()
                    .getMirrorsNotRunnable().getOrDefault("dr", "").contains("source cluster '" + source + "' was deleted (version "));
            assertThat(told.getStatus().getMirrorsNotRunnable().get("dr")).contains("DeleteMirror dr, or SetMirror it to another source",
                    "stopped");
        }
    }

    private static ClusterNames names(String clusterId) {
        return ClusterNames.of(clusterId, ModelSettings.defaults().namespaceTemplate());
    }
}
