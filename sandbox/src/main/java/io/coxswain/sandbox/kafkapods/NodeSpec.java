package io.coxswain.sandbox.kafkapods;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a pod gives the Kafka node it runs: its identity, its {@code server.properties} exactly as
 * the ConfigMap holds it (cluster DNS names, container ports, container paths), the directory
 * that stands for its PersistentVolumeClaim, and the local directories that stand for its other
 * mounted volumes (Secrets).
 *
 * @param clusterId the Kafka cluster id the storage is formatted with (Coxswain passes it to pods
 *     as it would to {@code kafka-storage format -t}); when empty, one is derived from the quorum
 *     configuration, which every node of a cluster shares
 * @param mounts    container mount path → the local directory holding that volume's files
 */
public record NodeSpec(PodKey pod, String serverProperties, Path dataDir, Optional<String> clusterId, Map<String, Path> mounts) {

    public static NodeSpec of(String namespace, String pod, String serverProperties, Path dataDir) {
        return new NodeSpec(new PodKey(namespace, pod), serverProperties, dataDir, Optional.empty(), Map.of());
    }

    public NodeSpec withClusterId(String id) {
        return new NodeSpec(pod, serverProperties, dataDir, Optional.of(id), mounts);
    }

    public NodeSpec withMounts(Map<String, Path> m) {
        return new NodeSpec(pod, serverProperties, dataDir, clusterId, Map.copyOf(m));
    }
}
