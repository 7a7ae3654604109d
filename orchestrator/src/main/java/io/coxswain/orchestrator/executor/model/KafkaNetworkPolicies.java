package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.commands.shape.PlatformComponent;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code networking.k8s.io/v1} NetworkPolicy per Kafka role, selecting the role's pods, so that the control plane is
 * fenced: a pod anywhere in the Kubernetes cluster could otherwise join the KRaft quorum's port or the brokers' replication
 * listener. Each admits, on the role's ports as its pod template declares them:
 * <ul>
 *   <li>the fenced ports (the controllers' quorum port, the brokers' replication listener) from the same cluster's
 *       controllers and brokers, on the brokers also its platform components, and Coxswain's own pods;</li>
 *   <li>the brokers' client listeners (plain, SCRAM, external) and the metrics port from anywhere: clients are a team's to
 *       restrict with policies of its own, and Prometheus scrapes from whichever namespace it runs in, or from the host
 *       network, which only a rule without sources admits.</li>
 * </ul>
 * A port of the pod template that is in neither set is admitted by no rule: a listener added later stays closed until
 * someone decides who reaches it. Ingress only; what the pods reach is not restricted. Ports are numbers, as the Services
 * give them. Pure.
 */
public final class KafkaNetworkPolicies {

    /** Set by the API server on every namespace (Kubernetes 1.21 and later): how Coxswain's namespace is selected by name. */
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    /**
     * The labels of Coxswain's own pods, as deploy/kubernetes and the Helm chart give them (their StatefulSet's selector, which
     * never changes): admitted in {@link ModelSettings#coxswainNamespace()} only.
     */
    public static final Map<String, String> COXSWAIN_POD_LABELS = Map.of(ClusterNames.NAME_LABEL, "coxswain");
    /** The ports only the cluster's own pods and Coxswain reach. */
    static final Set<String> FENCED_PORTS = Set.of(Ports.CONTROLLER_NAME, Ports.REPLICATION_NAME);
    /** The ports anyone reaches: the brokers' client listeners and the JMX exporter. */
    static final Set<String> OPEN_PORTS = Set.of(Ports.CLIENTS_NAME, Ports.SCRAM_NAME, Ports.EXTERNAL_NAME, Ports.EXTERNAL_SCRAM_NAME,
            Ports.METRICS_NAME);

    private KafkaNetworkPolicies() {
    }

    /** The cluster's policies, controllers' first; none when the installation turned them off. */
    public static List<NetworkPolicy> build(ClusterSpec spec, ClusterNames names, ModelSettings settings) {
        if (!settings.networkPolicies()) {
            return List.of();
        }
        return List.of(build(spec, names, KafkaRole.CONTROLLER, settings.coxswainNamespace()),
                build(spec, names, KafkaRole.BROKER, settings.coxswainNamespace()));
    }

    /** @param coxswainNamespace where Coxswain's pods run; null (not known): no pod of Coxswain's is admitted, none being selectable */
    public static NetworkPolicy build(ClusterSpec spec, ClusterNames names, KafkaRole role, String coxswainNamespace) {
        List<NetworkPolicyPort> fenced = new ArrayList<>();
        List<NetworkPolicyPort> open = new ArrayList<>();
        for (ContainerPort port : KafkaPodTemplate.ports(spec, role)) {
            if (FENCED_PORTS.contains(port.getName())) {
                fenced.add(port(port));
            } else if (OPEN_PORTS.contains(port.getName())) {
                open.add(port(port));
            }
        }
        List<NetworkPolicyIngressRule> rules = new ArrayList<>();
        rules.add(new NetworkPolicyIngressRuleBuilder().withPorts(fenced).withFrom(fencedPeers(spec, names, role, coxswainNamespace)).build());
        // no sources: every pod of every namespace, and the nodes (a Prometheus on the host network)
        rules.add(new NetworkPolicyIngressRuleBuilder().withPorts(open).build());
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(names.networkPolicy(role)).withNamespace(names.namespace())
                .withLabels(names.labels(role.component())).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(names.selector(role)).endPodSelector()
                .withPolicyTypes("Ingress").withIngress(rules).endSpec()
                .build();
    }

    /** The cluster's controllers and brokers, on the brokers its platform components too, and Coxswain's pods. */
    private static List<NetworkPolicyPeer> fencedPeers(ClusterSpec spec, ClusterNames names, KafkaRole role, String coxswainNamespace) {
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        peers.add(pods(names.selector(KafkaRole.CONTROLLER)));
        peers.add(pods(names.selector(KafkaRole.BROKER)));
        if (role == KafkaRole.BROKER) {
            for (PlatformComponent component : DesiredCluster.platformComponents(spec)) {
                peers.add(pods(names.selector(component.componentName())));
            }
        }
        if (coxswainNamespace != null) {
            peers.add(new NetworkPolicyPeerBuilder()
                    .withNewNamespaceSelector().withMatchLabels(Map.of(NAMESPACE_NAME_LABEL, coxswainNamespace)).endNamespaceSelector()
                    .withNewPodSelector().withMatchLabels(COXSWAIN_POD_LABELS).endPodSelector().build());
        }
        return peers;
    }

    /** Pods of the policy's own namespace with these labels. */
    private static NetworkPolicyPeer pods(Map<String, String> labels) {
        return new NetworkPolicyPeerBuilder().withNewPodSelector().withMatchLabels(labels).endPodSelector().build();
    }

    private static NetworkPolicyPort port(ContainerPort port) {
        return new NetworkPolicyPortBuilder().withProtocol(port.getProtocol()).withPort(new IntOrString(port.getContainerPort())).build();
    }
}
