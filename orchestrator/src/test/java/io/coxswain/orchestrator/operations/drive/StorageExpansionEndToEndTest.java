package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.avro.state.StepStatus;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ExpandStorage end to end on REAL Kafka nodes in the sandbox: two clusters of one controller and one
 * broker, one on the sandbox's default storage class (which allows expansion), one on a class that
 * does not. Volumes grow with no pod restarted; the StatefulSets are replaced, never updated in their
 * claim templates, so a broker added later gets a volume of the new size.
 */
class StorageExpansionEndToEndTest {

    private static DriveWorld world;

    @BeforeAll
    static void createClusters() throws Exception {
        world = new DriveWorld();
        world.kube.client().storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("fixed")
                .endMetadata().withProvisioner("example.com/no-resize").withAllowVolumeExpansion(false).build()).create();
        world.startExecutor("exec-s");
        for (String cluster : List.of("grow", "pinned")) {
            StorageRequest storage = StorageRequest.newBuilder().setSize("1Gi").setStorageClass(cluster.equals("pinned") ? "fixed" : null).build();
            assertThat(world.send(Commands.on(cluster).issuer("test").commandId("create-" + cluster).createCluster(CreateCluster.newBuilder()
                    .setKafkaVersion("4.3.1").setControllers(1).setBrokers(1).setStorage(storage).build()))).isInstanceOf(Outcome.Accepted.class);
        }
        for (String cluster : List.of("grow", "pinned")) {
            world.awaitState(cluster, Duration.ofSeconds(180), "Ready", s -> "Ready".equals(s.getStatus().getPhase()));
        }
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void everyVolumeGrowsWithNoPodRestartedAndANewBrokerGetsTheNewSize() {
        Map<String, String> podsBefore = podUids("grow");
        assertThat(podsBefore).containsOnlyKeys("grow-controller-0", "grow-broker-0");
        assertThat(world.send(Commands.on("grow").issuer("test").commandId("expand-grow").expandStorage("2Gi"))).isInstanceOf(Outcome.Accepted.class);

        ClusterState done = world.awaitState("grow", Duration.ofSeconds(120), "ExpandStorage SUCCEEDED and Ready", s -> s.getStatus().getOperation() != null
                && "ExpandStorage".equals(s.getStatus().getOperation().getOperation()) && "SUCCEEDED".equals(s.getStatus().getOperation().getState())
                && "Ready".equals(s.getStatus().getPhase()));
        OperationStatus op = done.getStatus().getOperation();
        assertThat(op.getCauseCommandId()).isEqualTo("expand-grow");
        assertThat(op.getReason()).contains("every data volume is 2Gi", "2 volumes");
        assertThat(op.getSteps()).filteredOn(s -> "FINISHED".equals(s.getState())).extracting(StepStatus::getStep)
                .containsExactlyInAnyOrder("grow data-grow-controller-0", "grow data-grow-broker-0");
        for (String claim : List.of("data-grow-controller-0", "data-grow-broker-0")) {
            PersistentVolumeClaim pvc = world.kube.client().persistentVolumeClaims().inNamespace("grow").withName(claim).get();
            assertThat(pvc.getSpec().getResources().getRequests().get("storage")).as(claim).isEqualTo(new Quantity("2Gi"));
            assertThat(pvc.getStatus().getCapacity().get("storage")).as(claim + " grown by the resizer").isEqualTo(new Quantity("2Gi"));
        }
        for (KafkaRole role : List.of(KafkaRole.CONTROLLER, KafkaRole.BROKER)) {
            StatefulSet sts = world.kube.client().apps().statefulSets().inNamespace("grow").withName(names("grow").statefulSet(role)).get();
            assertThat(sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage"))
                    .as(role + " claim template").isEqualTo(new Quantity("2Gi"));
        }
        assertThat(podUids("grow")).as("no pod was deleted or rolled").isEqualTo(podsBefore);

        List<ResourceActionObserved> actions = world.actions("grow").stream().filter(a -> "expand-grow".equals(a.getCauseCommandId())).toList();
        assertThat(actions).filteredOn(a -> a.getKind().equals("PersistentVolumeClaim")).extracting(ResourceActionObserved::getName)
                .containsExactlyInAnyOrder("data-grow-controller-0", "data-grow-broker-0");
        assertThat(actions).filteredOn(a -> a.getKind().equals("PersistentVolumeClaim")).allSatisfy(a -> {
            assertThat(a.getAction()).isEqualTo(ResourceAction.UPDATE);
            assertThat(a.getReason()).contains("grows from 1Gi to 2Gi", "ExpandStorage, command expand-grow");
        });
        assertThat(actions).filteredOn(a -> a.getKind().equals("StatefulSet")).extracting(ResourceActionObserved::getAction, ResourceActionObserved::getName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ResourceAction.DELETE, "grow-controller"),
                        org.assertj.core.groups.Tuple.tuple(ResourceAction.CREATE, "grow-controller"),
                        org.assertj.core.groups.Tuple.tuple(ResourceAction.DELETE, "grow-broker"),
                        org.assertj.core.groups.Tuple.tuple(ResourceAction.CREATE, "grow-broker"));
        assertThat(actions).filteredOn(a -> a.getKind().equals("StatefulSet")).allSatisfy(a ->
                assertThat(a.getReason()).contains("claim template data grows from 1Gi to 2Gi"));
        assertThat(actions).extracting(ResourceActionObserved::getAction).doesNotContain(ResourceAction.RESTART);

        assertThat(world.send(Commands.on("grow").issuer("test").commandId("scale-grow").scaleBrokers(2))).isInstanceOf(Outcome.Accepted.class);
        world.awaitState("grow", Duration.ofSeconds(120), "2 brokers Ready", s -> s.getStatus().getComponents().containsKey("brokers")
                && s.getStatus().getComponents().get("brokers").getReady() == 2 && "Ready".equals(s.getStatus().getPhase()));
        PersistentVolumeClaim added = world.kube.client().persistentVolumeClaims().inNamespace("grow").withName("data-grow-broker-1").get();
        assertThat(added.getSpec().getResources().getRequests().get("storage")).as("a later broker's volume").isEqualTo(new Quantity("2Gi"));
        assertThat(podUids("grow")).containsAllEntriesOf(podsBefore);
    }

