package io.coxswain.orchestrator.executor.observe;

import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaPodTemplate;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import java.util.Map;

/**
 * One StatefulSet's worth of pods whose readiness is reported under a key of
 * {@code status.components}: a Kafka role ({@code controllers}, {@code brokers}) or a platform
 * component ({@code schema-registry}, ...).
 *
 * @param container the container whose image tag is the version reported
 */
public record Workload(String statusKey, String statefulSet, Map<String, String> selector, String container) {

    public static Workload of(ClusterNames names, KafkaRole role) {
        return new Workload(role.statusKey(), names.statefulSet(role), names.selector(role), KafkaPodTemplate.KAFKA_CONTAINER);
    }

    public static Workload of(ClusterNames names, PlatformComponent component) {
        return new Workload(component.componentName(), names.component(component), names.selector(component.componentName()),
                component.componentName());
    }
}
