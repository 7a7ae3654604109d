package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.executor.reconcile.ActionEvents;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.ClusterReconciler;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.executor.tls.KeyMaterial;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.sandbox.kube.PodRuntime;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two clusters share a namespace (the installation's template names none). Cluster {@code shop}'s connect component names,
 * beside a Secret of its user's own, cluster {@code orders}' user Secret {@code orders-user-etl} (its SCRAM password, as
 * orders' executor writes it), which the command's shape check cannot know for another cluster's: against the sandbox
 * Kubernetes (mock API server in CRUD mode, StatefulSet controller, kubelet), no pod of shop's connect mounts it, the
 * operator is told on the StatefulSet, its own Secret is mounted, and the pods do not roll from pass to pass. A name
 * orders may yet give a user's Secret is not waited for: made by Coxswain it stays out, made by the user it is mounted.
 */
class ExecComponentSecretGuardSandboxTest {

    private static final String NAMESPACE = "kafka";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ClusterNames ORDERS = ClusterNames.of("orders", NAMESPACE);
    private static final ClusterNames SHOP = ClusterNames.of("shop", NAMESPACE);
    private static SandboxKubernetes kube;
    private static KubernetesClient client;
    private static ActionEvents events;
    private static RecordingSink sink;
    private static ClusterReconciler reconciler;
    private static int folded;
    private static ClusterState state;

    @BeforeAll
    static void start() {
        kube = SandboxKubernetes.start(0, PodRuntime.readyAtOnce());
        client = kube.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        sink = new RecordingSink();
        events = new ActionEvents(client, "exec-1", Clock.systemUTC());
        KubeObjects objects = new KubeObjects(client);
        reconciler = new ClusterReconciler(objects, ModelSettings.defaults().withNamespaceTemplate(NAMESPACE),
                new ActionRecorder(sink, c -> true, events), new StatusReporter(new ComponentObserver(objects), sink, Duration.ofSeconds(10)),
                ClusterOperations.none(), ClusterNames::bootstrapServers);
    }

    @AfterAll
    static void stop() {
        if (events != null) {
            events.close();
        }
        if (kube != null) {
            kube.close();
        }
    }

    @Test
    void anotherClustersUserSecretIsNeverMountedWhileTheComponentsOwnIs() {
        // cluster orders' user etl, as orders' executor writes its Secret into the namespace both clusters share
        client.resource(TlsSecrets.scramUser(ORDERS, "etl", "CA", "s3cret", Map.of())).create();
        client.resource(new SecretBuilder().withNewMetadata().withName("pg-creds").withNamespace(NAMESPACE).endMetadata()
                .addToData("password", "cGc=").build()).create();
        state = TestStates.created("shop", 1, 1);
        state = Evolve.apply(state, Commands.on("shop").issuer("a").commandId("set-connect")
                .setComponent("connect", 2, null, null, Map.of(), List.of("orders-user-etl", "orders-user-later", "pg-creds")));
        assertThat(state.getSpec().getComponents().get("connect").getSecrets()).as("the shape check lets another cluster's names through")
                .containsExactly("orders-user-etl", "orders-user-later", "pg-creds");

        pass("set-connect");
        assertThat(mountedSecrets(statefulSet().getSpec().getTemplate().getSpec().getVolumes())).containsExactly("pg-creds");
        ExecutorWorld.await(TIMEOUT, "both connect pods made by the StatefulSet controller", () -> pods().size() == 2);
        assertThat(pods()).allSatisfy(p -> assertThat(mountedSecrets(p.getSpec().getVolumes())).as(p.getMetadata().getName())
                .containsExactly("pg-creds"));
        assertThat(pods()).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getVolumeMounts())
                .extracting(m -> m.getMountPath()).contains("/mnt/secrets/pg-creds").noneMatch(path -> path.contains("orders-user")));

        ExecutorWorld.await(TIMEOUT, "a Warning Event on shop-connect for each Secret left out", () -> notMounted().size() == 2);
        String uid = statefulSet().getMetadata().getUid();
        assertThat(notMounted()).allSatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("shop-connect");
            assertThat(e.getInvolvedObject().getUid()).as("kubectl describe statefulset shop-connect finds it").isEqualTo(uid);
            assertThat(e.getMessage()).contains("component connect", "Name a Secret of your own", "(cluster shop)");
        }).extracting(Event::getMessage).anySatisfy(m -> assertThat(m).contains("Secret orders-user-etl",
                "the credentials of user etl of cluster orders")).anySatisfy(m -> assertThat(m).contains("Secret orders-user-later",
                "does not exist yet"));

        // pass after pass: the same template, nothing updated, the pods left running
        List<String> uids = pods().stream().map(p -> p.getMetadata().getUid()).sorted().toList();
        int updates = sink.actions(ResourceAction.UPDATE).size();
        pass("resync");
        // orders makes its user 'later' now: the name a pod would have waited for comes with orders' labels
        client.resource(TlsSecrets.client(ORDERS, "later", "CA", new KeyMaterial("CERT", "KEY"))).create();
        pass("resync");
        assertThat(sink.actions(ResourceAction.UPDATE)).as("no change to any object").hasSize(updates);
        assertThat(mountedSecrets(statefulSet().getSpec().getTemplate().getSpec().getVolumes())).containsExactly("pg-creds");
        assertThat(pods().stream().map(p -> p.getMetadata().getUid()).sorted().toList()).isEqualTo(uids);

        // the same name made by the user instead, without Coxswain's labels: mounted at the next pass, the pods rolled onto it
        client.secrets().inNamespace(NAMESPACE).withName("orders-user-later").delete();
        ExecutorWorld.await(TIMEOUT, "orders' Secret gone", () -> client.secrets().inNamespace(NAMESPACE).withName("orders-user-later").get() == null);
        client.resource(new SecretBuilder().withNewMetadata().withName("orders-user-later").withNamespace(NAMESPACE).endMetadata()
                .addToData("token", "dA==").build()).create();
        pass("resync");
        assertThat(mountedSecrets(statefulSet().getSpec().getTemplate().getSpec().getVolumes())).containsExactly("orders-user-later", "pg-creds");
        ExecutorWorld.await(TIMEOUT, "the pods rolled onto the user's Secret", () -> pods().size() == 2
                && pods().stream().allMatch(p -> mountedSecrets(p.getSpec().getVolumes()).equals(List.of("orders-user-later", "pg-creds"))));
        assertThat(pods()).allSatisfy(p -> assertThat(mountedSecrets(p.getSpec().getVolumes())).doesNotContain("orders-user-etl"));
    }

    /** One reconcile, then what it recorded folded into the state, as the topology would. */
    private static void pass(String cause) {
        reconciler.reconcile(new ReconcilePass(state, cause));
        List<Object> recorded = sink.all();
        for (Object o : recorded.subList(folded, recorded.size())) {
            state = Evolve.apply(state, Commands.on("shop").commandId("obs-" + state.getVersion()).observation("test", o));
        }
        folded = recorded.size();
    }

    /** The Secrets mounted for the component's config providers (its own volumes, the CA's and the config, left aside). */
    private static List<String> mountedSecrets(List<Volume> volumes) {
        return volumes.stream().filter(v -> v.getName().startsWith("user-secret-")).map(v -> v.getSecret().getSecretName())
                .filter(Objects::nonNull).toList();
    }

    private static StatefulSet statefulSet() {
        return client.apps().statefulSets().inNamespace(NAMESPACE).withName("shop-connect").get();
    }

    private static List<Pod> pods() {
        return client.pods().inNamespace(NAMESPACE).withLabels(SHOP.selector("connect")).list().getItems();
    }

    private static List<Event> notMounted() {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream().filter(e -> "SecretNotMounted".equals(e.getReason())).toList();
    }
}
