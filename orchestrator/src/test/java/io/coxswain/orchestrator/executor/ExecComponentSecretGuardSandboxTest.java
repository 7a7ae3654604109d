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
import io.coxswain.orchestrator.executor.tls.KeyMaterial;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
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
 * Against the sandbox Kubernetes (mock API server in CRUD mode, StatefulSet controller, kubelet), which Secrets a cluster's
 * connect component mounts of those its {@code secrets} names. Where clusters share a namespace (the installation's template
 * names none): never cluster {@code orders}' user Secret {@code orders-user-etl} (its SCRAM password, as orders' executor
 * writes it), which the command's shape check cannot know for another cluster's, nor any Secret of orders' team's own: only
 * one labelled {@code mountable-by.coxswain.io/<cluster>=true}, and a label added later mounts it at the next pass. The operator
 * is told on the StatefulSet, and the pods do not roll from pass to pass. A name orders may yet give a user's Secret is not
 * waited for: made by Coxswain it stays out, made and labelled by the user it is mounted. In a namespace of the cluster's own
 * (the default template), its own Secrets are mounted without a label.
 */
class ExecComponentSecretGuardSandboxTest {

    private static final String NAMESPACE = "kafka";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ClusterNames ORDERS = ClusterNames.of("orders", NAMESPACE);
    private static SandboxKubernetes kube;
    private static KubernetesClient client;
    private static ActionEvents events;
    private static ClusterReconciler shared;
    private static ClusterReconciler owned;
    private static RecordingSink sink;

    @BeforeAll
    static void start() {
        kube = SandboxKubernetes.start(0, PodRuntime.readyAtOnce());
        client = kube.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        sink = new RecordingSink();
        events = new ActionEvents(client, "exec-1", Clock.systemUTC());
        shared = reconciler(NAMESPACE);
        owned = reconciler("{cluster}");
    }

    private static ClusterReconciler reconciler(String namespaceTemplate) {
        KubeObjects objects = new KubeObjects(client);
        return new ClusterReconciler(objects, ModelSettings.defaults().withNamespaceTemplate(namespaceTemplate),
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
        // shop's own, labelled for it as a shared namespace asks
        client.resource(new SecretBuilder().withNewMetadata().withName("pg-creds").withNamespace(NAMESPACE)
                .addToLabels("mountable-by.coxswain.io/shop", "true").endMetadata().addToData("password", "cGc=").build()).create();
        Cluster shop = new Cluster(shared, TestStates.created("shop", 1, 1));
        shop.fold(Commands.on("shop").issuer("a").commandId("set-connect")
                .setComponent("connect", 2, null, null, Map.of(), List.of("orders-user-etl", "orders-user-later", "pg-creds")));
        assertThat(shop.state.getSpec().getComponents().get("connect").getSecrets()).as("the shape check lets another cluster's names through")
                .containsExactly("orders-user-etl", "orders-user-later", "pg-creds");

        shop.pass("set-connect");
        assertThat(shop.mountedSecrets()).containsExactly("pg-creds");
        ExecutorWorld.await(TIMEOUT, "both connect pods made by the StatefulSet controller", () -> shop.pods().size() == 2);
        assertThat(shop.pods()).allSatisfy(p -> assertThat(mountedSecrets(p.getSpec().getVolumes())).as(p.getMetadata().getName())
                .containsExactly("pg-creds"));
        assertThat(shop.pods()).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getVolumeMounts())
                .extracting(m -> m.getMountPath()).contains("/mnt/secrets/pg-creds").noneMatch(path -> path.contains("orders-user")));