    @Test
    void aStorageClassThatCannotExpandFailsTheOperationNamingItAndNoVolumeIsTouched() {
        Map<String, String> podsBefore = podUids("pinned");
        assertThat(world.send(Commands.on("pinned").issuer("test").commandId("expand-pinned").expandStorage("2Gi"))).isInstanceOf(Outcome.Accepted.class);

        ClusterState failed = world.awaitState("pinned", Duration.ofSeconds(120), "ExpandStorage FAILED", s -> s.getStatus().getOperation() != null
                && "ExpandStorage".equals(s.getStatus().getOperation().getOperation()) && "FAILED".equals(s.getStatus().getOperation().getState()));
        assertThat(failed.getStatus().getOperation().getReason()).contains("storage class 'fixed'", "does not allow volume expansion",
                "no volume was changed", "allowVolumeExpansion: true", "RetryOperation", "create a new cluster");
        for (String claim : List.of("data-pinned-controller-0", "data-pinned-broker-0")) {
            PersistentVolumeClaim pvc = world.kube.client().persistentVolumeClaims().inNamespace("pinned").withName(claim).get();
            assertThat(pvc.getSpec().getResources().getRequests().get("storage")).as(claim).isEqualTo(new Quantity("1Gi"));
        }
        assertThat(world.actions("pinned")).filteredOn(a -> a.getKind().equals("PersistentVolumeClaim")).isEmpty();
        assertThat(podUids("pinned")).isEqualTo(podsBefore);
    }

    private static ClusterNames names(String cluster) {
        return ClusterNames.of(cluster, ModelSettings.defaults().namespaceTemplate());
    }

    private static Map<String, String> podUids(String cluster) {
        return world.kube.client().pods().inNamespace(names(cluster).namespace()).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), (Pod p) -> p.getMetadata().getUid()));
    }
}
