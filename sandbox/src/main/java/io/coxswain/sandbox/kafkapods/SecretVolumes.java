package io.coxswain.sandbox.kafkapods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a kubelet does for a pod's Secret volumes: writes each Secret's entries as files (an entry's
 * key is its file name, or the {@code items} path when the volume lists items) into a directory of
 * this machine, afresh at every start, so a pod started after its Secret changed reads the new
 * entries. A Secret that does not exist (yet) fails the start unless the volume is optional, as a
 * pod would wait in ContainerCreating; the kubelet retries.
 */
final class SecretVolumes {

    private final KubernetesClient client;

    SecretVolumes(KubernetesClient client) {
        this.client = client;
    }

    /** @return mount path of the pod's (first) container → the local directory with the volume's files */
    Map<String, Path> materialise(Pod pod, Path podDir) {
        Map<String, Path> mounts = new LinkedHashMap<>();
        List<Container> containers = pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
        List<VolumeMount> volumeMounts = containers.isEmpty() || containers.get(0).getVolumeMounts() == null
                ? List.of() : containers.get(0).getVolumeMounts();
        for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
            SecretVolumeSource source = v.getSecret();
            if (source == null) {
                continue;
            }
            String mountPath = volumeMounts.stream().filter(m -> v.getName().equals(m.getName())).map(VolumeMount::getMountPath)
                    .findFirst().orElse(null);
            if (mountPath == null) {
                continue; // a volume no container mounts gives the node nothing
            }
            Secret secret = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(source.getSecretName()).get();
            if (secret == null) {
                if (Boolean.TRUE.equals(source.getOptional())) {
                    continue;
                }
                throw new IllegalStateException("pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
                        + " mounts Secret " + source.getSecretName() + ", which does not exist; the pod starts once it does");
            }
            Path dir = podDir.resolve(v.getName()).toAbsolutePath();
            write(dir, files(secret, source.getItems()));
            mounts.put(mountPath, dir);
        }
        return mounts;
    }

    private static Map<String, byte[]> files(Secret secret, List<KeyToPath> items) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> entries.put(k, Base64.getDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> entries.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (items == null || items.isEmpty()) {
            return entries;
        }
        Map<String, byte[]> listed = new LinkedHashMap<>();
        for (KeyToPath item : items) {
            if (entries.containsKey(item.getKey())) {
                listed.put(item.getPath(), entries.get(item.getKey()));
            }
        }
        return listed;
    }

    private static void write(Path dir, Map<String, byte[]> files) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path file = dir.resolve(f.getKey()).normalize();
                if (!file.startsWith(dir)) {
                    throw new IllegalArgumentException("Secret entry path " + f.getKey() + " leaves its volume");
                }
                Files.createDirectories(file.getParent());
                Files.write(file, f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Secret volume files under " + dir + ": " + e.getMessage(), e);
        }
    }
}
