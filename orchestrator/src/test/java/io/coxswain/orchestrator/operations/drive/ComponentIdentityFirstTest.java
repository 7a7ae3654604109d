package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ComponentPodTemplate;
import io.coxswain.orchestrator.executor.model.KafkaProperties;
import io.coxswain.orchestrator.executor.model.MirrorSecret;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.reconcile.ClusterReconciler;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.coxswain.orchestrator.fold.Evolve;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A platform component beside a cluster that requires client certificates mounts the Secret of the
 * user of its name. The pass that first builds the component issues that Secret before it builds the
 * StatefulSet, so the pods start with their identity and never roll to get it; so is the mirror Secret, and the connect
 * pods carry the hash of what the pass wrote in it, taken from what it wrote (the Secret is read once a pass, to write it).
 * Against fabric8's mock API server in CRUD mode (which journals every request it answers), with the real drivers (no
 * managed cluster is reachable: they only issue).
 */
@EnableKubernetesMockClient(crud = true)
class ComponentIdentityFirstTest {

    KubernetesClient client;
    KubernetesMockServer server;
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

    @Test
    void theConnectPodsAreAnnotatedWithTheHashOfTheSecretAsWrittenWithoutReadingItAgain() throws Exception {
        ClusterState dr = Evolve.apply(TestStates.withComponent(TestStates.created("dr", 1, 1), "connect", 1, Map.of()),
                Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("m").setSourceCluster("east").build()));
        ClusterState east = TestStates.created("east", 1, 1);
        ClusterNames names = ClusterNames.of("dr", ModelSettings.defaults().namespaceTemplate());
        ClusterNames eastNames = ClusterNames.of("east", ModelSettings.defaults().namespaceTemplate());
        client.resource(new SecretBuilder().withNewMetadata().withName(eastNames.clusterCaCertSecret()).withNamespace(eastNames.namespace())
                .endMetadata().withData(Map.of("ca.crt", Base64.getEncoder().encodeToString("CA-EAST".getBytes()))).build())
                .createOr(r -> r.update()); // a POST the client retried on a slow answer finds it made
        ClusterReconciler reconciler = reconciler();
        driven.drivers.seeClusters(id -> id.equals("east") ? Optional.of(east) : Optional.empty());

        reconciler.reconcile(new ReconcilePass(dr, "mirror"));
        Map<String, String> written = client.secrets().inNamespace(names.namespace()).withName(names.mirrorsSecret()).get().getData();
        assertThat(written).as("east's CA copied").containsKey("m.source-ca.crt");
        String annotated = connectTemplateAnnotation(names);
        assertThat(annotated).as("the hash of what the Secret holds, as the pods are rolled by").isEqualTo(MirrorSecret.contentHash(written));

        requests(); // what the first pass asked
        sink.clear();
        reconciler.reconcile(new ReconcilePass(dr, "mirror"));
        List<String> secretReads = requests().stream().filter(r -> r.equals("GET /api/v1/namespaces/" + names.namespace() + "/secrets/"
                + names.mirrorsSecret())).toList();
        assertThat(secretReads).as("read once, by the step that writes it").hasSize(1);
        assertThat(connectTemplateAnnotation(names)).as("a pass over a Secret unchanged rolls nothing").isEqualTo(annotated);
        assertThat(sink.of(ResourceActionObserved.class)).isEmpty();
    }

    private String connectTemplateAnnotation(ClusterNames names) {
        return client.apps().statefulSets().inNamespace(names.namespace()).withName("dr-connect").get().getSpec().getTemplate().getMetadata()
                .getAnnotations().get(MirrorSecret.CONTENT_ANNOTATION);
    }

    /** The requests the server answered since last asked, as "METHOD path": each is journaled before it is answered. */
    private List<String> requests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r = server.takeRequest(10, TimeUnit.MILLISECONDS); r != null; r = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
            out.add(r.getMethod() + " " + r.getPath());
        }
        return out;
    }

    private ClusterReconciler reconciler() {
        // no address for the managed cluster: the drivers issue identities and operate on nothing
        driven = new DrivenReconciler(client, sink, (s, n) -> null);
        return driven.reconciler;
    }
}
