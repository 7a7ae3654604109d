package io.coxswain.orchestrator.executor.model;

import io.coxswain.commands.shape.PlatformComponent;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * At most one pod of a Kafka role or platform component down through voluntary disruptions (node
 * drains), as the rolling logic and a RollingUpdate do.
 */
public final class KafkaDisruptionBudgets {

    private KafkaDisruptionBudgets() {
    }

    public static PodDisruptionBudget build(ClusterNames names, KafkaRole role) {
        return build(names, names.podDisruptionBudget(role), role.component());
    }

    public static PodDisruptionBudget build(ClusterNames names, PlatformComponent component) {
        return build(names, names.component(component), component.componentName());
    }

    private static PodDisruptionBudget build(ClusterNames names, String name, String component) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(name).withNamespace(names.namespace())
                .withLabels(names.labels(component)).endMetadata()
                .withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(names.selector(component)).endSelector().endSpec()
                .build();
    }
}
