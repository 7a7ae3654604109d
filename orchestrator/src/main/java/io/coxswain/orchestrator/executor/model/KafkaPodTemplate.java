package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The pod template of a role: one Kafka container, the JMX exporter agent, probes, resources, spreading. */
public final class KafkaPodTemplate {

    public static final String KAFKA_CONTAINER = "kafka";
    public static final String DATA_VOLUME = "data";
    static final String CONFIG_VOLUME = "config";
    static final String METRICS_VOLUME = "metrics";
    static final String AGENT_VOLUME = "jmx-agent";
    public static final String TLS_VOLUME = "tls";
    /** Secret files readable by the owner and the Kafka group (fsGroup), by nobody else. */
    static final int SECRET_MODE = 0440;
    static final String AGENT_DIR = "/opt/jmx-exporter";
    static final String AGENT_JAR = AGENT_DIR + "/jmx_prometheus_javaagent.jar";
    public static final String HOSTNAME_TOPOLOGY = "kubernetes.io/hostname";
    public static final String ZONE_TOPOLOGY = "topology.kubernetes.io/zone";
    /** The apache/kafka image runs as this user; the data volume is made writable for its group. */
    static final long KAFKA_GID = 1000L;

    private KafkaPodTemplate() {
    }

    public static PodTemplateSpec build(ClusterSpec spec, ClusterNames names, KafkaRole role, ModelSettings settings) {
        return build(spec, names, role, settings, 0);
    }

    /** @param certificateRenewals see {@link DesiredCluster.Inputs#certificateRenewals()} */
    public static PodTemplateSpec build(ClusterSpec spec, ClusterNames names, KafkaRole role, ModelSettings settings,
                                       int certificateRenewals) {
        Map<String, String> annotations = new LinkedHashMap<>();
        String configHash = KafkaProperties.configHash(spec, names, role);
        // re-issued certificates are read only at start: each renewal is a new configuration to roll to
        annotations.put(ClusterNames.CONFIG_HASH_ANNOTATION, certificateRenewals == 0 ? configHash
                : KafkaProperties.hash(configHash + "\ncertificate-renewals=" + certificateRenewals));
        if (certificateRenewals > 0) {
            // which renewal a pod started with: a CA renewal waits until every pod has loaded its trust bundle
            annotations.put(ClusterNames.CERTIFICATE_RENEWALS_ANNOTATION, String.valueOf(certificateRenewals));
        }
        String restart = spec.getRestarts().get(role.statusKey());
        if (restart != null) {
            // only once asked: templates of clusters never restarted by hand stay as they were
            annotations.put(ClusterNames.RESTART_ANNOTATION, restart);
        }
        String resources = KafkaResources.annotation(spec, role);
        if (resources != null) {
            // only once sized per cluster: templates of clusters on the installation's defaults stay as they were
            annotations.put(ClusterNames.RESOURCES_ANNOTATION, resources);
        }
        if (!settings.imageMirrors().isEmpty()) {
            // only with mirrors: a new mirror changes the pods' image references, not what they run, and rolls no pod
            annotations.put(ClusterNames.IMAGE_ANNOTATION, Images.of(spec));
        }
        annotations.put("prometheus.io/scrape", "true");
        annotations.put("prometheus.io/port", String.valueOf(Ports.METRICS));
        PodTemplateSpecBuilder b = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(names.labels(role.component())).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(settings.kafkaTerminationGrace().toSeconds())
                .withNewSecurityContext().withFsGroup(KAFKA_GID).endSecurityContext()
                .withInitContainers(agentCopier(settings))
                .withContainers(kafka(spec, names, role, settings))
                .withVolumes(volumes(names, role))
                .withAffinity(spreadOverNodes(names.selector(role)))
                .endSpec();
        if (spec.getRackAware()) {
            // spread over zones; ScheduleAnyway so a zone outage cannot leave a broker unschedulable
            b.editSpec().withTopologySpreadConstraints(new TopologySpreadConstraintBuilder()
                    .withMaxSkew(1).withTopologyKey(ZONE_TOPOLOGY).withWhenUnsatisfiable("ScheduleAnyway")
                    .withNewLabelSelector().withMatchLabels(names.selector(role)).endLabelSelector().build()).endSpec();
        }
        return b.build();
    }

    /** Prefers a different node for each pod of the selection, so one node going down takes one pod. */
    static Affinity spreadOverNodes(Map<String, String> selector) {
        return new AffinityBuilder().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
                .withNewPodAffinityTerm().withTopologyKey(HOSTNAME_TOPOLOGY)
                .withNewLabelSelector().withMatchLabels(selector).endLabelSelector()
                .endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().build();
    }

    private static Container agentCopier(ModelSettings settings) {
        return new ContainerBuilder().withName("jmx-exporter-agent").withImage(settings.imageMirrors().apply(settings.jmxExporterImage()))
                .withCommand("cp", settings.jmxExporterJar(), AGENT_JAR)
                .withVolumeMounts(new VolumeMountBuilder().withName(AGENT_VOLUME).withMountPath(AGENT_DIR).build())
                .build();
    }

