package io.coxswain.sandbox.kafkapods;

import io.coxswain.sandbox.kube.PodRuntime;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The sandbox kubelet's runtime for Kafka pods: a pod that mounts a ConfigMap holding
 * {@code server-<ordinal>.properties} runs a real Kafka node ({@link KafkaNodes}) from that file,
 * its data kept under {@code root/<namespace>/<claim>-<claim uid>} (the directory standing for its
 * PVC: a re-created pod finds its data, while a claim deleted and created again under the same name
 * starts empty, as a new volume would). The pod's Secret volumes are written as files under
 * {@code root/<namespace>/.secrets/<pod>/<volume>} at each start ({@link SecretVolumes}), and the
 * node's configuration reads them there ({@link LocalNodeConfig}). Any other pod is ready at once, as with
 * {@link PodRuntime#readyAtOnce()}.
 */
public final class KafkaPodRuntime implements PodRuntime, AutoCloseable {

    /** The key of the ConfigMap entry with the Kafka cluster id storage is formatted with (Coxswain's). */
    static final String CLUSTER_ID_KEY = "cluster-id";
    /** Under a namespace's directory, beside the claims: {@code .secrets/<pod>/<volume>/<file>}. */
    static final String SECRETS_DIR = ".secrets";

    private final KubernetesClient client;
    private final KafkaNodes nodes;
    private final Path root;
    private final SecretVolumes secrets;

    public KafkaPodRuntime(KubernetesClient client, KafkaNodes nodes, Path root) {
        this.client = client;
        this.secrets = new SecretVolumes(client);
        this.nodes = nodes;
        this.root = root;
    }

    @Override
    public CompletionStage<Void> start(Pod pod) {
        Optional<NodeSpec> spec;
        try {
            spec = nodeSpec(pod);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return spec.map(nodes::start).orElseGet(() -> CompletableFuture.completedFuture(null));
    }

    @Override
    public CompletionStage<Void> stop(Pod pod, Duration grace) {
        return nodes.stop(key(pod), grace);
    }

    /**
     * The client addresses, reachable from this machine, of pods {@code <statefulSet>-0} to
     * {@code <statefulSet>-(count-1)} in {@code namespace}: the ports stand for those pods whether
     * their nodes run right now or not, so the address stays the same while brokers restart.
     */
    public String bootstrapServers(String namespace, String statefulSet, int count, String listener) {
        List<String> addresses = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add("127.0.0.1:" + nodes.port(new PodKey(namespace, statefulSet + "-" + i), listener));
        }
        return String.join(",", addresses);
    }

    public KafkaNodes nodes() {
        return nodes;
    }

    /** The pod's node, when it mounts a ConfigMap with its own {@code server-<ordinal>.properties}. */
    private Optional<NodeSpec> nodeSpec(Pod pod) {
        String name = pod.getMetadata().getName();
        String namespace = pod.getMetadata().getNamespace();
        String ordinal = name.substring(name.lastIndexOf('-') + 1);
        String claim = name;
        for (Volume v : MountedConfigMaps.volumes(pod)) {
            if (v.getPersistentVolumeClaim() != null) {
                claim = v.getPersistentVolumeClaim().getClaimName();
            }
        }
        ConfigMap config = MountedConfigMaps.holding(client, pod, propertiesKey(ordinal)).orElse(null);
        if (config == null) {
            return Optional.empty();
        }
        if (claim.equals(name)) {
            claim = "data-" + name; // the StatefulSet's claim template "data", as Kubernetes names it
        }
        Map<String, String> data = config.getData();
        NodeSpec spec = NodeSpec.of(namespace, name, data.get(propertiesKey(ordinal)), root.resolve(namespace).resolve(volumeDir(namespace, claim)))
                .withMounts(secrets.materialise(pod, root.resolve(namespace).resolve(SECRETS_DIR).resolve(name)));
        return Optional.of(data.containsKey(CLUSTER_ID_KEY) ? spec.withClusterId(data.get(CLUSTER_ID_KEY)) : spec);
    }

    /** The directory of one claim's life: its name and, when the claim object exists, its uid. */
    private String volumeDir(String namespace, String claim) {
        PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
        return pvc == null || pvc.getMetadata().getUid() == null ? claim : claim + "-" + pvc.getMetadata().getUid();
    }

    private static String propertiesKey(String ordinal) {
        return "server-" + ordinal + ".properties";
    }

    private static PodKey key(Pod pod) {
        return new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    /** Brokers first ({@link KafkaNodes#stopBrokersFirst}). */
    @Override
    public CompletionStage<Void> stopAll(List<Pod> pods, Duration grace) {
        return nodes.stopBrokersFirst(pods.stream().map(KafkaPodRuntime::key).toList(), grace);
    }

    @Override
    public void close() {
        nodes.close();
    }

    @Override
    public String toString() {
        return "kafka-nodes";
    }
}
