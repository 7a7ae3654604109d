package io.coxswain.orchestrator.operations.drive;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaPodTemplate;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.observe.ComponentObserver;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The pods of one cluster as an operation sees them: for each expected pod whether it exists, is
 * Ready, and runs what its StatefulSet's template asks for now (image and configuration hash).
 * Because the StatefulSets use {@code OnDelete}, a pod that is not up to date keeps running until
 * an operation deletes it, and a pod re-created after that deletion is up to date: so "which pods
 * are still to roll" is read from the world, and no pod is restarted twice for one change.
 */
record ClusterPods(List<NodePod> pods) {

    /**
     * One expected pod; {@code running} is null while the StatefulSet has not (re-)created it.
     */
    record NodePod(KafkaRole role, int ordinal, String name, String namespace, Running running) {

        int nodeId() {
            return role.nodeId(ordinal);
        }

        boolean exists() {
            return running != null;
        }

        boolean ready() {
            return running != null && running.ready();
        }

        /** Neither a new image, nor a new configuration, nor a new sizing, nor a manual restart it was created before. */
        boolean upToDate() {
            return running != null && !running.imageChanged() && !running.configChanged() && running.resourcesChange() == null
                    && !running.restartPending();
        }

        boolean imageChanged() {
            return running != null && running.imageChanged();
        }

        boolean configChanged() {
            return running != null && running.configChanged();
        }

        /** What a new sizing of the role changes for this pod ({@link ResourcesChange}), null if it runs the current one. */
        String resourcesChange() {
            return running == null ? null : running.resourcesChange();
        }

        /** The image the pod is for (as the state asked for it, whatever mirror it is pulled from), null while it does not exist. */
        String image() {
            return running == null ? null : running.image();
        }

        /** This incarnation of the pod (a re-created pod has a new one), null while it does not exist. */
        String uid() {
            return running == null ? null : running.uid();
        }

        /** The image its StatefulSet's template is for, null while the pod does not exist. */
        String wantedImage() {
            return running == null ? null : running.wantedImage();
        }
    }

    /**
     * A pod that exists, compared with its StatefulSet's template.
     *
     * @param resourcesChange what differs since the role's sizing changed, null when the pod has the current sizing
     * @param uid the pod's own: which incarnation of it this is
     */
    record Running(boolean ready, String image, String wantedImage, boolean configChanged, String resourcesChange, boolean restartPending,
                   String uid) {

        boolean imageChanged() {
            return !Objects.equals(image, wantedImage);
        }
    }

    static ClusterPods read(KubernetesClient client, ClusterNames names) {
        List<NodePod> pods = new ArrayList<>();
        for (KafkaRole role : List.of(KafkaRole.CONTROLLER, KafkaRole.BROKER)) {
            StatefulSet sts = client.apps().statefulSets().inNamespace(names.namespace()).withName(names.statefulSet(role)).get();
            if (sts == null) {
                continue;
            }
            PodTemplateSpec template = sts.getSpec().getTemplate();
            String wantedHash = annotation(template.getMetadata().getAnnotations(), ClusterNames.CONFIG_HASH_ANNOTATION);
            String wantedRestart = annotation(template.getMetadata().getAnnotations(), ClusterNames.RESTART_ANNOTATION);
            String wantedResources = annotation(template.getMetadata().getAnnotations(), ClusterNames.RESOURCES_ANNOTATION);
            Container wantedKafka = kafka(template.getSpec().getContainers()).orElse(null);
            String wantedImage = image(template.getMetadata().getAnnotations(), wantedKafka);
            int replicas = sts.getSpec().getReplicas() == null ? 0 : sts.getSpec().getReplicas();
            for (int i = 0; i < replicas; i++) {
                String name = names.pod(role, i);
                Pod pod = client.pods().inNamespace(names.namespace()).withName(name).get();
                if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
                    pods.add(new NodePod(role, i, name, names.namespace(), null));
                    continue;
                }
                Map<String, String> annotations = pod.getMetadata().getAnnotations();
                Container kafka = kafka(pod.getSpec().getContainers()).orElse(null);
                String image = image(annotations, kafka);
                boolean sameConfig = Objects.equals(annotation(annotations, ClusterNames.CONFIG_HASH_ANNOTATION), wantedHash);
                // the annotation, not the containers, says whether to roll: an API server may add defaults to a pod's resources
                String resourcesChange = Objects.equals(annotation(annotations, ClusterNames.RESOURCES_ANNOTATION), wantedResources) ? null
                        : ResourcesChange.between(kafka, wantedKafka);
                // one way only: with no restart pending (none yet, or the last one abandoned: "") any pod will do
                boolean restarted = wantedRestart == null || wantedRestart.isEmpty()
                        || wantedRestart.equals(annotation(annotations, ClusterNames.RESTART_ANNOTATION));
                pods.add(new NodePod(role, i, name, names.namespace(),
                        new Running(ComponentObserver.isReady(pod), image, wantedImage, !sameConfig, resourcesChange,
                        !restarted, pod.getMetadata().getUid())));
            }
        }
        return new ClusterPods(List.copyOf(pods));
    }

    /**
     * The image a pod (or a template) is for: as the state asked for it where an installation pulls from a mirror
     * ({@link ClusterNames#IMAGE_ANNOTATION}), else its container's; so pods whose image differs only by the mirror it
     * is pulled from do not roll, and a pod made before the installation used mirrors compares by its container's.
     */
    private static String image(Map<String, String> annotations, Container kafka) {
        String asked = annotation(annotations, ClusterNames.IMAGE_ANNOTATION);
        return asked != null ? asked : kafka == null ? null : kafka.getImage();
    }

    /** A pod missing or not Ready: the one an operation is waiting for (at most one is ever taken down on purpose). */
    Optional<NodePod> firstUnavailable() {
        return pods.stream().filter(p -> !p.exists() || !p.ready()).findFirst();
    }

    List<NodePod> outdated(KafkaRole role) {
        return pods.stream().filter(p -> p.role() == role && p.exists() && !p.upToDate())
                .sorted(Comparator.comparingInt(NodePod::ordinal)).toList();
    }

    boolean anyOutdated() {
        return pods.stream().anyMatch(p -> p.exists() && !p.upToDate());
    }

    boolean anyImageChanged() {
        return pods.stream().anyMatch(p -> p.exists() && p.imageChanged());
    }

    boolean anyConfigChanged() {
        return pods.stream().anyMatch(p -> p.exists() && p.configChanged());
    }

    /** The first change of sizing a pod still waits for: what a resources roll is about. */
    Optional<String> firstResourcesChange() {
        return pods.stream().filter(NodePod::exists).map(NodePod::resourcesChange).filter(Objects::nonNull).findFirst();
    }

    Optional<NodePod> named(String name) {
        return pods.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    long upToDate() {
        return pods.stream().filter(p -> p.exists() && p.upToDate()).count();
    }

    List<Integer> brokerIds() {
        return pods.stream().filter(p -> p.role() == KafkaRole.BROKER).map(NodePod::nodeId).toList();
    }

    private static String annotation(Map<String, String> annotations, String key) {
        return annotations == null ? null : annotations.get(key);
    }

    private static Optional<Container> kafka(List<Container> containers) {
        return containers.stream().filter(c -> KafkaPodTemplate.KAFKA_CONTAINER.equals(c.getName())).findFirst();
    }
}