        ExecutorWorld.await(TIMEOUT, "a Warning Event on shop-connect for each Secret left out", () -> shop.notMounted().size() == 2);
        String uid = shop.statefulSet().getMetadata().getUid();
        assertThat(shop.notMounted()).allSatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getUid()).as("kubectl describe statefulset shop-connect finds it").isEqualTo(uid);
            assertThat(e.getMessage()).contains("component connect", "latest command set-connect", "(cluster shop)");
        }).extracting(Event::getMessage).anySatisfy(m -> assertThat(m).contains("Secret orders-user-etl",
                "the credentials of user etl of cluster orders", "name a Secret of your own")).anySatisfy(m -> assertThat(m).contains(
                "Secret orders-user-later", "does not exist yet", "Create it first without Coxswain's labels", "or rename it")
                .doesNotContain("name a Secret of your own"));

        // pass after pass: the same template, nothing updated, the pods left running
        List<String> uids = shop.podUids();
        int updates = sink.actions(ResourceAction.UPDATE).size();
        shop.pass("resync");
        // orders makes its user 'later' now: the name a pod would have waited for comes with orders' labels
        client.resource(TlsSecrets.client(ORDERS, "later", "CA", new KeyMaterial("CERT", "KEY"))).create();
        shop.pass("resync");
        assertThat(sink.actions(ResourceAction.UPDATE)).as("no change to any object").hasSize(updates);
        assertThat(shop.mountedSecrets()).containsExactly("pg-creds");
        assertThat(shop.podUids()).isEqualTo(uids);

        // the same name made by the user instead, without Coxswain's labels and labelled for shop: mounted at the next pass, the pods
        // rolled onto it
        client.secrets().inNamespace(NAMESPACE).withName("orders-user-later").delete();
        ExecutorWorld.await(TIMEOUT, "orders' Secret gone", () -> client.secrets().inNamespace(NAMESPACE).withName("orders-user-later").get() == null);
        client.resource(new SecretBuilder().withNewMetadata().withName("orders-user-later").withNamespace(NAMESPACE)
                .addToLabels("mountable-by.coxswain.io/shop", "true").endMetadata().addToData("token", "dA==").build()).create();
        shop.pass("resync");
        assertThat(shop.mountedSecrets()).containsExactly("orders-user-later", "pg-creds");
        ExecutorWorld.await(TIMEOUT, "the pods rolled onto the user's Secret", () -> shop.allMount(2, List.of("orders-user-later", "pg-creds")));
        assertThat(shop.pods()).allSatisfy(p -> assertThat(mountedSecrets(p.getSpec().getVolumes())).doesNotContain("orders-user-etl"));
    }

    @Test
    void inASharedNamespaceAnotherTeamsSecretIsMountedOnlyOnceLabelledForTheCluster() {
        // the database password cluster orders' connectors use, made by orders' team: no Coxswain label, nothing for mall
        client.resource(new SecretBuilder().withNewMetadata().withName("orders-db").withNamespace(NAMESPACE)
                .addToLabels("mountable-by.coxswain.io/orders", "true").endMetadata().addToData("password", "b3Jk").build()).create();
        Cluster mall = new Cluster(shared, TestStates.created("mall", 1, 1));
        mall.fold(Commands.on("mall").issuer("a").commandId("mall-connect").setComponent("connect", 2, null, null, Map.of(), List.of("orders-db")));

        mall.pass("mall-connect");
        assertThat(mall.mountedSecrets()).as("labelled for orders, not for mall").isEmpty();
        ExecutorWorld.await(TIMEOUT, "both connect pods made by the StatefulSet controller", () -> mall.pods().size() == 2);
        assertThat(mall.pods()).allSatisfy(p -> assertThat(mountedSecrets(p.getSpec().getVolumes())).isEmpty());
        ExecutorWorld.await(TIMEOUT, "a Warning Event on mall-connect", () -> mall.notMounted().size() == 1);
        assertThat(mall.notMounted().get(0).getMessage()).contains("Secret orders-db", "namespace kafka is shared", "latest command mall-connect",
                "kubectl label secret orders-db -n kafka mountable-by.coxswain.io/mall=true", "(cluster mall)");

        List<String> uids = mall.podUids();
        mall.pass("resync");
        mall.pass("resync");
        assertThat(mall.podUids()).as("withheld alike pass after pass: no pod rolls").isEqualTo(uids);
        assertThat(mall.notMounted()).as("told once").hasSize(1);

        // the team means mall to read it after all: labelled, it is mounted at the next pass and the pods roll onto it once
        client.secrets().inNamespace(NAMESPACE).withName("orders-db").edit(s -> new SecretBuilder(s).editMetadata()
                .addToLabels("mountable-by.coxswain.io/mall", "true").endMetadata().build());
        mall.pass("resync");
        assertThat(mall.mountedSecrets()).containsExactly("orders-db");
        ExecutorWorld.await(TIMEOUT, "the pods rolled onto the labelled Secret", () -> mall.allMount(2, List.of("orders-db")));
        List<String> rolled = mall.podUids();
        mall.pass("resync");
        assertThat(mall.podUids()).as("rolled once").isEqualTo(rolled);
    }

    @Test
    void inANamespaceOfItsOwnTheClustersSecretsAreMountedWithoutALabelButKeysCoxswainMadeAreNot() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("solo").endMetadata().build()).create();
        client.resource(new SecretBuilder().withNewMetadata().withName("pg-creds").withNamespace("solo").endMetadata()
                .addToData("password", "cGc=").build()).create();
        // a user Secret Coxswain made, copied under a name of the team's own, labels and all
        client.resource(new SecretBuilder(TlsSecrets.client(ClusterNames.of("solo", "solo"), "etl", "CA", new KeyMaterial("CERT", "KEY")))
                .editMetadata().withName("etl-copy").endMetadata().build()).create();
        Cluster solo = new Cluster(owned, TestStates.created("solo", 1, 1));
        solo.fold(Commands.on("solo").issuer("a").commandId("solo-connect").setComponent("connect", 1, null, null, Map.of(),
                List.of("etl-copy", "pg-creds")));
        solo.pass("solo-connect");
        assertThat(solo.mountedSecrets()).containsExactly("pg-creds");
        ExecutorWorld.await(TIMEOUT, "a Warning Event on solo-connect", () -> solo.notMounted().size() == 1);
        assertThat(solo.notMounted().get(0).getMessage()).contains("Secret etl-copy", "which Coxswain made").doesNotContain("mountable-by");
    }

    /** A cluster of this test, with what its connect component runs and mounts. */
    private static final class Cluster extends FoldedCluster {

        Cluster(ClusterReconciler reconciler, ClusterState state) {
            super(reconciler, sink, state);
        }

        private String namespace() {
            return client.apps().statefulSets().inAnyNamespace().list().getItems().stream()
                    .filter(s -> s.getMetadata().getName().equals(connect())).findFirst().map(s -> s.getMetadata().getNamespace()).orElseThrow();
        }

        private String connect() {
            return state.getClusterId() + "-connect";
        }

        StatefulSet statefulSet() {
            return client.apps().statefulSets().inNamespace(namespace()).withName(connect()).get();
        }

        /** The Secrets the StatefulSet's pod template mounts for config providers. */
        List<String> mountedSecrets() {
            return ExecComponentSecretGuardSandboxTest.mountedSecrets(statefulSet().getSpec().getTemplate().getSpec().getVolumes());
        }

        List<Pod> pods() {
            return client.pods().inNamespace(namespace()).withLabels(ClusterNames.of(state.getClusterId(), namespace()).selector("connect"))
                    .list().getItems();
        }

        /** Whether {@code count} pods run, each mounting exactly {@code secrets} (one listing: a roll under way shows as such). */
        boolean allMount(int count, List<String> secrets) {
            List<Pod> pods = pods();
            return pods.size() == count && pods.stream().allMatch(p -> ExecComponentSecretGuardSandboxTest.mountedSecrets(p.getSpec().getVolumes()).equals(secrets));
        }

        List<String> podUids() {
            return pods().stream().map(p -> p.getMetadata().getUid()).sorted().toList();
        }

        List<Event> notMounted() {
            return client.v1().events().inNamespace(namespace()).list().getItems().stream().filter(e -> "SecretNotMounted".equals(e.getReason())
                    && e.getInvolvedObject().getName().equals(connect())).toList();
        }
    }

    /** The Secrets mounted for the component's config providers (its own volumes, the CA's and the config, left aside). */
    private static List<String> mountedSecrets(List<Volume> volumes) {
        return volumes.stream().filter(v -> v.getName().startsWith("user-secret-")).map(v -> v.getSecret().getSecretName())
                .filter(Objects::nonNull).toList();
    }
}
