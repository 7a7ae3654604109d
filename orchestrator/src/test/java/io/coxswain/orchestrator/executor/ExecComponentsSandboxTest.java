package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.ClusterReconciler;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.sandbox.kafka.SharedKafka;
import io.coxswain.sandbox.kafkapods.KafkaNodes;
import io.coxswain.sandbox.kafkapods.KafkaPodRuntime;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Platform components against the sandbox Kubernetes (StatefulSet controller, kubelet) with the
 * runtime of {@code --pods=real}: the reconciler makes their objects, their pods become Ready
 * without a Kafka node behind them, their status is folded from the recorded observations, drift
 * is repaired, a removed component goes and DeleteCluster takes everything. The spec's components
 * are written into the state directly, so this does not depend on the fold of SetComponent.
 */
class ExecComponentsSandboxTest {

    private static final String ID = "shop";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ClusterNames NAMES = ClusterNames.of(ID, "{cluster}");
    private static final AtomicReference<KafkaPodRuntime> runtime = new AtomicReference<>();
    private static Path root;
    private static SandboxKubernetes kube;
    private static KubernetesClient client;
    private static RecordingSink sink;
    private static ClusterReconciler reconciler;
    /** Observations recorded so far and not yet folded into {@link #state}. */
    private static int folded;
    private static ClusterState state;

    @BeforeAll
    static void start() throws IOException {
        root = Files.createTempDirectory("coxswain-components");
        kube = SandboxKubernetes.start(0, c -> {
            runtime.set(new KafkaPodRuntime(c, KafkaNodes.inProcess(), root));
            return runtime.get();
        });
        // the Kafka pods are held not ready: a held pod starts no Kafka node, and this test is about the components
        kube.setNeverReady(name -> name.startsWith(ID + "-controller-") || name.startsWith(ID + "-broker-"));
        client = kube.client();
        sink = new RecordingSink();
        KubeObjects objects = new KubeObjects(client);
        reconciler = new ClusterReconciler(objects, ModelSettings.defaults(), new ActionRecorder(sink, c -> true),
                new StatusReporter(new ComponentObserver(objects), sink, Duration.ofSeconds(10)), ClusterOperations.none(),
                ClusterNames::bootstrapServers);
    }

    @AfterAll
    static void stop() {
        if (kube != null) {
            kube.close();
        }
        SharedKafka.deleteQuietly(root);
    }

    @Test
    void componentsAreCreatedBecomeReadyAreRepairedRemovedAndDeletedWithTheCluster() {
        state = TestStates.created(ID, 1, 1);
        pass("create-1");
        int kafkaActions = sink.actions(ResourceAction.CREATE).size();

        // added to a running cluster: created (not "repaired"), each action recorded with its reason
        state = TestStates.withComponent(TestStates.withComponent(state, "schema-registry", 2, Map.of()), "connect", 1, Map.of());
        long asking = state.getVersion();
        pass("set-components");
        List<ResourceActionObserved> creates = sink.actions(ResourceAction.CREATE);
        assertThat(creates.subList(kafkaActions, creates.size())).extracting(a -> a.getKind() + "/" + a.getName()).containsExactly(
                "ConfigMap/shop-schema-registry-config", "Service/shop-schema-registry-headless", "Service/shop-schema-registry",
                "PodDisruptionBudget/shop-schema-registry", "StatefulSet/shop-schema-registry",
                "ConfigMap/shop-connect-config", "Service/shop-connect-headless", "Service/shop-connect",
                "PodDisruptionBudget/shop-connect", "StatefulSet/shop-connect");
        assertThat(creates.subList(kafkaActions, creates.size())).allSatisfy(a -> {
            assertThat(a.getCauseCommandId()).isEqualTo("set-components");
            assertThat(a.getReason()).startsWith("cluster state v" + asking + " asks for");
        });
        assertThat(sink.actions(ResourceAction.REPAIR)).isEmpty();
        assertThat(client.apps().statefulSets().inNamespace(ID).withName("shop-schema-registry").get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ID).withName("shop-connect").get()).isNotNull();

