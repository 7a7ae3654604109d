package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.fold.Evolve;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DeleteCluster stops the brokers before the controllers: a broker shuts down cleanly only while the quorum answers it,
 * so the controllers' StatefulSet and the Services stay while a broker pod is left, and go, recorded, in the pass that
 * finds none. Against fabric8's mock API server in CRUD mode (no controllers: the pods are made and removed by hand).
 */
@EnableKubernetesMockClient(crud = true)
class ExecClusterRemovalOrderTest {

    KubernetesClient client;
    private RecordingSink sink;
    private ClusterReconciler reconciler;

    @BeforeEach
    void setUp() {
        KubeObjects kube = new KubeObjects(client);
        sink = new RecordingSink();
        reconciler = new ClusterReconciler(kube, ModelSettings.defaults(), new ActionRecorder(sink, c -> true),
                new StatusReporter(new ComponentObserver(kube), sink, Duration.ofSeconds(10)), ClusterOperations.none(),
                ClusterNames::bootstrapServers);
    }

    @Test
    void theControllersAndTheirServicesStayUntilNoBrokerPodIsLeft() {
        ClusterState state = TestStates.created("payments", 3, 2);
        reconciler.reconcile(new ReconcilePass(state, "create-1"));
        pod("payments-broker-0", "broker");
        pod("payments-broker-1", "broker");
        pod("payments-controller-0", "controller");
        sink.clear();
        ClusterState deleting = Evolve.apply(state, Commands.on("payments").commandId("delete-1").deleteCluster(false));

        assertThat(reconciler.reconcile(new ReconcilePass(deleting, "delete-1"))).isEqualTo(ClusterReconciler.Result.WAITING);
        assertThat(client.apps().statefulSets().inNamespace("payments").withName("payments-broker").get()).isNull();
        assertThat(client.apps().statefulSets().inNamespace("payments").withName("payments-controller").get())
                .as("the quorum a stopping broker still needs").isNotNull();
        assertThat(client.services().inNamespace("payments").list().getItems()).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("payments-controller", "payments-broker", "payments-kafka-bootstrap");
        assertThat(deletedNames()).contains("StatefulSet/payments-broker", "ConfigMap/payments-broker-config", "NetworkPolicy/payments-broker")
                .doesNotContain("StatefulSet/payments-controller", "Service/payments-controller");

        client.pods().inNamespace("payments").withName("payments-broker-0").delete();
        sink.clear();
        assertThat(reconciler.reconcile(new ReconcilePass(deleting, "delete-1"))).as("one broker still stopping")
                .isEqualTo(ClusterReconciler.Result.WAITING);
        assertThat(deletedNames()).isEmpty();

        client.pods().inNamespace("payments").withName("payments-broker-1").delete();
        assertThat(reconciler.reconcile(new ReconcilePass(deleting, "delete-1"))).as("the controller's pod still stopping")
                .isEqualTo(ClusterReconciler.Result.WAITING);
        assertThat(deletedNames()).containsExactlyInAnyOrder("StatefulSet/payments-controller", "Service/payments-controller",
                "Service/payments-broker", "Service/payments-kafka-bootstrap");
        assertThat(sink.actions(ResourceAction.DELETE)).allSatisfy(a -> {
            assertThat(a.getCauseCommandId()).isEqualTo("delete-1");
            assertThat(a.getReason()).contains("once no broker is left");
        });
        assertThat(sink.of(ClusterRemovedObserved.class)).isEmpty();

        client.pods().inNamespace("payments").withName("payments-controller-0").delete();
        assertThat(reconciler.reconcile(new ReconcilePass(deleting, "delete-1"))).isEqualTo(ClusterReconciler.Result.CONVERGED);
        assertThat(sink.of(ClusterRemovedObserved.class)).singleElement().satisfies(r -> assertThat(r.getVolumesDeleted()).isFalse());
    }

    private List<String> deletedNames() {
        return sink.actions(ResourceAction.DELETE).stream().map(a -> a.getKind() + "/" + a.getName()).toList();
    }

    private void pod(String name, String component) {
        client.pods().inNamespace("payments").resource(new PodBuilder().withNewMetadata().withName(name)
                .withLabels(ClusterNames.of("payments", "{cluster}").labels(component)).endMetadata().build()).create();
    }
}
