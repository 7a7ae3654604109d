package io.coxswain.orchestrator.executor.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** At most one node of a role down through voluntary disruptions (node drains), as the rolling logic does. */
public final class KafkaDisruptionBudgets {

    private KafkaDisruptionBudgets() {
    }

    public static PodDisruptionBudget build(ClusterNames names, KafkaRole role) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(names.podDisruptionBudget(role)).withNamespace(names.namespace())
                .withLabels(names.labels(role.component())).endMetadata()
                .withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(names.selector(role)).endSelector().endSpec()
                .build();
    }
}
