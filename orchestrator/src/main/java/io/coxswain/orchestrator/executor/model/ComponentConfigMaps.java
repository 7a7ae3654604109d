package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.commands.shape.PlatformComponent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;

/**
 * The ConfigMap of a platform component: its properties file, one for all its pods. The key is
 * never a Kafka node's {@code server-<ordinal>.properties}: the sandbox runs a real Kafka node for
 * pods that mount one.
 */
public final class ComponentConfigMaps {

    /** Where the ConfigMap is mounted in the component's container (read-only). */
    public static final String CONFIG_MOUNT = "/etc/coxswain";

    private ComponentConfigMaps() {
    }

    /** Key of the properties file, e.g. {@code schema-registry.properties}. */
    public static String propertiesKey(PlatformComponent component) {
        return component.componentName() + ".properties";
    }

    public static ConfigMap build(ClusterSpec spec, ClusterNames names, PlatformComponent component) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName(names.componentConfigMap(component)).withNamespace(names.namespace())
                .withLabels(names.labels(component.componentName())).endMetadata()
                .withData(Map.of(propertiesKey(component), ComponentProperties.render(spec, names, component)))
                .build();
    }
}
