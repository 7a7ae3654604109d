package io.coxswain.sandbox.kafkapods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/** How a runtime tells what a pod runs: by the ConfigMap it mounts and the key that ConfigMap holds. */
final class MountedConfigMaps {

    private MountedConfigMaps() {
    }

    /** The first ConfigMap among the pod's volumes that holds {@code key}, if any. */
    static Optional<ConfigMap> holding(KubernetesClient client, Pod pod, String key) {
        String namespace = pod.getMetadata().getNamespace();
        for (Volume v : volumes(pod)) {
            if (v.getConfigMap() != null) {
                ConfigMap cm = client.configMaps().inNamespace(namespace).withName(v.getConfigMap().getName()).get();
                if (cm != null && cm.getData() != null && cm.getData().containsKey(key)) {
                    return Optional.of(cm);
                }
            }
        }
        return Optional.empty();
    }

    static List<Volume> volumes(Pod pod) {
        return pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    }
}
