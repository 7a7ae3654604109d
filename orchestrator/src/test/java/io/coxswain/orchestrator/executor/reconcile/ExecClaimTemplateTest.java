package io.coxswain.orchestrator.executor.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
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
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A new volume size in the StatefulSets' claim templates, against fabric8's mock API server in CRUD mode:
 * each set is deleted and created again, never patched in its volumeClaimTemplates, and what else the
 * state changed at the same time is patched in place first.
 */
@EnableKubernetesMockClient(crud = true)
class ExecClaimTemplateTest {

    KubernetesClient client;

    @Test
    void aNewSizeReplacesEachSetAndAPodTemplateChangedWithItIsPatchedFirst() {
        RecordingSink sink = new RecordingSink();
        KubeObjects kube = new KubeObjects(client);
        ClusterReconciler reconciler = new ClusterReconciler(kube, ModelSettings.defaults(), new ActionRecorder(sink, c -> true),
                new StatusReporter(new ComponentObserver(kube), sink, Duration.ofSeconds(10)), ClusterOperations.none(),
                ClusterNames::bootstrapServers);
        ClusterState state = TestStates.created("payments", 3, 3);
        reconciler.reconcile(new ReconcilePass(state, "create-1"));
        String controllerUid = set("payments-controller").getMetadata().getUid();
        sink.clear();

        ClusterState grown = apply(apply(state, Commands.on("payments").commandId("grow-1").expandStorage("1024Gi")),
                Commands.on("payments").commandId("size-1").updateResources("brokers", "1", null, "4Gi", "3g"));
        reconciler.reconcile(new ReconcilePass(grown, "grow-1"));

        assertThat(sink.of(ResourceActionObserved.class)).extracting(a -> a.getAction() + " " + a.getKind() + "/" + a.getName())
                .containsExactly("DELETE StatefulSet/payments-controller", "CREATE StatefulSet/payments-controller",
                        "UPDATE StatefulSet/payments-broker", "DELETE StatefulSet/payments-broker", "CREATE StatefulSet/payments-broker");
        ResourceActionObserved patched = sink.actions(ResourceAction.UPDATE).get(0);
        assertThat(patched.getDetail()).as("the claims left as they were by the patch").doesNotContain("volumeClaimTemplates");
        assertThat(sink.actions(ResourceAction.DELETE)).allSatisfy(a -> {
            assertThat(a.getReason()).contains("claim template data grows from 10Gi to 1Ti", "orphan propagation");
            assertThat(a.getCauseCommandId()).isEqualTo("grow-1");
        });
        for (String name : List.of("payments-controller", "payments-broker")) {
            assertThat(set(name).getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage"))
                    .as(name + ", written as the API server writes it back").isEqualTo(new Quantity("1Ti"));
        }
        assertThat(set("payments-controller").getMetadata().getUid()).as("a new set").isNotEqualTo(controllerUid);
        assertThat(set("payments-broker").getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory"))
                .isEqualTo(new Quantity("4Gi"));

        sink.clear();
        reconciler.reconcile(new ReconcilePass(grown, "grow-1"));
        assertThat(sink.of(ResourceActionObserved.class)).as("converged: nothing more to do").isEmpty();
    }

    private StatefulSet set(String name) {
        return client.apps().statefulSets().inNamespace("payments").withName(name).get();
    }

    private static ClusterState apply(ClusterState state, io.coxswain.avro.command.Command c) {
        return Evolve.apply(state, c);
    }
}
