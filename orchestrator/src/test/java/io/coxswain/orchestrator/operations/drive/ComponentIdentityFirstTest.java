package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ComponentPodTemplate;
import io.coxswain.orchestrator.executor.model.KafkaProperties;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.reconcile.ClusterReconciler;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.coxswain.orchestrator.fold.Evolve;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A platform component beside a cluster that requires client certificates mounts the Secret of the
 * user of its name. The pass that first builds the component issues that Secret before it builds the
 * StatefulSet, so the pods start with their identity and never roll to get it. Against fabric8's mock
 * API server in CRUD mode, with the real drivers (no managed cluster is reachable: they only issue).
 */
@EnableKubernetesMockClient(crud = true)
class ComponentIdentityFirstTest {

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
    void theUsersSecretIsIssuedBeforeTheComponentsPodsAreBuiltSoTheyNeverRollForIt() {
        ClusterState state = TestStates.created("payments", TestStates.create(1, 1).setClientAuthentication(ClientAuthentication.TLS).build());
        state = Evolve.apply(state, Commands.on("payments").commandId("user").createUser("connect", List.of(AclRules.parse("topic:connect:prefixed:ALL"))));
        state = Evolve.apply(state, Commands.on("payments").commandId("connect").setComponent("connect", 1, null, null, Map.of()));
        ClusterReconciler reconciler = reconciler();
        reconciler.reconcile(new ReconcilePass(state, "connect"));

        ClusterNames names = ClusterNames.of("payments", ModelSettings.defaults().namespaceTemplate());
        Secret secret = client.secrets().inNamespace(names.namespace()).withName(names.userSecret("connect")).get();
        assertThat(secret).as("the user's Secret, issued in the pass that builds the component").isNotNull();
        StatefulSet sts = client.apps().statefulSets().inNamespace(names.namespace()).withName("payments-connect").get();
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(ComponentPodTemplate.IDENTITY_ANNOTATION, KafkaProperties.hash(TlsSecrets.decoded(secret).get(TlsSecrets.CLIENT_CERT)));
        List<String> created = sink.actions(ResourceAction.CREATE).stream().map(a -> a.getKind() + "/" + a.getName()).toList();
        assertThat(created).containsSubsequence("Secret/" + names.userSecret("connect"), "StatefulSet/payments-connect");

        sink.clear();
        reconciler.reconcile(new ReconcilePass(state, "connect"));
        assertThat(sink.of(ResourceActionObserved.class)).as("the next pass finds the pods' template as it wants it").isEmpty();
    }

    private ClusterReconciler reconciler() {
        // no address for the managed cluster: the drivers issue identities and operate on nothing
        driven = new DrivenReconciler(client, sink, (s, n) -> null);
        return driven.reconciler;
    }
}
