package io.coxswain.orchestrator.executor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ExternalAccess;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.PolicyVerdicts;
import io.coxswain.orchestrator.executor.PolicyVerdicts.Source;
import io.coxswain.orchestrator.executor.TestStates;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies of a cluster, judged by what they admit: pods are labelled as the model's own pod templates label
 * them (and Coxswain's as deploy/kubernetes does), so a label changed on either side fails here.
 */
class ExecNetworkPoliciesTest {

    private static final String COXSWAIN = "platform";
    private static final Map<String, String> COXSWAIN_POD = Map.of("app.kubernetes.io/name", "coxswain");

    private final ModelSettings settings = ModelSettings.defaults().withCoxswainNamespace(COXSWAIN);
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ClusterState state = TestStates.withComponent(TestStates.created("payments", 3, 3), "schema-registry", 1, Map.of());

    private final Source controller = Source.pod("payments", podLabels(KafkaRole.CONTROLLER));
    private final Source broker = Source.pod("payments", podLabels(KafkaRole.BROKER));
    private final Source schemaRegistry = Source.pod("payments", componentLabels(state, PlatformComponent.SCHEMA_REGISTRY));
    private final Source coxswain = Source.pod(COXSWAIN, COXSWAIN_POD);

    @Test
    void theControllersQuorumPortAdmitsTheClustersNodesAndCoxswainOnly() {
        NetworkPolicy policy = policy(state, KafkaRole.CONTROLLER);
        assertThat(PolicyVerdicts.selects(policy, "payments", podLabels(KafkaRole.CONTROLLER))).isTrue();
        assertThat(PolicyVerdicts.selects(policy, "payments", podLabels(KafkaRole.BROKER))).as("the brokers have their own").isFalse();

        assertThat(List.of(controller, broker, coxswain)).allSatisfy(from ->
                assertThat(PolicyVerdicts.admits(policy, from, Ports.CONTROLLER)).as("from %s", from).isTrue());
        ClusterNames orders = ClusterNames.of("orders", "payments"); // another cluster sharing the namespace
        assertThat(List.of(
                Source.pod("payments", Map.of()),
                Source.pod("payments", orders.selector(KafkaRole.BROKER)),
                Source.pod("elsewhere", podLabels(KafkaRole.BROKER)),
                schemaRegistry,
                Source.pod("elsewhere", COXSWAIN_POD),
                Source.pod(COXSWAIN, Map.of("app.kubernetes.io/name", "gateway-test")),
                Source.HOST)).allSatisfy(from ->
                assertThat(PolicyVerdicts.admits(policy, from, Ports.CONTROLLER)).as("from %s", from).isFalse());
    }

    @Test
    void theMetricsPortIsOpenToAnyScraperWhereverItRuns() {
        for (KafkaRole role : KafkaRole.values()) {
            NetworkPolicy policy = policy(state, role);
            assertThat(List.of(Source.HOST, Source.pod("monitoring", Map.of("app", "prometheus")), Source.pod("payments", Map.of())))
                    .allSatisfy(from -> assertThat(PolicyVerdicts.admits(policy, from, Ports.METRICS)).as("%s from %s", role, from).isTrue());
        }
        assertThat(PolicyVerdicts.admits(policy(state, KafkaRole.CONTROLLER), Source.HOST, Ports.CLIENTS))
                .as("no other port of a controller, listening or not").isFalse();
    }

    @Test
    void theBrokersReplicationListenerAdmitsTheClustersPodsItsComponentsAndCoxswainWhileClientListenersStayOpen() {
        ClusterState everyListener = TestStates.withComponent(TestStates.created("payments",
                TestStates.create(3, 3).setExternalAccess(ExternalAccess.LOAD_BALANCER).build()), "schema-registry", 1, Map.of());
        everyListener.getSpec().setScramListener(true);
        NetworkPolicy policy = policy(everyListener, KafkaRole.BROKER);
        assertThat(PolicyVerdicts.selects(policy, "payments", podLabels(KafkaRole.BROKER))).isTrue();

        assertThat(List.of(controller, broker, schemaRegistry, coxswain)).allSatisfy(from ->
                assertThat(PolicyVerdicts.admits(policy, from, Ports.REPLICATION)).as("from %s", from).isTrue());
        Source connect = Source.pod("payments", names.selector(PlatformComponent.CONNECT.componentName()));
        assertThat(List.of(connect, Source.pod("payments", Map.of()), Source.pod("apps", Map.of("app", "orders")), Source.HOST))
                .as("connect is not one of this cluster's components").allSatisfy(from ->
                        assertThat(PolicyVerdicts.admits(policy, from, Ports.REPLICATION)).as("from %s", from).isFalse());

        Source application = Source.pod("apps", Map.of("app", "orders"));
        assertThat(List.of(Ports.CLIENTS, Ports.SCRAM, Ports.EXTERNAL, Ports.EXTERNAL_SCRAM, Ports.METRICS)).allSatisfy(port -> {
            assertThat(PolicyVerdicts.admits(policy, application, port)).as("port %s from an application", port).isTrue();
            assertThat(PolicyVerdicts.admits(policy, Source.HOST, port)).as("port %s through a node port", port).isTrue();
        });
    }

    @Test
    void aComponentAddedJoinsTheBrokersPeersAndEveryPortOfThePodsAndServicesIsDecided() {
        ClusterState both = TestStates.withComponent(state, "connect", 1, Map.of());
        Source connect = Source.pod("payments", componentLabels(both, PlatformComponent.CONNECT));
        assertThat(PolicyVerdicts.admits(policy(state, KafkaRole.BROKER), connect, Ports.REPLICATION)).isFalse();
        assertThat(PolicyVerdicts.admits(policy(both, KafkaRole.BROKER), connect, Ports.REPLICATION)).isTrue();
        assertThat(PolicyVerdicts.admits(policy(both, KafkaRole.CONTROLLER), connect, Ports.CONTROLLER)).isFalse();

        ClusterState everyListener = TestStates.created("payments", TestStates.create(3, 3).setExternalAccess(ExternalAccess.NODE_PORT).build());
        everyListener.getSpec().setScramListener(true);
        DesiredCluster desired = DesiredCluster.of(everyListener, settings, DesiredCluster.Inputs.of(everyListener));
        for (KafkaRole role : KafkaRole.values()) {
            NetworkPolicy policy = policy(everyListener, role);
            List<Integer> listed = policy.getSpec().getIngress().stream().flatMap(r -> r.getPorts().stream())
                    .map(p -> p.getPort().getIntVal()).toList();
            assertThat(listed).as("%s: each container port in one rule", role)
                    .containsExactlyInAnyOrderElementsOf(KafkaPodTemplate.ports(everyListener.getSpec(), role).stream()
                            .map(ContainerPort::getContainerPort).toList());
            assertThat(desired.objects()).filteredOn(o -> o instanceof Service s && s.getSpec().getSelector().entrySet()
                            .containsAll(names.selector(role).entrySet()))
                    .flatExtracting(o -> ((Service) o).getSpec().getPorts()).extracting(ServicePort::getPort)
                    .as("%s: every port its Services reach is one the policy decides", role).isSubsetOf(listed);
        }
    }

    @Test
    void desiredClusterCarriesThePoliciesBeforeThePodsWithTheClustersLabelsUnlessTheInstallationTurnedThemOff() {
        ClusterState labelled = TestStates.created("payments", TestStates.create(3, 3).setLabels(Map.of("team", "payments")).build());
        List<HasMetadata> objects = DesiredCluster.of(labelled, settings, DesiredCluster.Inputs.of(labelled)).objects();
        List<String> ids = objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
        assertThat(ids).containsSubsequence("NetworkPolicy/payments-controller", "NetworkPolicy/payments-broker", "StatefulSet/payments-controller");
        assertThat(objects).filteredOn(o -> o instanceof NetworkPolicy).hasSize(2).allSatisfy(p -> {
            assertThat(p.getMetadata().getNamespace()).isEqualTo("payments");
            assertThat(p.getMetadata().getLabels()).containsAllEntriesOf(names.clusterSelector()).containsEntry("team", "payments");
        });

        assertThat(DesiredCluster.of(labelled, settings.withNetworkPolicies(false), DesiredCluster.Inputs.of(labelled)).objects())
                .noneMatch(o -> o instanceof NetworkPolicy).hasSize(objects.size() - 2);
        assertThat(PolicyVerdicts.admits(policy(state, KafkaRole.CONTROLLER, null), coxswain, Ports.CONTROLLER))
                .as("Coxswain's namespace not known: none of its pods can be told from others'").isFalse();
    }

    private NetworkPolicy policy(ClusterState s, KafkaRole role) {
        return policy(s, role, COXSWAIN);
    }

    private NetworkPolicy policy(ClusterState s, KafkaRole role, String coxswainNamespace) {
        return KafkaNetworkPolicies.build(s.getSpec(), names, role, coxswainNamespace);
    }

    private Map<String, String> podLabels(KafkaRole role) {
        return KafkaStatefulSets.build(state.getSpec(), names, role, 3, settings).getSpec().getTemplate().getMetadata().getLabels();
    }

    private Map<String, String> componentLabels(ClusterState s, PlatformComponent component) {
        return ComponentStatefulSets.build(s.getSpec(), names, component, settings).getSpec().getTemplate().getMetadata().getLabels();
    }
}
