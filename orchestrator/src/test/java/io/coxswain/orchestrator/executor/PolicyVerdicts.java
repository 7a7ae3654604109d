package io.coxswain.orchestrator.executor;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;

/**
 * What a NetworkPolicy's ingress admits, read the way the {@code networking.k8s.io/v1} API defines it (the mock API server
 * enforces nothing): a rule admits a connection when one of its ports matches (none listed: every port) and one of its
 * sources does (none listed: every source, the nodes included); a source with a pod selector alone means pods of the
 * policy's namespace, with a namespace selector the namespaces it selects. Only TCP ports given by number: the policies
 * Coxswain makes give them so, as its Services do, and a named one here fails the test rather than being guessed.
 */
public final class PolicyVerdicts {

    /** Where a connection comes from: a pod (its namespace, that namespace's labels, its own labels), or no pod at all. */
    public record Source(String namespace, Map<String, String> namespaceLabels, Map<String, String> labels) {
        /** A node, or a pod on the host network (a Prometheus may run so): no pod selector matches it. */
        public static final Source HOST = new Source(null, null, null);

        /** A pod of {@code namespace}, which carries the label the API server puts on every namespace. */
        public static Source pod(String namespace, Map<String, String> labels) {
            return new Source(namespace, Map.of("kubernetes.io/metadata.name", namespace), labels);
        }
    }

    private PolicyVerdicts() {
    }

    /** Whether the policy applies to a pod of {@code namespace} with these labels. */
    public static boolean selects(NetworkPolicy policy, String namespace, Map<String, String> podLabels) {
        return namespace.equals(policy.getMetadata().getNamespace()) && matches(policy.getSpec().getPodSelector(), podLabels);
    }

    /** Whether the policy's ingress admits a TCP connection from {@code from} to {@code port} of a pod it selects. */
    public static boolean admits(NetworkPolicy policy, Source from, int port) {
        if (!policy.getSpec().getPolicyTypes().contains("Ingress")) {
            return true;
        }
        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress() == null ? List.of() : policy.getSpec().getIngress();
        return rules.stream().anyMatch(r -> portMatches(r.getPorts(), port) && sourceMatches(r.getFrom(), from, policy.getMetadata().getNamespace()));
    }

    private static boolean portMatches(List<NetworkPolicyPort> ports, int port) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort p : ports) {
            if (p.getPort().getStrVal() != null) {
                throw new IllegalArgumentException("named port " + p.getPort().getStrVal() + ": the policies give numbers, as the Services do");
            }
            String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (protocol.equals("TCP") && p.getPort().getIntVal() == port) {
                return true;
            }
        }
        return false;
    }

    private static boolean sourceMatches(List<NetworkPolicyPeer> peers, Source from, String policyNamespace) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        if (from.labels() == null) {
            return false; // only a rule without sources admits what is not a pod
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                throw new IllegalArgumentException("ipBlock sources are not read here");
            }
            boolean namespace = peer.getNamespaceSelector() == null ? from.namespace().equals(policyNamespace)
                    : matches(peer.getNamespaceSelector(), from.namespaceLabels());
            boolean pod = peer.getPodSelector() == null || matches(peer.getPodSelector(), from.labels());
            if (namespace && pod) {
                return true;
            }
        }
        return false;
    }

    /** A label selector's verdict; an empty one selects everything. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions() == null ? List.<LabelSelectorRequirement>of() : selector.getMatchExpressions()) {
            String value = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && r.getValues().contains(value);
                case "NotIn" -> value == null || !r.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("operator " + r.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
