package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.ClusterReconciler;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster the executor forgets (deleted, or handed over to another executor) leaves nothing behind in the drivers: the
 * reconciler's forget reaches them through ClusterOperations, and the cluster's Admin client is closed, another's kept.
 * Against fabric8's mock API server in CRUD mode, with the real reconciler and drivers (the managed clusters' address
 * answers nothing: a pass makes the client, which connects only when asked something).
 */
@EnableKubernetesMockClient(crud = true)
class DriversForgetTest {

    KubernetesClient client;
    private final RecordingSink sink = new RecordingSink();
    private OperationDrivers drivers;

    @AfterEach
    void close() {
        if (drivers != null) {
            drivers.close();
        }
    }

    @Test
    void aForgottenClusterLeavesNoAdminClientInTheDriversWhileAnotherKeepsItsOwn() {
        KubeObjects kube = new KubeObjects(client);
        drivers = new OperationDrivers(client, sink, DriveSettings.defaults(), ModelSettings.defaults().namespaceTemplate(),
                (s, n) -> "127.0.0.1:1", Map.of());
        ClusterReconciler reconciler = new ClusterReconciler(kube, ModelSettings.defaults(), new ActionRecorder(sink, c -> true),
                new StatusReporter(new ComponentObserver(kube), sink, Duration.ofSeconds(10)), drivers, ClusterNames::bootstrapServers);
        reconciler.reconcile(new ReconcilePass(TestStates.created("payments", 1, 1), "create-payments"));
        reconciler.reconcile(new ReconcilePass(TestStates.created("orders", 1, 1), "create-orders"));
        assertThat(drivers.adminsKept()).as("each pass, once the CA is made, opens the cluster's client").containsExactlyInAnyOrder("payments", "orders");

        reconciler.forget("payments");

        assertThat(drivers.adminsKept()).containsExactly("orders");
    }
}
