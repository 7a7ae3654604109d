package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClusterResources;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.RoleResources;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.command.UpdateResources;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ResourcesSpec;
import io.coxswain.avro.state.RoleResourcesSpec;
import io.coxswain.commands.CommandBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DECIDE and FOLD of the sizing of a cluster's pods (CreateCluster.resources, UpdateResources), through the real topology. */
class ResourceRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private CommandBuilder on(String cluster) {
        return h.on(cluster);
    }

    private static CreateCluster create(ClusterResources resources) {
        return CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(3).setBrokers(3)
                .setStorage(StorageRequest.newBuilder().setSize("10Gi").build()).setResources(resources).build();
    }

    private ResourcesSpec resources(String cluster) {
        return h.state(cluster).getSpec().getResources();
    }

    @Test
    void aClusterCreatedWithoutResourcesRunsOnTheDefaultsAndOneWithThemKeepsThem() {
        acceptedVersion(h.send(on("plain").createCluster("4.1.0", 3, 3, "10Gi")));
        assertThat(resources("plain")).isNull();

        acceptedVersion(h.send(on("sized").createCluster(create(new ClusterResources(null, new RoleResources("1", "2", "8Gi", "6g"))))));
        assertThat(resources("sized")).isEqualTo(new ResourcesSpec(null, new RoleResourcesSpec("1", "2", "8Gi", "6g")));

        acceptedVersion(h.send(on("empty").createCluster(create(new ClusterResources(new RoleResources(), null)))));
        assertThat(resources("empty")).as("nothing asked: the same state as no resources at all").isNull();
    }

    @Test
    void aMalformedCreateIsRejectedNamingTheField() {
        // straight to the topic, as a service that bypasses the builder's checks would produce it
        Command bad = on("sized").createCluster("4.1.0", 3, 3, "10Gi");
        ((CreateCluster) bad.getPayload()).setResources(new ClusterResources(new RoleResources("250m", null, "1Gi", "1g"), null));
        CommandRejected r = rejected(h.send(bad));
        assertThat(r.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(r.getReason()).contains("payload.resources.controllers.heap", "more than 75% of memory 1Gi");
        assertThat(h.state("sized")).isNull();
    }

    @Test
    void anUpdateChangesOnlyItsRoleAndKeepsTheValuesItLeavesOut() {
        acceptedVersion(h.send(on("pay").createCluster(create(new ClusterResources(new RoleResources("250m", null, "1Gi", "512m"), null)))));
        assertThat(acceptedVersion(h.send(on("pay").updateResources("brokers", "1", null, "4Gi", "3g")))).isEqualTo(2);
        assertThat(acceptedVersion(h.send(on("pay").updateResources("brokers", null, "2", "8Gi", null)))).isEqualTo(3);
        assertThat(resources("pay")).isEqualTo(new ResourcesSpec(new RoleResourcesSpec("250m", null, "1Gi", "512m"),
                new RoleResourcesSpec("1", "2", "8Gi", "3g")));
        assertThat(h.state("pay").getStatus().getPhase()).as("the executor decides when to roll").isEqualTo("Pending");
    }

    @Test
    void anUpdateIsCheckedAgainstTheSizingTheRoleWillHave() {
        acceptedVersion(h.send(on("pay").createCluster(create(new ClusterResources(null, new RoleResources("1", null, "4Gi", "3g"))))));

        CommandRejected squeezed = rejected(h.send(on("pay").updateResources("brokers", null, null, "2Gi", null)));
        assertThat(squeezed.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(squeezed.getReason()).contains("payload.heap", "heap 3g is more than 75% of memory 2Gi",
                "The brokers of cluster 'pay' now have cpu request 1, memory 4Gi, heap 3g");

        CommandRejected limit = rejected(h.send(on("pay").updateResources("brokers", null, "500m", null, null)));
        assertThat(limit.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(limit.getReason()).contains("payload.cpuLimit", "cpu limit 500m is below the cpu request 1");

        CommandRejected heapAlone = rejected(h.send(on("pay").updateResources("controllers", null, null, null, "1g")));
        assertThat(heapAlone.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(heapAlone.getReason()).contains("payload.memory", "is needed with heap 1g", "the installation's default sizing");

        CommandRejected malformed = rejected(h.send(raw("pay", new UpdateResources("brokers", null, null, "4 GB", null))));
        assertThat(malformed.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(malformed.getReason()).contains("payload.memory", "4Gi or 512Mi", "'4 GB'");
        assertThat(h.state("pay").getVersion()).isEqualTo(1);
    }

    @Test
    void anUpdateThatChangesNothingIsNoChangeHoweverItIsWritten() {
        acceptedVersion(h.send(on("pay").createCluster(create(new ClusterResources(null, new RoleResources("1", null, "4Gi", "3g"))))));
        CommandRejected same = rejected(h.send(on("pay").updateResources("brokers", "1000m", null, "4096Mi", "3072m")));
        assertThat(same.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(same.getReason()).contains("the brokers of cluster 'pay' already have cpu request 1, memory 4Gi, heap 3g");
    }

    @Test
    void theValueDefaultPutsAFieldBackToTheInstallationsDefault() {
        acceptedVersion(h.send(on("pay").createCluster(create(new ClusterResources(null, new RoleResources("1", "2", "8Gi", "6g"))))));
        assertThat(acceptedVersion(h.send(on("pay").updateResources("brokers", null, "default", null, null)))).isEqualTo(2);
        assertThat(resources("pay").getBrokers()).as("no cpu limit: the installation's").isEqualTo(new RoleResourcesSpec("1", null, "8Gi", "6g"));
        assertThat(rejected(h.send(on("pay").updateResources("brokers", null, "default", null, null))).getCode()).isEqualTo(RejectionCode.NO_CHANGE);

        CommandRejected half = rejected(h.send(on("pay").updateResources("brokers", null, null, "default", null)));
        assertThat(half.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(half.getReason()).contains("payload.memory", "is needed with heap 6g");

        assertThat(acceptedVersion(h.send(on("pay").updateResources("brokers", "default", null, "default", "default")))).isEqualTo(3);
        assertThat(resources("pay")).as("no role sized any more: the state of a cluster never sized").isNull();
    }

    @Test
    void anUpdateWaitsForTheRunningOperationAndIsRefusedWhilePausedOrDeleting() {
        acceptedVersion(h.send(on("pay").createCluster("4.1.0", 3, 3, "10Gi")));
        acceptedVersion(h.send(on("pay").observation("exec", new OperationObserved("Reconfigure/c-1", "Reconfigure", OperationState.RUNNING, "c-1", null))));
        CommandRejected busy = rejected(h.send(on("pay").updateResources("brokers", null, null, "4Gi", "3g")));
        assertThat(busy.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(busy.getReason()).contains("Reconfigure Reconfigure/c-1", "wait until it finishes");
        acceptedVersion(h.send(on("pay").observation("exec", new OperationObserved("Reconfigure/c-1", "Reconfigure", OperationState.SUCCEEDED, "c-1", null))));

        acceptedVersion(h.send(on("pay").pause("maintenance")));
        assertThat(rejected(h.send(on("pay").updateResources("brokers", null, null, "4Gi", "3g"))).getCode()).isEqualTo(RejectionCode.CLUSTER_PAUSED);
        acceptedVersion(h.send(on("pay").resume()));
        acceptedVersion(h.send(on("pay").deleteCluster(false)));
        assertThat(rejected(h.send(on("pay").updateResources("brokers", null, null, "4Gi", "3g"))).getCode()).isEqualTo(RejectionCode.CLUSTER_DELETING);
        assertThat(resources("pay")).isNull();
    }

    /** A command built without the builder's shape check. */
    private Command raw(String cluster, Object payload) {
        Command c = on(cluster).resume();
        c.setPayload(payload);
        return c;
    }
}
