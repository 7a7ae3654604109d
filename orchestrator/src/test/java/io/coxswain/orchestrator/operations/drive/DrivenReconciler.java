package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.ClusterReconciler;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The real ClusterReconciler over the real OperationDrivers, against fabric8's mock API server, with the default model and
 * drive settings: how the tests of what a pass does to the drivers build the executor's reconcile step.
 */
final class DrivenReconciler implements AutoCloseable {

    final OperationDrivers drivers;
    final ClusterReconciler reconciler;

    /** @param bootstrap the managed clusters' address as the drivers reach it (null: none, the drivers only issue identities) */
    DrivenReconciler(KubernetesClient client, RecordingSink sink, BiFunction<ClusterState, ClusterNames, String> bootstrap) {
        KubeObjects kube = new KubeObjects(client);
        drivers = new OperationDrivers(client, sink, DriveSettings.defaults(), ModelSettings.defaults().namespaceTemplate(), bootstrap, Map.of());
        reconciler = new ClusterReconciler(kube, ModelSettings.defaults(), new ActionRecorder(sink, c -> true),
                new StatusReporter(new ComponentObserver(kube), sink, Duration.ofSeconds(10)), drivers, ClusterNames::bootstrapServers);
    }

    @Override
    public void close() {
        drivers.close();
    }
}
