package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.ExecutorRefusalsObserved;
import io.coxswain.avro.command.ReconciledObserved;
import io.coxswain.avro.command.ResourceActionObserved;
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
import io.coxswain.orchestrator.fold.Phases;
import io.coxswain.sandbox.kube.PodRuntime;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against the sandbox Kubernetes (mock API server in CRUD mode, StatefulSet controller, kubelet): with the default template
 * {@code {cluster}} and Coxswain running in namespace {@code coxswain}, a cluster named {@code coxswain} gets nothing made,
 * changed or deleted there, not even by its DeleteCluster with deleteVolumes (which deletes a namespace labelled for the
 * cluster), while cluster {@code shop}, reconciled by the same reconciler, is made as ever. The operator is told once, as a
 * Warning Event in Coxswain's namespace.
 */
class ExecCoxswainNamespaceSandboxTest {

    private static final String COXSWAIN = "coxswain";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SandboxKubernetes kube;
    private KubernetesClient client;
    private ActionEvents events;
    private RecordingSink sink;
    private ClusterReconciler reconciler;

    @BeforeEach
    void start() {
        kube = SandboxKubernetes.start(0, PodRuntime.readyAtOnce());
        client = kube.client();
        // Coxswain's namespace, labelled as a namespace Coxswain once made for a cluster named like it: DeleteCluster with
        // deleteVolumes would delete it
        ClusterNames mapped = ClusterNames.of(COXSWAIN, COXSWAIN);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(COXSWAIN).withLabels(mapped.clusterSelector())
                .endMetadata().build()).create();
        client.resource(new SecretBuilder().withNewMetadata().withName("coxswain-tokens").withNamespace(COXSWAIN).endMetadata()
                .addToStringData("tokens", "ops-token ops").build()).create();
        sink = new RecordingSink();
        events = new ActionEvents(client, "exec-1", Clock.systemUTC());
        KubeObjects objects = new KubeObjects(client);
        reconciler = new ClusterReconciler(objects, ModelSettings.defaults().withCoxswainNamespace(COXSWAIN),
                new ActionRecorder(sink, c -> true, events), new StatusReporter(new ComponentObserver(objects), sink, Duration.ofSeconds(10)),
                ClusterOperations.none(), ClusterNames::bootstrapServers);
    }

    @AfterEach
    void stop() {
        if (events != null) {
            events.close();
        }
        if (kube != null) {
            kube.close();
        }
    }

    @Test
    void aClusterMappedIntoCoxswainsNamespaceGetsNothingThereWhileAnotherIsReconciled() {
        List<String> before = objectsIn(COXSWAIN);
        FoldedCluster mapped = new FoldedCluster(reconciler, sink, TestStates.created(COXSWAIN, 1, 1));
        FoldedCluster shop = new FoldedCluster(reconciler, sink, TestStates.created("shop", 1, 1));

        mapped.pass("create-coxswain");
        shop.pass("create-shop");
        mapped.pass("resync");

        assertThat(objectsIn(COXSWAIN)).as("nothing made or changed in Coxswain's namespace").isEqualTo(before);
        assertThat(mapped.recorded()).as("no action and no pass reported for the cluster, only the refusal, once over three passes")
                .singleElement().isInstanceOf(ExecutorRefusalsObserved.class);
        assertThat(mapped.state.getStatus().getReconciledIntentVersion()).isLessThan(mapped.state.getIntentVersion());
        assertThat(mapped.state.getStatus().getExecutorRefusals()).as("the state says why, for cox get and the gateway")
                .containsOnlyKeys("namespace").extractingByKey("namespace").satisfies(r -> {
                    assertThat(r.getReason()).contains("its namespace coxswain (--namespace-template {cluster})", "is the namespace Coxswain runs in",
                            "another --namespace-template", "delete the cluster (cox delete coxswain)");
                    assertThat(r.getCommandId()).isEqualTo("create-coxswain");
                });
        assertThat(shop.state.getStatus().getExecutorRefusals()).isEmpty();
        assertThat(client.apps().statefulSets().inNamespace("shop").list().getItems()).as("shop is reconciled as ever")
                .extracting(s -> s.getMetadata().getName()).contains("shop-controller", "shop-broker");
        assertThat(shop.recorded()).hasAtLeastOneElementOfType(ReconciledObserved.class).hasAtLeastOneElementOfType(ResourceActionObserved.class);

        ExecutorWorld.await(TIMEOUT, "a Warning Event in Coxswain's namespace", () -> notReconciled().size() == 1);
        Event event = notReconciled().get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Namespace");
        assertThat(event.getMessage()).contains("(cluster coxswain)", "its namespace coxswain", "latest command create-coxswain",
                "is the namespace Coxswain runs in", "another --namespace-template", "delete the cluster (cox delete coxswain)");
        mapped.pass("resync");
        assertThat(notReconciled()).as("told once").hasSize(1);
        assertThat(mapped.recorded()).as("reported once").hasSize(1);

        // the executors run with a template that maps the cluster elsewhere: it is reconciled, and the refusal leaves its state
        ClusterReconciler fixed = new ClusterReconciler(new KubeObjects(client), ModelSettings.defaults().withCoxswainNamespace(COXSWAIN)
                .withNamespaceTemplate("kafka-{cluster}"), new ActionRecorder(sink, c -> true, events),
                new StatusReporter(new ComponentObserver(new KubeObjects(client)), sink, Duration.ofSeconds(10)), ClusterOperations.none(),
                ClusterNames::bootstrapServers);
        FoldedCluster moved = new FoldedCluster(fixed, sink, mapped.state);
        moved.pass("resync");
        assertThat(moved.recorded()).hasAtLeastOneElementOfType(ReconciledObserved.class).hasAtLeastOneElementOfType(ExecutorRefusalsObserved.class);
        assertThat(moved.state.getStatus().getExecutorRefusals()).as("nothing refused any more").isEmpty();
        assertThat(objectsIn(COXSWAIN)).isEqualTo(before);
    }

    @Test
    void deletingAClusterMappedIntoCoxswainsNamespaceDeletesNothingThereAndFinishesOnceNothingOfItIsLeft() {
        // a ConfigMap labelled for the cluster, as an executor that did not know its namespace would have made it
        ClusterNames names = ClusterNames.of(COXSWAIN, COXSWAIN);
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("coxswain-broker-config").withNamespace(COXSWAIN)
                .withLabels(names.clusterSelector()).endMetadata().addToData("server.properties", "").build()).create();
        List<String> before = objectsIn(COXSWAIN);
        FoldedCluster mapped = new FoldedCluster(reconciler, sink, TestStates.created(COXSWAIN, 1, 1));
        FoldedCluster shop = new FoldedCluster(reconciler, sink, TestStates.created("shop", 1, 1));
        mapped.pass("create-coxswain");
        shop.pass("create-shop");
        mapped.fold(Commands.on(COXSWAIN).issuer("a").commandId("delete-coxswain").deleteCluster(true));
        shop.fold(Commands.on("shop").issuer("a").commandId("delete-shop").deleteCluster(true));

        mapped.pass("delete-coxswain");
        mapped.pass("resync");
        assertThat(client.namespaces().withName(COXSWAIN).get()).as("Coxswain's namespace is not deleted").isNotNull();
        assertThat(client.namespaces().withName(COXSWAIN).get().getMetadata().getDeletionTimestamp()).isNull();
        assertThat(objectsIn(COXSWAIN)).as("nothing deleted there, not even what is labelled for the cluster").isEqualTo(before);
        assertThat(mapped.recorded()).as("not removed while something of it is left").noneMatch(ClusterRemovedObserved.class::isInstance);
        assertThat(mapped.state.getStatus().getExecutorRefusals().get("namespace").getReason()).as("the state says what is left")
                .contains("DeleteCluster deletes nothing there", "ConfigMap/coxswain-broker-config");
        ExecutorWorld.await(TIMEOUT, "the operator told what is left", () -> notReconciled().stream()
                .anyMatch(e -> e.getMessage().contains("DeleteCluster deletes nothing there")));
        assertThat(notReconciled()).extracting(Event::getMessage).anySatisfy(m -> assertThat(m).contains("ConfigMap/coxswain-broker-config",
                "kubectl -n coxswain get all,secrets,configmaps,pdb,networkpolicies,pvc -l app.kubernetes.io/instance=coxswain"));

        // removed by hand: the deletion finishes, still without touching the namespace
        client.configMaps().inNamespace(COXSWAIN).withName("coxswain-broker-config").delete();
        ExecutorWorld.await(TIMEOUT, "the ConfigMap gone", () -> client.configMaps().inNamespace(COXSWAIN).withName("coxswain-broker-config").get() == null);
        mapped.pass("resync");
        assertThat(mapped.recorded()).hasAtLeastOneElementOfType(ClusterRemovedObserved.class)
                .noneMatch(o -> o instanceof ResourceActionObserved);
        assertThat(mapped.state.getStatus().getPhase()).isEqualTo(Phases.DELETED);
        assertThat(mapped.state.getStatus().getExecutorRefusals()).as("a removed cluster has nothing blocked").isEmpty();
        assertThat(client.namespaces().withName(COXSWAIN).get().getMetadata().getDeletionTimestamp()).isNull();
        assertThat(client.secrets().inNamespace(COXSWAIN).withName("coxswain-tokens").get()).isNotNull();

        // shop's deletion, in the same reconciler, deletes shop's objects and its namespace as ever
        shop.pass("delete-shop");
        // brokers first (ExecClusterRemovalOrderTest): the controllers go in the pass that finds no broker pod left
        ExecutorWorld.await(TIMEOUT, "shop's broker pods gone", () -> client.pods().inNamespace("shop")
                .withLabel("app.kubernetes.io/component", "broker").list().getItems().isEmpty());
        shop.pass("resync");
        assertThat(client.apps().statefulSets().inNamespace("shop").list().getItems()).isEmpty();
        ExecutorWorld.await(TIMEOUT, "shop's pods gone", () -> client.pods().inNamespace("shop").list().getItems().isEmpty());
        shop.pass("resync");
        assertThat(shop.state.getStatus().getPhase()).isEqualTo(Phases.DELETED);
        assertThat(client.namespaces().withName("shop").get()).satisfiesAnyOf(ns -> assertThat(ns).isNull(),
                ns -> assertThat(ns.getMetadata().getDeletionTimestamp()).isNotNull());
    }

    /** Every object in the namespace with its resourceVersion, Events left aside (those are Coxswain's notes to the operator). */
    private List<String> objectsIn(String namespace) {
        List<String> objects = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : KubeObjects.OWNED_KINDS) {
            client.resources(kind).inNamespace(namespace).list().getItems().forEach(o -> objects.add(o.getKind() + "/"
                    + o.getMetadata().getName() + "@" + o.getMetadata().getResourceVersion()));
        }
        client.pods().inNamespace(namespace).list().getItems().forEach(o -> objects.add("Pod/" + o.getMetadata().getName()));
        client.persistentVolumeClaims().inNamespace(namespace).list().getItems().forEach(o -> objects.add("PVC/" + o.getMetadata().getName()));
        return objects.stream().sorted().toList();
    }

    private List<Event> notReconciled() {
        return client.v1().events().inNamespace(COXSWAIN).list().getItems().stream()
                .filter(e -> "ClusterNotReconciled".equals(e.getReason())).toList();
    }
}
