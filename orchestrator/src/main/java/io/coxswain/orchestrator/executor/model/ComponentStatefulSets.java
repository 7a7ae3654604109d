package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.commands.shape.PlatformComponent;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.Set;

/**
 * The StatefulSet of a platform component. A StatefulSet rather than a Deployment for the stable
 * pod names the components advertise to each other; no volumes, the components keep their state
 * in Kafka topics.
 */
public final class ComponentStatefulSets {

    /**
     * Stateless HTTP services: Kubernetes replaces the pods one by one when the template changes
     * (a new config hash or image), with no safety check of Coxswain's needed, unlike Kafka nodes.
     */
    public static final String UPDATE_STRATEGY = "RollingUpdate";

    private ComponentStatefulSets() {
    }

    public static StatefulSet build(ClusterSpec spec, ClusterNames names, PlatformComponent component, ModelSettings settings) {
        return build(spec, names, component, settings, null, null, Set.of(), null);
    }

    /** @param clusterTrust {@code identity}, {@code withheldSecrets} and {@code mirrorSecret}: see {@link ComponentPodTemplate#build} */
    public static StatefulSet build(ClusterSpec spec, ClusterNames names, PlatformComponent component, ModelSettings settings,
                                    String clusterTrust, String identity, Set<String> withheldSecrets, String mirrorSecret) {
        return new StatefulSetBuilder()
                .withNewMetadata().withName(names.component(component)).withNamespace(names.namespace())
                .withLabels(names.labels(component.componentName())).endMetadata()
                .withNewSpec()
                .withReplicas(ComponentProperties.specOf(spec, component).getReplicas())
                .withServiceName(names.componentHeadlessService(component))
                // no pod waits for another to start: they coordinate through Kafka
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType(UPDATE_STRATEGY).endUpdateStrategy()
                .withNewSelector().withMatchLabels(names.selector(component.componentName())).endSelector()
                .withTemplate(ComponentPodTemplate.build(spec, names, component, settings, clusterTrust, identity, withheldSecrets, mirrorSecret))
                .endSpec()
                .build();
    }
}
