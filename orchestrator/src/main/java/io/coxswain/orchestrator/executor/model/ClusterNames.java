package io.coxswain.orchestrator.executor.model;

import io.coxswain.commands.access.AccessNames;
import io.coxswain.commands.shape.MirrorShape;
import io.coxswain.commands.shape.PlatformComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names and labels of every object of one managed cluster. All names start with the cluster id,
 * so clusters can share a namespace when the namespace template has no {@code {cluster}}.
 */
public record ClusterNames(String clusterId, String namespace) {

    public static final String NAME_LABEL = "app.kubernetes.io/name";
    public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String NAME_VALUE = "kafka";
    public static final String MANAGED_BY_VALUE = "coxswain";
    /** Hash of the desired object as last written by Coxswain: tells its own changes from others' edits. */
    public static final String DESIRED_HASH_ANNOTATION = "coxswain.io/desired-hash";
    /** Hash of the configuration a pod template was built for; a change makes a new StatefulSet revision. */
    public static final String CONFIG_HASH_ANNOTATION = "coxswain.io/config-hash";
    /** On the node certificates' Secret and the Kafka pods: see {@code TlsSecrets#RENEWALS_ANNOTATION}. */
    public static final String CERTIFICATE_RENEWALS_ANNOTATION = "coxswain.io/certificate-renewals";
    /** On a role's pod template once a RestartCluster asked for it: the command's id, so pods without it are still to roll. */
    public static final String RESTART_ANNOTATION = "coxswain.io/restart";
    /** On a role's pod template once the cluster sizes the role itself: the sizing, so pods created before a change are still to roll. */
    public static final String RESOURCES_ANNOTATION = "coxswain.io/resources";
    /**
     * On a role's pod template where the installation pulls from a mirror: the image as the state asks for it, so
     * the pods that run another are told from those whose image only names another registry.
     */
    public static final String IMAGE_ANNOTATION = "coxswain.io/image";
    public static final String NODE_ID_LABEL = "coxswain.io/node-id";
    public static final String EXTERNAL_COMPONENT = "external";
    public static final String METRICS_COMPONENT = "metrics";
    public static final String BOOTSTRAP_COMPONENT = "bootstrap";
    public static final String TLS_COMPONENT = "tls";
    /** Component label of the record of the objects Coxswain made for the cluster ({@link MadeObjectsRecord}). */
    public static final String MADE_OBJECTS_COMPONENT = "made-objects";
    /** Component label of the users' certificate Secrets; {@link #USER_LABEL} names the user. */
    public static final String USER_COMPONENT = "user";
    public static final String USER_LABEL = "coxswain.io/user";
    /**
     * Prefix of the label by which a Secret in a namespace several clusters share says that one cluster's platform components may
     * mount it: {@code mountable-by.coxswain.io/<cluster>: "true"}, one label per cluster (a label value cannot list several).
     * Coxswain never writes it: only a person who can label the Secret opts it in.
     */
    public static final String MOUNTABLE_BY_PREFIX = "mountable-by.coxswain.io/";
    public static final String MOUNTABLE_BY_VALUE = "true";

    /** {@code {cluster}} in the template is replaced by the cluster id. */
    public static ClusterNames of(String clusterId, String namespaceTemplate) {
        return new ClusterNames(clusterId, namespaceTemplate.replace("{cluster}", clusterId));
    }

    public String statefulSet(KafkaRole role) {
        return clusterId + "-" + role.component();
    }

    /** The headless Service that gives each pod of the role a stable DNS name. */
    public String headlessService(KafkaRole role) {
        return statefulSet(role);
    }

    public String bootstrapService() {
        return clusterId + "-kafka-bootstrap";
    }

    public String externalService(int ordinal) {
        return pod(KafkaRole.BROKER, ordinal) + "-external";
    }

    public String configMap(KafkaRole role) {
        return statefulSet(role) + "-config";
    }

    public String metricsConfigMap() {
        return clusterId + "-metrics";
    }

    /** The ConfigMap recording which of the cluster's objects Coxswain made ({@link MadeObjectsRecord}). */
    public String madeObjectsConfigMap() {
        return clusterId + "-made-objects";
    }

