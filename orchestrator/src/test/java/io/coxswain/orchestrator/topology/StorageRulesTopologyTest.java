package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.ExpandStorage;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.StorageSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DECIDE and FOLD of the data volumes' size (ExpandStorage), through the real topology. */
class StorageRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private void create(String cluster, String size, String storageClass) {
        acceptedVersion(h.send(h.on(cluster).createCluster(CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(3)
                .setBrokers(3).setStorage(StorageRequest.newBuilder().setSize(size).setStorageClass(storageClass).build()).build())));
    }

    private StorageSpec storage(String cluster) {
        return h.state(cluster).getSpec().getStorage();
    }

    @Test
    void aLargerSizeIsAcceptedAndKeepsTheStorageClass() {
        create("pay", "100Gi", "fast-ssd");
        assertThat(acceptedVersion(h.send(h.on("pay").expandStorage("200Gi")))).isEqualTo(2);
        assertThat(storage("pay")).isEqualTo(new StorageSpec("200Gi", "fast-ssd"));
        assertThat(acceptedVersion(h.send(h.on("pay").expandStorage("1Ti")))).as("1Ti is more than 200Gi").isEqualTo(3);
        assertThat(storage("pay")).isEqualTo(new StorageSpec("1Ti", "fast-ssd"));
        assertThat(h.state("pay").getStatus().getPhase()).as("the executor reports the volumes' growth").isEqualTo("Pending");
    }

    @Test
    void theSameSizeHoweverWrittenIsNoChange() {
        create("pay", "1Ti", null);
        CommandRejected same = rejected(h.send(h.on("pay").expandStorage("1Ti")));
        assertThat(same.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(same.getReason()).isEqualTo("the volumes of cluster 'pay' are already 1Ti");
        CommandRejected written = rejected(h.send(h.on("pay").expandStorage("1024Gi")));
        assertThat(written.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(written.getReason()).contains("already 1Ti (1024Gi)");
        assertThat(h.state("pay").getVersion()).isEqualTo(1);
    }

    @Test
    void aSmallerSizeIsRefusedInAnyUnitSayingWhatToDo() {
        create("pay", "2Ti", null);
        for (String smaller : new String[] {"500Gi", "2047Gi", "1Ti"}) {
            CommandRejected shrink = rejected(h.send(h.on("pay").expandStorage(smaller)));
            assertThat(shrink.getCode()).as(smaller).isEqualTo(RejectionCode.STORAGE_CANNOT_SHRINK);
            assertThat(shrink.getReason()).contains("are 2Ti and cannot shrink to " + smaller, "Kubernetes can only grow a volume",
                    "Send a size above 2Ti", "create a new cluster");
        }
        assertThat(acceptedVersion(h.send(h.on("pay").expandStorage("2049Gi")))).as("one GiB more").isEqualTo(2);
        assertThat(storage("pay").getSize()).isEqualTo("2049Gi");

        create("small", "1Gi", null);
        assertThat(rejected(h.send(h.on("small").expandStorage("1000Mi"))).getCode()).isEqualTo(RejectionCode.STORAGE_CANNOT_SHRINK);
        assertThat(acceptedVersion(h.send(h.on("small").expandStorage("1025Mi")))).isEqualTo(2);
    }

    @Test
    void aMalformedSizeIsInvalidNamingTheField() {
        create("pay", "100Gi", null);
        for (String bad : new String[] {"200GB", "1000M", "0Gi", "lots"}) {
            // straight to the topic, as a service that bypasses the builder's checks would produce it
            CommandRejected r = rejected(h.send(raw("pay", new ExpandStorage(bad))));
            assertThat(r.getCode()).as(bad).isEqualTo(RejectionCode.INVALID_COMMAND);
            assertThat(r.getReason()).contains("payload.size", "(Mi, Gi or Ti)", "'" + bad + "'");
        }
        assertThat(storage("pay").getSize()).isEqualTo("100Gi");
    }

    @Test
    void anExpansionWaitsForTheRunningOperationAndIsRefusedOnUnknownPausedOrDeletingClusters() {
        assertThat(rejected(h.send(h.on("nope").expandStorage("200Gi"))).getCode()).isEqualTo(RejectionCode.CLUSTER_NOT_FOUND);
        create("pay", "100Gi", null);
        acceptedVersion(h.send(h.on("pay").observation("exec", new OperationObserved("ScaleOut/c-1", "ScaleOut", OperationState.RUNNING, "c-1", null))));
        CommandRejected busy = rejected(h.send(h.on("pay").expandStorage("200Gi")));
        assertThat(busy.getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);
        assertThat(busy.getReason()).contains("ScaleOut ScaleOut/c-1", "wait until it finishes");
        CommandRejected shrinkWhileBusy = rejected(h.send(h.on("pay").expandStorage("50Gi")));
        assertThat(shrinkWhileBusy.getCode()).as("a shrink is refused for what it is, busy or not").isEqualTo(RejectionCode.STORAGE_CANNOT_SHRINK);
        acceptedVersion(h.send(h.on("pay").observation("exec", new OperationObserved("ScaleOut/c-1", "ScaleOut", OperationState.SUCCEEDED, "c-1", null))));

        acceptedVersion(h.send(h.on("pay").pause("maintenance")));
        assertThat(rejected(h.send(h.on("pay").expandStorage("200Gi"))).getCode()).isEqualTo(RejectionCode.CLUSTER_PAUSED);
        acceptedVersion(h.send(h.on("pay").resume()));
        acceptedVersion(h.send(h.on("pay").deleteCluster(false)));
        assertThat(rejected(h.send(h.on("pay").expandStorage("200Gi"))).getCode()).isEqualTo(RejectionCode.CLUSTER_DELETING);
        assertThat(storage("pay").getSize()).isEqualTo("100Gi");
    }

    /** A command built without the builder's shape check. */
    private Command raw(String cluster, Object payload) {
        Command c = h.on(cluster).resume();
        c.setPayload(payload);
        return c;
    }
}
