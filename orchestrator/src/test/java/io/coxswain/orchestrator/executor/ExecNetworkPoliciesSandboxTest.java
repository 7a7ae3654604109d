package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClusterRemovedObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.PolicyVerdicts.Source;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.model.Ports;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.ClusterReconciler;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.sandbox.kube.PodRuntime;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster's NetworkPolicies against the sandbox Kubernetes (mock API server in CRUD mode, StatefulSet controller, kubelet),
 * reconciled as every other object: made with the cluster, put back when edited or deleted, widened for a component added,
 * still fencing the pods a scale-out adds, gone with the cluster; and never touched by an installation that turned them off.
 * What they admit is read off the live policies and the live pods' labels ({@link PolicyVerdicts}): the mock server enforces nothing.
 */
class ExecNetworkPoliciesSandboxTest {

    private static final String COXSWAIN = "coxswain";
    private static final String ID = "shop";
    private static final ClusterNames NAMES = ClusterNames.of(ID, "{cluster}");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SandboxKubernetes kube;
    private KubernetesClient client;
    private RecordingSink sink;

    @BeforeEach
    void start() {
        kube = SandboxKubernetes.start(0, PodRuntime.readyAtOnce());
        client = kube.client();
        sink = new RecordingSink();
    }

    @AfterEach
    void stop() {
        if (kube != null) {
            kube.close();
        }
    }

    @Test
    void thePoliciesAreMadeRepairedFollowTheClusterAndGoWithIt() {
        FoldedCluster shop = new FoldedCluster(reconciler(ModelSettings.defaults()), sink, TestStates.created(ID, 3, 1));
        shop.pass("create-1");
        assertThat(actions(ResourceAction.CREATE)).contains("NetworkPolicy/shop-controller", "NetworkPolicy/shop-broker");
        Pod broker0 = awaitPod(ID + "-broker-0");
        Pod controller0 = awaitPod(ID + "-controller-0");
        assertThat(PolicyVerdicts.selects(policy(KafkaRole.CONTROLLER), ID, labels(controller0))).isTrue();
        assertThat(PolicyVerdicts.admits(policy(KafkaRole.CONTROLLER), from(broker0), Ports.CONTROLLER)).isTrue();
        assertThat(PolicyVerdicts.admits(policy(KafkaRole.CONTROLLER), Source.pod(COXSWAIN, Map.of("app.kubernetes.io/name", "coxswain")),
                Ports.CONTROLLER)).as("Coxswain's pods, in the namespace the executor runs in").isTrue();
        assertThat(PolicyVerdicts.admits(policy(KafkaRole.CONTROLLER), Source.pod("apps", Map.of("app", "orders")), Ports.CONTROLLER)).isFalse();

        // opened to everyone by hand: put back as built, recorded as a repair
        NetworkPolicy built = policy(KafkaRole.CONTROLLER);
        client.network().v1().networkPolicies().inNamespace(ID).withName("shop-controller").edit(p -> {
            p.getSpec().setIngress(List.of(new NetworkPolicyIngressRule()));
            return p;
        });
        assertThat(PolicyVerdicts.admits(policy(KafkaRole.CONTROLLER), Source.pod("apps", Map.of("app", "orders")), Ports.CONTROLLER)).isTrue();
        client.network().v1().networkPolicies().inNamespace(ID).withName("shop-broker").delete();
        ExecutorWorld.await(TIMEOUT, "the broker policy deleted", () -> policyOrNull(KafkaRole.BROKER) == null);
        shop.pass("resync");
        assertThat(repairs()).containsExactly(
                "NetworkPolicy/shop-controller NetworkPolicy shop-controller was edited outside Coxswain; putting back its owned fields",
                "NetworkPolicy/shop-broker NetworkPolicy shop-broker was missing (deleted outside Coxswain); re-creating it");
        assertThat(policy(KafkaRole.CONTROLLER).getSpec()).isEqualTo(built.getSpec());
        assertThat(PolicyVerdicts.admits(policy(KafkaRole.CONTROLLER), Source.pod("apps", Map.of("app", "orders")), Ports.CONTROLLER)).isFalse();
        assertThat(policyOrNull(KafkaRole.BROKER)).isNotNull();

        // a scale-out's pod is fenced and admitted by the same policies, unchanged
        String brokerPolicy = policy(KafkaRole.BROKER).getMetadata().getResourceVersion();
        shop.fold(Commands.on(ID).commandId("scale-1").scaleBrokers(2));
        shop.pass("scale-1");
        Pod broker1 = awaitPod(ID + "-broker-1");
        assertThat(PolicyVerdicts.selects(policy(KafkaRole.BROKER), ID, labels(broker1))).isTrue();
        assertThat(PolicyVerdicts.admits(policy(KafkaRole.CONTROLLER), from(broker1), Ports.CONTROLLER)).isTrue();
        assertThat(PolicyVerdicts.admits(policy(KafkaRole.BROKER), from(broker1), Ports.REPLICATION)).isTrue();
        assertThat(policy(KafkaRole.BROKER).getMetadata().getResourceVersion()).isEqualTo(brokerPolicy);

        // a component added: the brokers' replication listener admits its pods, the controllers' quorum port does not
        shop.state = TestStates.withComponent(shop.state, "schema-registry", 1, Map.of());
        shop.pass("set-sr");
        assertThat(actions(ResourceAction.UPDATE)).contains("NetworkPolicy/shop-broker").doesNotContain("NetworkPolicy/shop-controller");
        Pod registry = awaitPod(ID + "-schema-registry-0");
        assertThat(PolicyVerdicts.admits(policy(KafkaRole.BROKER), from(registry), Ports.REPLICATION)).isTrue();
        assertThat(PolicyVerdicts.admits(policy(KafkaRole.CONTROLLER), from(registry), Ports.CONTROLLER)).isFalse();

        // DeleteCluster takes them with everything else
        shop.fold(Commands.on(ID).commandId("delete-1").deleteCluster(false));
        ExecutorWorld.await(TIMEOUT, "the cluster removed", () -> {
            shop.pass("delete-1");
            return shop.recorded().stream().anyMatch(ClusterRemovedObserved.class::isInstance);
        });
        assertThat(actions(ResourceAction.DELETE)).contains("NetworkPolicy/shop-controller", "NetworkPolicy/shop-broker");
        assertThat(client.network().v1().networkPolicies().inNamespace(ID).list().getItems()).isEmpty();
    }