    public String podDisruptionBudget(KafkaRole role) {
        return statefulSet(role);
    }

    /** The NetworkPolicy of a role's pods ({@link KafkaNetworkPolicies}). */
    public String networkPolicy(KafkaRole role) {
        return statefulSet(role);
    }

    public String pod(KafkaRole role, int ordinal) {
        return statefulSet(role) + "-" + ordinal;
    }

    /** Stable in-cluster DNS name of a pod, through its headless Service. */
    public String podHost(KafkaRole role, int ordinal) {
        return pod(role, ordinal) + "." + headlessService(role) + "." + namespace + ".svc";
    }

    /** The cluster CA's certificate and private key: read by the executor only, never mounted into a pod. */
    public String clusterCaSecret() {
        return clusterId + "-cluster-ca";
    }

    /** The cluster CA's certificate alone: what applications (and platform components) mount to trust the brokers. */
    public String clusterCaCertSecret() {
        return AccessNames.caCertSecret(clusterId);
    }

    /** What the cluster's mirrors (SetMirror) present and trust, copied by the executor; mounted on its connect pods. See {@link MirrorSecret}. */
    public String mirrorsSecret() {
        return MirrorShape.credentialsSecret(clusterId);
    }

    /** Every Kafka node's certificate and key ({@code <pod>.crt}, {@code <pod>.key}) and the CA certificate. */
    public String kafkaTlsSecret() {
        return clusterId + "-kafka-tls";
    }

    /** Coxswain's own client certificate and key for this cluster (CN=coxswain-operator): read by the executor only, mounted nowhere. */
    public String operatorTlsSecret() {
        return clusterId + "-operator-tls";
    }

    /** A user's client certificate, key and the cluster CA's certificate: what the application mounts. */
    public String userSecret(String user) {
        return AccessNames.userSecret(clusterId, user);
    }

    /** The label a Secret of a shared namespace carries, {@link #MOUNTABLE_BY_VALUE}, to be mounted by this cluster's components. */
    public String mountableByLabel() {
        return MOUNTABLE_BY_PREFIX + clusterId;
    }

    /** The PVC the StatefulSet controller makes from the {@code data} claim template. */
    public String dataClaim(KafkaRole role, int ordinal) {
        return KafkaPodTemplate.DATA_VOLUME + "-" + pod(role, ordinal);
    }

    /** A platform component's StatefulSet, its client Service and its disruption budget: {@code <cluster>-<component>}. */
    public String component(PlatformComponent component) {
        return clusterId + "-" + component.componentName();
    }

    /** The headless Service that gives each pod of a platform component a stable DNS name. */
    public String componentHeadlessService(PlatformComponent component) {
        return component(component) + "-headless";
    }

    public String componentConfigMap(PlatformComponent component) {
        return component(component) + "-config";
    }

    /** In-cluster DNS name of a platform component's client Service. */
    public String componentHost(PlatformComponent component) {
        return component(component) + "." + namespace + ".svc";
    }

    /** In-cluster bootstrap address, as clients in the Kubernetes cluster reach the brokers. */
    public String bootstrapServers() {
        return bootstrapService() + "." + namespace + ".svc:" + Ports.CLIENTS;
    }

    /** Labels every object of the cluster carries. */
    public Map<String, String> labels(String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME_LABEL, NAME_VALUE);
        labels.put(INSTANCE_LABEL, clusterId);
        labels.put(COMPONENT_LABEL, component);
        labels.put(MANAGED_BY_LABEL, MANAGED_BY_VALUE);
        return labels;
    }

    /** Selects the pods of one role: immutable in a StatefulSet, so it never grows. */
    public Map<String, String> selector(KafkaRole role) {
        return selector(role.component());
    }

    /** Selects the pods of one component (a Kafka role's or a platform component's label value). */
    public Map<String, String> selector(String component) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(NAME_LABEL, NAME_VALUE);
        selector.put(INSTANCE_LABEL, clusterId);
        selector.put(COMPONENT_LABEL, component);
        return selector;
    }

    /** Selects every object of the cluster. */
    public Map<String, String> clusterSelector() {
        return Map.of(INSTANCE_LABEL, clusterId, MANAGED_BY_LABEL, MANAGED_BY_VALUE);
    }
}
