package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.commands.shape.ConnectorShape;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.commands.shape.UserShape;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod template of a platform component: one container running the image's own start script on
 * the mounted properties file, an HTTP readiness probe, resources, and the config hash that rolls
 * the pods when the file or the image changes.
 */
public final class ComponentPodTemplate {

    static final String CONFIG_VOLUME = "config";
    static final String CLUSTER_CA_VOLUME = "cluster-ca";
    /** A hash of the CA certificates the component's pods were started with. */
    public static final String CLUSTER_TRUST_ANNOTATION = "coxswain.io/cluster-trust-hash";
    /** The cluster CA's certificate ({@code <cluster>-cluster-ca-cert}): the component trusts the brokers through it. */
    public static final String CLUSTER_CA_MOUNT = "/etc/kafka/cluster-ca";
    /** The key of the CA certificate in its Secret, a file under the mount. */
    static final String CLUSTER_CA_FILE = KafkaTlsProperties.CA_CERT_FILE;
    static final String IDENTITY_VOLUME = "identity";
    /** A hash of the client certificate the component's pods were started with, beside a cluster that requires one. */
    public static final String IDENTITY_ANNOTATION = "coxswain.io/identity-hash";
    /** The Secret of the user the component connects as ({@code <cluster>-user-<component>}), beside a cluster that requires client certificates. */
    public static final String IDENTITY_MOUNT = "/etc/kafka/identity";
    /** The user's key and certificate in one PEM file, under the mount. */
    static final String IDENTITY_FILE = KafkaClientAuthProperties.USER_KEYSTORE_FILE;
    /** Where the Secrets a SetComponent names are mounted, one directory each: {@code /mnt/secrets/<name>/<key>}. */
    public static final String USER_SECRETS_MOUNT = ConnectorShape.SECRETS_MOUNT;
    /** Volume names are DNS labels and Secret names need not be: {@code user-secret-<index>} in the sorted list. */
    static final String USER_SECRET_VOLUME = "user-secret-";
    /** The ConfigMap is read-only; the file the component reads is a copy with the pod's own name added. */
    static final String RUNTIME_DIR = "/tmp";

    private ComponentPodTemplate() {
    }

    /**
     * @param clusterTrust see {@link DesiredCluster.Inputs#clusterTrust()}; null leaves the annotation out
     * @param identity     the certificate of the user the component connects as, see {@link DesiredCluster.Inputs#componentIdentities()};
     *                     null (none, or not issued yet) leaves the annotation out
     * @param withheldSecrets Secrets of {@code secrets} found to hold keys Coxswain made: neither a volume nor a mount, so no
     *                     pod of the component reads them; the others keep the volume name their place in the list gives them
     * @param mirrorSecret what the connect pods' mirror Secret holds, see {@link DesiredCluster.Inputs#mirrorSecret()}
     */
    public static PodTemplateSpec build(ClusterSpec spec, ClusterNames names, PlatformComponent component, ModelSettings settings,
                                        String clusterTrust, String identity, Set<String> withheldSecrets, String mirrorSecret) {
        Map<String, String> annotations = new java.util.TreeMap<>();
        annotations.put(ClusterNames.CONFIG_HASH_ANNOTATION, ComponentProperties.configHash(spec, names, component));
        if (clusterTrust != null) {
            // the component reads the mounted CA file once, at start: a CA renewal's new bundle reaches it only
            // through new pods, which this annotation's change makes Kubernetes roll in
            annotations.put(CLUSTER_TRUST_ANNOTATION, KafkaProperties.hash(clusterTrust));
        }
        boolean identified = UserShape.authenticatesClients(spec.getClientAuthentication());
        if (identified && identity != null) {
            // the same for its own certificate: re-issued before it expires, it reaches the component through new pods
            annotations.put(IDENTITY_ANNOTATION, KafkaProperties.hash(identity));
        }
        List<Volume> volumes = new ArrayList<>(List.of(new VolumeBuilder().withName(CONFIG_VOLUME).withNewConfigMap()
                        .withName(names.componentConfigMap(component)).endConfigMap().build(),
                new VolumeBuilder().withName(CLUSTER_CA_VOLUME).withNewSecret().withSecretName(names.clusterCaCertSecret())
                        .withDefaultMode(KafkaPodTemplate.SECRET_MODE).endSecret().build()));
        if (identified) {
            // a pod waits for the Secret (Kubernetes retries the mount) until the executor has issued it
            volumes.add(new VolumeBuilder().withName(IDENTITY_VOLUME).withNewSecret().withSecretName(names.userSecret(component.componentName()))
                    .withDefaultMode(KafkaPodTemplate.SECRET_MODE).endSecret().build());
        }
        boolean mirrors = component == PlatformComponent.CONNECT && MirrorSecret.mounted(spec);
        if (mirrors) {
            // written by the executor before it builds the pods; a pod waits for it like for its identity, and a change of
            // what it holds rolls the pods (they read it when a connector starts, and Kubernetes refreshes mounted files late)
            annotations.put(MirrorSecret.CONTENT_ANNOTATION, mirrorSecret == null ? "" : mirrorSecret);
            volumes.add(new VolumeBuilder().withName(MirrorSecret.VOLUME).withNewSecret().withSecretName(names.mirrorsSecret())
                    .withDefaultMode(KafkaPodTemplate.SECRET_MODE).endSecret().build());
        }
        Map<Integer, String> secrets = mountedSecrets(ComponentProperties.specOf(spec, component).getSecrets(), withheldSecrets);
        // the user's, for config providers: a pod waits (Kubernetes retries the mount) until the Secret exists; one that
        // Coxswain may yet make, or made, is withheld by the reconciler (ComponentSecretGuard)
        secrets.forEach((i, secret) -> volumes.add(new VolumeBuilder().withName(USER_SECRET_VOLUME + i).withNewSecret().withSecretName(secret)
                .withDefaultMode(KafkaPodTemplate.SECRET_MODE).endSecret().build()));
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(names.labels(component.componentName()))
                .withAnnotations(annotations).endMetadata()
                .withNewSpec()
                // the Confluent images run as the same user and group as apache/kafka
                .withNewSecurityContext().withFsGroup(KafkaPodTemplate.KAFKA_GID).endSecurityContext()
                .withContainers(container(spec, names, component, settings, identified, secrets, mirrors ? names.mirrorsSecret() : null))
                .withVolumes(volumes)
                .withAffinity(KafkaPodTemplate.spreadOverNodes(names.selector(component.componentName())))
                .endSpec()
                .build();
    }