    @Test
    void anInstallationThatTurnedThemOffNeitherMakesNorTouchesAny() {
        FoldedCluster shop = new FoldedCluster(reconciler(ModelSettings.defaults().withNetworkPolicies(false)), sink, TestStates.created(ID, 1, 1));
        shop.pass("create-1");
        assertThat(client.apps().statefulSets().inNamespace(ID).list().getItems()).as("the cluster is made as ever").hasSize(2);
        assertThat(client.network().v1().networkPolicies().inNamespace(ID).list().getItems()).isEmpty();
        assertThat(actions(ResourceAction.CREATE)).noneMatch(a -> a.startsWith("NetworkPolicy/"));

        // policies made while they were on stay as they are: another regime owns them now, and a pass neither repairs nor prunes them
        FoldedCluster earlier = new FoldedCluster(reconciler(ModelSettings.defaults()), sink, shop.state);
        earlier.pass("resync");
        client.network().v1().networkPolicies().inNamespace(ID).withName("shop-controller").edit(p -> {
            p.getSpec().setIngress(List.of(new NetworkPolicyIngressRule()));
            return p;
        });
        List<String> before = liveNetworkPolicies();
        sink.clear();
        shop.pass("resync");
        shop.fold(Commands.on(ID).commandId("delete-1").deleteCluster(false));
        ExecutorWorld.await(TIMEOUT, "the cluster removed", () -> {
            shop.pass("delete-1");
            return shop.recorded().stream().anyMatch(ClusterRemovedObserved.class::isInstance);
        });
        assertThat(liveNetworkPolicies()).isEqualTo(before).hasSize(2);
        assertThat(sink.of(ResourceActionObserved.class)).noneMatch(a -> a.getKind().equals("NetworkPolicy"));
        assertThat(client.apps().statefulSets().inNamespace(ID).list().getItems()).isEmpty();
    }

