package io.coxswain.orchestrator.executor.model;

import java.util.Map;

/**
 * Installation-wide choices of the builders, the same for every cluster: where clusters live and
 * what their pods get. Per-cluster choices come from the folded state; the controllers' and brokers'
 * resources here are the defaults a cluster's own sizing ({@code spec.resources}) overrides value by value.
 *
 * @param namespaceTemplate  namespace of a cluster's objects; {@code {cluster}} becomes the cluster id
 * @param jmxExporterImage   image whose init container copies the Prometheus JMX exporter agent jar into the pod
 * @param jmxExporterJar     path of the agent jar inside that image
 * @param controllerResources requests and limits of controller containers ({@code cpu}, {@code memory})
 * @param brokerResources    requests and limits of broker containers
 * @param componentResources requests and limits of each platform component's container (schema registry, Connect, ...)
 */
public record ModelSettings(String namespaceTemplate, String jmxExporterImage, String jmxExporterJar,
                            Resources controllerResources, Resources brokerResources, Resources componentResources) {

    /** Requests and limits as Kubernetes quantities; {@code heap} goes to {@code KAFKA_HEAP_OPTS}. */
    public record Resources(Map<String, String> requests, Map<String, String> limits, String heap) {
    }

    public static ModelSettings defaults() {
        return new ModelSettings("{cluster}",
                "bitnami/jmx-exporter:1.1.0", "/opt/bitnami/jmx-exporter/jmx_prometheus_javaagent.jar",
                new Resources(Map.of("cpu", "250m", "memory", "1Gi"), Map.of("memory", "1Gi"), "-Xms512m -Xmx512m"),
                new Resources(Map.of("cpu", "500m", "memory", "2Gi"), Map.of("memory", "2Gi"), "-Xms1g -Xmx1g"),
                new Resources(Map.of("cpu", "250m", "memory", "1Gi"), Map.of("memory", "1Gi"), "-Xms512m -Xmx512m"));
    }

    public ModelSettings withNamespaceTemplate(String template) {
        return new ModelSettings(template, jmxExporterImage, jmxExporterJar, controllerResources, brokerResources, componentResources);
    }

    public Resources resources(KafkaRole role) {
        return role == KafkaRole.CONTROLLER ? controllerResources : brokerResources;
    }
}