    private static Container kafka(ClusterSpec spec, ClusterNames names, KafkaRole role, ModelSettings settings) {
        ModelSettings.Resources res = KafkaResources.of(spec, role, settings);
        String probePort = role == KafkaRole.CONTROLLER ? Ports.CONTROLLER_NAME : Ports.CLIENTS_NAME;
        return new ContainerBuilder().withName(KAFKA_CONTAINER).withImage(settings.imageMirrors().apply(Images.of(spec)))
                .withCommand("/bin/bash", KafkaConfigMaps.CONFIG_MOUNT + "/" + KafkaConfigMaps.START_SCRIPT)
                .withEnv(env(spec, res))
                .withPorts(ports(spec, role))
                .withResources(new ResourceRequirementsBuilder().withRequests(quantities(res.requests()))
                        .withLimits(quantities(res.limits())).build())
                .withReadinessProbe(tcpProbe(probePort, 10, 5, 3))
                .withLivenessProbe(tcpProbe(probePort, 60, 10, 6))
                .withVolumeMounts(
                        new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(KafkaProperties.DATA_DIR).build(),
                        new VolumeMountBuilder().withName(CONFIG_VOLUME).withMountPath(KafkaConfigMaps.CONFIG_MOUNT).build(),
                        new VolumeMountBuilder().withName(METRICS_VOLUME).withMountPath(KafkaConfigMaps.METRICS_MOUNT).build(),
                        new VolumeMountBuilder().withName(AGENT_VOLUME).withMountPath(AGENT_DIR).build(),
                        new VolumeMountBuilder().withName(TLS_VOLUME).withMountPath(KafkaTlsProperties.MOUNT).withReadOnly(true).build())
                .build();
    }

    private static List<EnvVar> env(ClusterSpec spec, ModelSettings.Resources res) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("KAFKA_HEAP_OPTS", res.heap(), null));
        env.add(new EnvVar("KAFKA_OPTS", "-javaagent:" + AGENT_JAR + "=" + Ports.METRICS + ":"
                + KafkaConfigMaps.METRICS_MOUNT + "/" + KafkaConfigMaps.RULES_KEY
                + " -D" + KafkaTlsProperties.AUTOMATIC_PROVIDERS_PROPERTY + "=" + KafkaTlsProperties.PROVIDER_CLASS, null));
        env.add(new EnvVarBuilder().withName("HOST_IP").withNewValueFrom().withNewFieldRef()
                .withFieldPath("status.hostIP").endFieldRef().endValueFrom().build());
        if (spec.getRackAware()) {
            // the zone label is copied from the node to the pod where the cluster supports it (PodTopologyLabels)
            env.add(new EnvVarBuilder().withName("KAFKA_ZONE").withNewValueFrom().withNewFieldRef()
                    .withFieldPath("metadata.labels['" + ZONE_TOPOLOGY + "']").endFieldRef().endValueFrom().build());
        }
        return env;
    }

    /** The Kafka container's ports: what its Services and its {@link KafkaNetworkPolicies} open, by number. */
    static List<ContainerPort> ports(ClusterSpec spec, KafkaRole role) {
        List<ContainerPort> ports = new ArrayList<>();
        if (role == KafkaRole.CONTROLLER) {
            ports.add(port(Ports.CONTROLLER_NAME, Ports.CONTROLLER));
        } else {
            ports.add(port(Ports.REPLICATION_NAME, Ports.REPLICATION));
            ports.add(port(Ports.CLIENTS_NAME, Ports.CLIENTS));
            if (!"NONE".equals(spec.getExternalAccess())) {
                ports.add(port(Ports.EXTERNAL_NAME, Ports.EXTERNAL));
            }
            if (spec.getScramListener()) {
                ports.add(port(Ports.SCRAM_NAME, Ports.SCRAM));
            }
            if (KafkaScramProperties.outside(spec)) {
                ports.add(port(Ports.EXTERNAL_SCRAM_NAME, Ports.EXTERNAL_SCRAM));
            }
        }
        ports.add(port(Ports.METRICS_NAME, Ports.METRICS));
        return ports;
    }

    private static ContainerPort port(String name, int port) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol("TCP").build();
    }

    private static Probe tcpProbe(String port, int initialDelay, int period, int failures) {
        return new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket()
                .withInitialDelaySeconds(initialDelay).withPeriodSeconds(period).withFailureThreshold(failures).build();
    }

    private static List<Volume> volumes(ClusterNames names, KafkaRole role) {
        return List.of(
                new VolumeBuilder().withName(CONFIG_VOLUME).withNewConfigMap().withName(names.configMap(role)).endConfigMap().build(),
                new VolumeBuilder().withName(METRICS_VOLUME).withNewConfigMap().withName(names.metricsConfigMap()).endConfigMap().build(),
                new VolumeBuilder().withName(AGENT_VOLUME).withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName(TLS_VOLUME).withNewSecret().withSecretName(names.kafkaTlsSecret())
                        .withDefaultMode(SECRET_MODE).endSecret().build());
    }

    static Map<String, Quantity> quantities(Map<String, String> values) {
        Map<String, Quantity> q = new TreeMap<>();
        values.forEach((k, v) -> q.put(k, new Quantity(v)));
        return q;
    }
}
