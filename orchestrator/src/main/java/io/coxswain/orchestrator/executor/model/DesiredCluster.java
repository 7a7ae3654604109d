package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.PlatformComponent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every Kubernetes object a cluster's state asks for, in the order they are applied: what pods
 * mount and resolve (ConfigMaps, Services) before the StatefulSets that make the pods, the Kafka
 * cluster first, then each platform component beside it, each carrying the cluster's labels
 * ({@link ObjectLabels}). Pure: the same state and inputs always give the same objects.
 *
 * @param namespace the cluster's own namespace, or null when clusters share one (then it is not Coxswain's)
 */
public record DesiredCluster(ClusterNames names, Namespace namespace, List<HasMetadata> objects) {

    /**
     * Inputs the state alone cannot give, decided or observed by the reconciler.
     *
     * @param brokerReplicas pods of the broker StatefulSet (the spec's count, unless a scale-in waits for its drain)
     * @param external       observed external address per broker ordinal
     * @param certificateRenewals how many times the node certificates were re-issued (the TLS step's count): in the
     *                       pods' config hash, so a renewal rolls them
     * @param clusterTrust   the CA certificates applications trust the cluster by (what {@code <cluster>-cluster-ca-cert}
     *                       holds; two during a CA renewal), or null before there are any: platform components read
     *                       them only at start, so a change rolls their pods
     * @param componentIdentities per platform component, the certificate of the user it connects as (beside a cluster that
     *                       requires client certificates), as issued so far: read only at start too, so a re-issue rolls its pods
     * @param withheldSecrets per platform component, the Secrets its {@code secrets} names that the reconciler found to hold
     *                       keys Coxswain made (any cluster's): left out of its pods, see {@link ComponentPodTemplate#build}
     * @param mirrorSecret   {@link MirrorSecret#contentHash} of what the cluster's mirror Secret holds as the executor wrote it,
     *                       or null before there is one: the connect pods read it only when a connector starts, so a change
     *                       rolls them
     */
    public record Inputs(int brokerReplicas, Map<Integer, ExternalAddress> external, int certificateRenewals, String clusterTrust,
                         Map<String, String> componentIdentities, Map<String, Set<String>> withheldSecrets, String mirrorSecret) {
        public static Inputs of(ClusterState state) {
            return new Inputs(state.getSpec().getBrokers(), Map.of(), 0, null, Map.of(), Map.of(), null);
        }
    }

    public static DesiredCluster of(ClusterState state, ModelSettings settings, Inputs inputs) {
        ClusterSpec spec = state.getSpec();
        ClusterNames names = ClusterNames.of(state.getClusterId(), settings.namespaceTemplate());
        int controllers = spec.getControllers();
        int brokers = inputs.brokerReplicas();
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(KafkaConfigMaps.metrics(names));
        objects.add(KafkaConfigMaps.role(spec, names, KafkaRole.CONTROLLER, controllers, brokers, Map.of()));
        objects.add(KafkaConfigMaps.role(spec, names, KafkaRole.BROKER, brokers, brokers, inputs.external()));
        objects.add(KafkaServices.headless(names, KafkaRole.CONTROLLER));
        objects.add(KafkaServices.headless(names, KafkaRole.BROKER));
        objects.add(KafkaServices.bootstrap(names, state.getSpec()));
        objects.addAll(externalServices(spec, names, brokers));
        objects.add(KafkaDisruptionBudgets.build(names, KafkaRole.CONTROLLER));
        objects.add(KafkaDisruptionBudgets.build(names, KafkaRole.BROKER));
        // before the pods: they start fenced
        objects.addAll(KafkaNetworkPolicies.build(spec, names, settings));
        objects.add(KafkaStatefulSets.build(spec, names, KafkaRole.CONTROLLER, controllers, settings, inputs.certificateRenewals()));
        objects.add(KafkaStatefulSets.build(spec, names, KafkaRole.BROKER, brokers, settings, inputs.certificateRenewals()));
        for (PlatformComponent component : platformComponents(spec)) {
            objects.add(ComponentConfigMaps.build(spec, names, component));
            objects.add(ComponentServices.headless(names, component));
            objects.add(ComponentServices.client(names, component));
            objects.add(KafkaDisruptionBudgets.build(names, component));
            objects.add(ComponentStatefulSets.build(spec, names, component, settings, inputs.clusterTrust(),
                    inputs.componentIdentities().get(component.componentName()),
                    inputs.withheldSecrets().getOrDefault(component.componentName(), Set.of()), inputs.mirrorSecret()));
        }
        objects.forEach(o -> ObjectLabels.onBuilt(o, spec.getLabels()));
        Namespace namespace = ownNamespace(names, settings);
        return new DesiredCluster(names, namespace == null ? null : ObjectLabels.onBuilt(namespace, spec.getLabels()), List.copyOf(objects));
    }

    /** The per-broker external Services the spec asks for; built apart so they can be applied first. */
    public static List<HasMetadata> externalServices(ClusterSpec spec, ClusterNames names, int brokers) {
        String type = KafkaServices.externalType(spec.getExternalAccess());
        List<HasMetadata> services = new ArrayList<>();
        for (int i = 0; type != null && i < brokers; i++) {
            services.add(ObjectLabels.onBuilt(KafkaServices.external(names, i, type, KafkaScramProperties.outside(spec)), spec.getLabels()));
        }
        return services;
    }

    /**
     * The platform components the spec asks for, in the catalog's order (schema registry first:
     * the others may point at it). A name the catalog does not know is skipped; the shape check
     * refuses it in commands.
     */
    public static List<PlatformComponent> platformComponents(ClusterSpec spec) {
        List<PlatformComponent> components = new ArrayList<>();
        for (PlatformComponent c : PlatformComponent.values()) {
            if (spec.getComponents().containsKey(c.componentName())) {
                components.add(c);
            }
        }
        return components;
    }

    /** Whether each cluster has a namespace of its own (the template names the cluster). */
    public static boolean ownsNamespace(ModelSettings settings) {
        return settings.namespaceTemplate().contains("{cluster}");
    }

    private static Namespace ownNamespace(ClusterNames names, ModelSettings settings) {
        if (!ownsNamespace(settings)) {
            return null;
        }
        return new NamespaceBuilder().withNewMetadata().withName(names.namespace())
                .withLabels(Map.of(ClusterNames.MANAGED_BY_LABEL, ClusterNames.MANAGED_BY_VALUE,
                        ClusterNames.INSTANCE_LABEL, names.clusterId()))
                .endMetadata().build();
    }
}
