package io.coxswain.orchestrator.executor.model;

import io.coxswain.commands.shape.ResourceShape;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

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
 * @param imageMirrors       where the pods pull every image from
 * @param coxswainNamespace  the namespace Coxswain itself runs in, where its gateway tokens and TLS keys are Secrets: no
 *                           cluster is ever reconciled there ({@code null}: not known, nothing is protected)
 * @param networkPolicies    whether each cluster gets the NetworkPolicies fencing its controllers and its brokers' replication
 *                           listener ({@link KafkaNetworkPolicies}); off where the network plugin or the policies are managed elsewhere,
 *                           and then Coxswain neither reads nor writes any NetworkPolicy
 * @param kafkaTerminationGrace the controllers' and brokers' pods' termination grace period: the time a broker gets to move
 *                           leadership away and close its logs cleanly before it is killed (120 s; tests on the sandbox may
 *                           shorten it where no clean stop is under test)
 */
public record ModelSettings(String namespaceTemplate, String jmxExporterImage, String jmxExporterJar,
                            Resources controllerResources, Resources brokerResources, Resources componentResources,
                            ImageMirrors imageMirrors, String coxswainNamespace, boolean networkPolicies,
                            Duration kafkaTerminationGrace) {

    /** Requests and limits as Kubernetes quantities; {@code heap} goes to {@code KAFKA_HEAP_OPTS}. */
    public record Resources(Map<String, String> requests, Map<String, String> limits, String heap) {

        /**
         * A complete sizing ({@link ResourceShape#checkDefaults}): the cpu request, the memory as request and
         * limit (a Kafka pod is never the one squeezed), the cpu limit if given, a fixed heap.
         */
        public static Resources of(ResourceShape.Sizing s) {
            Map<String, String> requests = new TreeMap<>(Map.of("cpu", KafkaResources.canonicalCpu(s.cpuRequest()),
                    "memory", KafkaResources.canonicalMemory(s.memory())));
            Map<String, String> limits = new TreeMap<>(Map.of("memory", KafkaResources.canonicalMemory(s.memory())));
            if (s.cpuLimit() != null) {
                limits.put("cpu", KafkaResources.canonicalCpu(s.cpuLimit()));
            }
            return new Resources(requests, limits, KafkaResources.heapOptions(s.heap()));
        }
    }

    public static ModelSettings defaults() {
        return new ModelSettings("{cluster}",
                "bitnami/jmx-exporter:1.1.0", "/opt/bitnami/jmx-exporter/jmx_prometheus_javaagent.jar",
                new Resources(Map.of("cpu", "250m", "memory", "1Gi"), Map.of("memory", "1Gi"), "-Xms512m -Xmx512m"),
                new Resources(Map.of("cpu", "500m", "memory", "2Gi"), Map.of("memory", "2Gi"), "-Xms1g -Xmx1g"),
                new Resources(Map.of("cpu", "250m", "memory", "1Gi"), Map.of("memory", "1Gi"), "-Xms512m -Xmx512m"),
                ImageMirrors.NONE, null, true, Duration.ofSeconds(120));
    }

    public ModelSettings withNamespaceTemplate(String template) {
        return new ModelSettings(template, jmxExporterImage, jmxExporterJar, controllerResources, brokerResources, componentResources, imageMirrors, coxswainNamespace, networkPolicies, kafkaTerminationGrace);
    }

    public ModelSettings withJmxExporterImage(String image) {
        return new ModelSettings(namespaceTemplate, image, jmxExporterJar, controllerResources, brokerResources, componentResources, imageMirrors, coxswainNamespace, networkPolicies, kafkaTerminationGrace);
    }

    public ModelSettings withImageMirrors(ImageMirrors mirrors) {
        return new ModelSettings(namespaceTemplate, jmxExporterImage, jmxExporterJar, controllerResources, brokerResources, componentResources, mirrors, coxswainNamespace, networkPolicies, kafkaTerminationGrace);
    }

    /** The namespace Coxswain runs in ({@code null}: not known): see {@code OwnNamespaceGuard}. */
    public ModelSettings withCoxswainNamespace(String namespace) {
        return new ModelSettings(namespaceTemplate, jmxExporterImage, jmxExporterJar, controllerResources, brokerResources, componentResources,
                imageMirrors, namespace, networkPolicies, kafkaTerminationGrace);
    }

    /** Whether clusters get their NetworkPolicies: see {@link #networkPolicies()}. */
    public ModelSettings withNetworkPolicies(boolean on) {
        return new ModelSettings(namespaceTemplate, jmxExporterImage, jmxExporterJar, controllerResources, brokerResources, componentResources,
                imageMirrors, coxswainNamespace, on, kafkaTerminationGrace);
    }

    /** See {@code kafkaTerminationGrace} above. */
    public ModelSettings withKafkaTerminationGrace(Duration grace) {
        return new ModelSettings(namespaceTemplate, jmxExporterImage, jmxExporterJar, controllerResources, brokerResources, componentResources,
                imageMirrors, coxswainNamespace, networkPolicies, grace);
    }

    /** The default sizing of a role's pods, or of the platform components' with {@code role} null. */
    public ModelSettings withResources(KafkaRole role, Resources resources) {
        return new ModelSettings(namespaceTemplate, jmxExporterImage, jmxExporterJar,
                role == KafkaRole.CONTROLLER ? resources : controllerResources, role == KafkaRole.BROKER ? resources : brokerResources,
                role == null ? resources : componentResources, imageMirrors, coxswainNamespace, networkPolicies, kafkaTerminationGrace);
    }

    public Resources resources(KafkaRole role) {
        return role == KafkaRole.CONTROLLER ? controllerResources : brokerResources;
    }
}