        // the pods become Ready in the sandbox, and the status, folded from what was recorded, says so
        awaitStatus("schema-registry 2/2 and connect 1/1", s -> ready(s, "schema-registry", 2) && ready(s, "connect", 1));
        assertThat(state.getStatus().getComponents().get("schema-registry")).satisfies(c -> {
            assertThat(c.getVersions()).containsExactly("8.0.0");
            assertThat(c.getImage()).isEqualTo("confluentinc/cp-schema-registry:8.0.0");
        });
        assertThat(sink.of(ComponentObserved.class)).extracting(c -> c.getComponent() + " " + c.getDesired() + "/" + c.getReady())
                .contains("schema-registry 2/2", "connect 1/1");
        assertThat(runtime.get().nodes().pods()).as("no Kafka node runs for a component's pod").isEmpty();

        // one more replica: the StatefulSet scales, and the pods already running are not touched
        Map<String, String> before = uidsByPod("schema-registry");
        state = TestStates.withComponent(state, "schema-registry", 3, Map.of());
        awaitStatus("schema-registry 3/3", s -> ready(s, "schema-registry", 3));
        Map<String, String> scaled = uidsByPod("schema-registry");
        assertThat(scaled).hasSize(3).containsAllEntriesOf(before);
        String revision = revisions("schema-registry").iterator().next();
        assertThat(revisions("schema-registry")).as("one pod template for all three").containsExactly(revision);

        // a config change: the ConfigMap says it, the template's config hash changes, and Kubernetes (the
        // sandbox's StatefulSet controller) replaces every pod with one of the new revision
        int updatesBefore = sink.actions(ResourceAction.UPDATE).size();
        state = TestStates.withComponent(state, "schema-registry", 3, Map.of("schema.compatibility.level", "full"));
        long configured = state.getVersion();
        pass("configure-sr");
        assertThat(client.configMaps().inNamespace(ID).withName("shop-schema-registry-config").get().getData().values())
                .anySatisfy(file -> assertThat(file).contains("schema.compatibility.level=full"));
        List<ResourceActionObserved> updates = sink.actions(ResourceAction.UPDATE);
        assertThat(updates.subList(updatesBefore, updates.size())).extracting(a -> a.getKind() + "/" + a.getName() + " " + a.getReason())
                .contains("StatefulSet/shop-schema-registry cluster state v" + configured + " changes StatefulSet shop-schema-registry",
                        "ConfigMap/shop-schema-registry-config cluster state v" + configured + " changes ConfigMap shop-schema-registry-config");
        ExecutorWorld.await(TIMEOUT, "every schema-registry pod replaced by one of the new revision", () -> {
            pass("configure-sr");
            List<String> now = List.copyOf(revisions("schema-registry"));
            return now.size() == 1 && !now.get(0).equals(revision) && pods("schema-registry").size() == 3
                    && ready(state, "schema-registry", 3);
        });
        assertThat(uidsByPod("schema-registry").values()).as("new pods, not the old ones").doesNotContainAnyElementsOf(scaled.values());

        // a component's Service deleted by hand is put back, and the repair is recorded
        client.services().inNamespace(ID).withName("shop-schema-registry").delete();
        pass("set-components");
        assertThat(sink.actions(ResourceAction.REPAIR)).extracting(a -> a.getKind() + "/" + a.getName() + " " + a.getReason())
                .containsExactly("Service/shop-schema-registry Service shop-schema-registry was missing (deleted outside Coxswain); re-creating it");
        assertThat(client.services().inNamespace(ID).withName("shop-schema-registry").get()).isNotNull();