    @Test
    void anUpgradeThatBringsThePoliciesCreatesThemAndRepairsOnlyWhatIsDeletedAfter() {
        // a cluster reconciled with the policies off (as by a Coxswain that had none), its workloads reported in its state
        FoldedCluster before = new FoldedCluster(reconciler(ModelSettings.defaults().withNetworkPolicies(false)), sink, TestStates.created(ID, 1, 1));
        before.pass("create-1");
        awaitPod(ID + "-broker-0");
        before.pass("resync");
        assertThat(before.state.getStatus().getComponents()).containsKeys(KafkaRole.CONTROLLER.statusKey(), KafkaRole.BROKER.statusKey());
        sink.clear();

        // the upgraded executor's first pass makes them: a creation, not a repair of something nobody deleted
        FoldedCluster upgraded = new FoldedCluster(reconciler(ModelSettings.defaults()), sink, before.state);
        upgraded.pass("resync");
        assertThat(actions(ResourceAction.CREATE)).containsExactly("NetworkPolicy/shop-controller", "NetworkPolicy/shop-broker");
        assertThat(repairs()).isEmpty();
        assertThat(actions(ResourceAction.UPDATE)).as("the record of what Coxswain made now lists them").containsExactly("ConfigMap/shop-made-objects");

        // deleted by hand: the next executor to own the cluster (a restart) repairs it, from the record alone
        client.network().v1().networkPolicies().inNamespace(ID).withName("shop-broker").delete();
        ExecutorWorld.await(TIMEOUT, "the broker policy deleted", () -> policyOrNull(KafkaRole.BROKER) == null);
        sink.clear();
        new FoldedCluster(reconciler(ModelSettings.defaults()), sink, upgraded.state).pass("resync");
        assertThat(repairs()).containsExactly("NetworkPolicy/shop-broker NetworkPolicy shop-broker was missing (deleted outside Coxswain); re-creating it");
        assertThat(actions(ResourceAction.CREATE)).isEmpty();
        assertThat(policyOrNull(KafkaRole.BROKER)).isNotNull();
    }

    private ClusterReconciler reconciler(ModelSettings settings) {
        KubeObjects objects = new KubeObjects(client);
        return new ClusterReconciler(objects, settings.withCoxswainNamespace(COXSWAIN), new ActionRecorder(sink, c -> true),
                new StatusReporter(new ComponentObserver(objects), sink, Duration.ofSeconds(10)), ClusterOperations.none(),
                ClusterNames::bootstrapServers);
    }

    private NetworkPolicy policyOrNull(KafkaRole role) {
        return client.network().v1().networkPolicies().inNamespace(ID).withName(NAMES.networkPolicy(role)).get();
    }

    private NetworkPolicy policy(KafkaRole role) {
        NetworkPolicy policy = policyOrNull(role);
        assertThat(policy).as(NAMES.networkPolicy(role)).isNotNull();
        return policy;
    }

    private List<String> liveNetworkPolicies() {
        return client.network().v1().networkPolicies().inNamespace(ID).list().getItems().stream()
                .map(p -> p.getMetadata().getName() + "@" + p.getMetadata().getResourceVersion()).sorted().toList();
    }

    /** The pod once the sandbox's StatefulSet controller has made it. */
    private Pod awaitPod(String name) {
        ExecutorWorld.await(TIMEOUT, "pod " + name, () -> client.pods().inNamespace(ID).withName(name).get() != null);
        return client.pods().inNamespace(ID).withName(name).get();
    }

    private static Map<String, String> labels(Pod pod) {
        return pod.getMetadata().getLabels();
    }

    private static Source from(Pod pod) {
        return Source.pod(pod.getMetadata().getNamespace(), labels(pod));
    }

    private List<String> actions(ResourceAction action) {
        return sink.actions(action).stream().map(a -> a.getKind() + "/" + a.getName()).toList();
    }

    private List<String> repairs() {
        return sink.actions(ResourceAction.REPAIR).stream().map(a -> a.getKind() + "/" + a.getName() + " " + a.getReason()).toList();
    }
}