    private static Container container(ClusterSpec spec, ClusterNames names, PlatformComponent component, ModelSettings settings,
                                       boolean identified, Map<Integer, String> secrets, String mirrorsSecret) {
        ComponentProfile profile = ComponentProfile.of(component);
        ModelSettings.Resources res = settings.componentResources();
        return new ContainerBuilder().withName(component.componentName())
                .withImage(settings.imageMirrors().apply(ComponentProperties.image(spec, component)))
                .withCommand("sh", "-c", startCommand(names, profile))
                .withEnv(new EnvVar(profile.heapVariable(), res.heap(), null))
                .withPorts(new ContainerPortBuilder().withName(ComponentProfile.PORT_NAME).withContainerPort(profile.port())
                        .withProtocol("TCP").build())
                .withResources(new ResourceRequirementsBuilder().withRequests(KafkaPodTemplate.quantities(res.requests()))
                        .withLimits(KafkaPodTemplate.quantities(res.limits())).build())
                .withNewReadinessProbe().withNewHttpGet().withPath(profile.readinessPath())
                .withPort(new IntOrString(ComponentProfile.PORT_NAME)).endHttpGet()
                .withInitialDelaySeconds(10).withPeriodSeconds(5).withFailureThreshold(3).endReadinessProbe()
                .withVolumeMounts(mounts(identified, secrets, mirrorsSecret))
                .build();
    }

    /** @param mirrorsSecret the cluster's {@link MirrorSecret}, mounted beside the user's Secrets; null: none */
    private static List<VolumeMount> mounts(boolean identified, Map<Integer, String> secrets, String mirrorsSecret) {
        List<VolumeMount> mounts = new ArrayList<>(List.of(
                new VolumeMountBuilder().withName(CONFIG_VOLUME).withMountPath(ComponentConfigMaps.CONFIG_MOUNT).withReadOnly(true).build(),
                new VolumeMountBuilder().withName(CLUSTER_CA_VOLUME).withMountPath(CLUSTER_CA_MOUNT).withReadOnly(true).build()));
        if (identified) {
            mounts.add(new VolumeMountBuilder().withName(IDENTITY_VOLUME).withMountPath(IDENTITY_MOUNT).withReadOnly(true).build());
        }
        secrets.forEach((i, secret) -> mounts.add(new VolumeMountBuilder().withName(USER_SECRET_VOLUME + i)
                .withMountPath(USER_SECRETS_MOUNT + "/" + secret).withReadOnly(true).build()));
        if (mirrorsSecret != null) {
            mounts.add(new VolumeMountBuilder().withName(MirrorSecret.VOLUME).withMountPath(USER_SECRETS_MOUNT + "/" + mirrorsSecret)
                    .withReadOnly(true).build());
        }
        return mounts;
    }

    /**
     * The Secrets to mount by their place in the sorted list, which names their volume: one withheld leaves the others'
     * volumes as they were, so only its own goes from the pods.
     */
    private static Map<Integer, String> mountedSecrets(List<String> secrets, Set<String> withheld) {
        Map<Integer, String> mounted = new java.util.LinkedHashMap<>();
        for (int i = 0; i < secrets.size(); i++) {
            if (!withheld.contains(secrets.get(i))) {
                mounted.put(i, secrets.get(i));
            }
        }
        return mounted;
    }

    /**
     * Copies the properties file, appends the line naming this pod by its stable DNS name (only
     * the pod knows its own name), and runs the image's start script on the copy in the foreground.
     */
    static String startCommand(ClusterNames names, ComponentProfile profile) {
        PlatformComponent component = profile.component();
        String file = ComponentConfigMaps.propertiesKey(component);
        String host = "${HOSTNAME}." + names.componentHeadlessService(component) + "." + names.namespace() + ".svc";
        return String.join("; ",
                "set -e",
                "props=" + RUNTIME_DIR + "/" + file,
                "cp " + ComponentConfigMaps.CONFIG_MOUNT + "/" + file + " \"$props\"",
                "echo \"" + profile.hostKey() + "=" + profile.hostValue(host) + "\" >> \"$props\"",
                "exec " + profile.startScript() + " \"$props\"");
    }
}