        // connect removed from the spec: its objects go, the schema registry's stay, connect is no longer reported
        state = TestStates.withoutComponent(state, "connect");
        int deletesBefore = sink.actions(ResourceAction.DELETE).size();
        int reportsBefore = sink.of(ComponentObserved.class).size();
        long removing = state.getVersion();
        pass("remove-connect");
        List<ResourceActionObserved> deletes = sink.actions(ResourceAction.DELETE);
        assertThat(deletes.subList(deletesBefore, deletes.size())).extracting(a -> a.getKind() + "/" + a.getName()).containsExactlyInAnyOrder(
                "ConfigMap/shop-connect-config", "Service/shop-connect-headless", "Service/shop-connect",
                "PodDisruptionBudget/shop-connect", "StatefulSet/shop-connect");
        assertThat(deletes.subList(deletesBefore, deletes.size()))
                .allSatisfy(a -> assertThat(a.getReason()).isEqualTo("cluster state v" + removing + " no longer asks for "
                        + a.getKind() + " " + a.getName()));
        ExecutorWorld.await(TIMEOUT, "connect's pods gone", () -> pods("connect").isEmpty());
        assertThat(owned()).noneMatch(o -> o.getMetadata().getName().startsWith("shop-connect"))
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains("StatefulSet/shop-schema-registry", "Service/shop-schema-registry", "Service/shop-schema-registry-headless",
                        "ConfigMap/shop-schema-registry-config", "PodDisruptionBudget/shop-schema-registry");
        assertThat(pods("schema-registry")).hasSize(3);
        pass("remove-connect");
        assertThat(sink.of(ComponentObserved.class).subList(reportsBefore, sink.of(ComponentObserved.class).size()))
                .noneMatch(c -> c.getComponent().equals("connect"));

        // DeleteCluster takes the components with the cluster
        state = Evolve.apply(state, Commands.on(ID).commandId("delete-1").deleteCluster(false));
        ExecutorWorld.await(TIMEOUT, "the cluster removed", () -> {
            pass("delete-1");
            return !sink.of(ClusterRemovedObserved.class).isEmpty();
        });
        assertThat(sink.actions(ResourceAction.DELETE)).extracting(a -> a.getKind() + "/" + a.getName())
                .contains("StatefulSet/shop-schema-registry", "Service/shop-schema-registry", "Service/shop-schema-registry-headless",
                        "ConfigMap/shop-schema-registry-config", "PodDisruptionBudget/shop-schema-registry");
        assertThat(owned()).isEmpty();
        assertThat(client.pods().inNamespace(ID).list().getItems()).isEmpty();
    }

    /** One reconcile, then what it recorded folded into the state, as the topology would. */
    private static void pass(String cause) {
        reconciler.reconcile(new ReconcilePass(state, cause));
        List<Object> recorded = sink.all();
        for (Object o : recorded.subList(folded, recorded.size())) {
            state = Evolve.apply(state, Commands.on(ID).commandId("obs-" + state.getVersion()).observation("test", o));
        }
        folded = recorded.size();
    }

    private static void awaitStatus(String what, Predicate<ClusterState> condition) {
        ExecutorWorld.await(TIMEOUT, what, () -> {
            pass("set-components");
            return condition.test(state);
        });
    }

    private static boolean ready(ClusterState s, String component, int replicas) {
        ComponentStatus c = s.getStatus().getComponents().get(component);
        return c != null && c.getDesired() == replicas && c.getReady() == replicas;
    }

    private static Map<String, String> uidsByPod(String component) {
        Map<String, String> uids = new java.util.TreeMap<>();
        pods(component).forEach(p -> uids.put(p.getMetadata().getName(), p.getMetadata().getUid()));
        return uids;
    }

    /** The StatefulSet revisions the component's pods were made from. */
    private static java.util.Set<String> revisions(String component) {
        java.util.Set<String> revisions = new java.util.TreeSet<>();
        pods(component).forEach(p -> revisions.add(p.getMetadata().getLabels().get("controller-revision-hash")));
        return revisions;
    }

    private static List<Pod> pods(String component) {
        return client.pods().inNamespace(ID).withLabels(NAMES.selector(component)).list().getItems();
    }

    /** Every object of the cluster Coxswain makes in its namespace. */
    private static List<HasMetadata> owned() {
        List<HasMetadata> all = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : KubeObjects.OWNED_KINDS) {
            all.addAll(client.resources(kind).inNamespace(ID).withLabels(NAMES.clusterSelector()).list().getItems());
        }
        return all;
    }
}
