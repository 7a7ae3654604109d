package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.reconcile.ClusterReconciler;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
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
    private DrivenReconciler driven;

    @AfterEach
    void close() {
        if (driven != null) {
            driven.close();
        }
    }

    @Test
    void aForgottenClusterLeavesNoAdminClientInTheDriversWhileAnotherKeepsItsOwn() {
        driven = new DrivenReconciler(client, sink, (s, n) -> "127.0.0.1:1");
        ClusterReconciler reconciler = driven.reconciler;
        reconciler.reconcile(new ReconcilePass(TestStates.created("payments", 1, 1), "create-payments"));
        reconciler.reconcile(new ReconcilePass(TestStates.created("orders", 1, 1), "create-orders"));
        assertThat(driven.drivers.adminsKept()).as("each pass, once the CA is made, opens the cluster's client").containsExactlyInAnyOrder("payments", "orders");

        reconciler.forget("payments");

        assertThat(driven.drivers.adminsKept()).containsExactly("orders");
    }
}
