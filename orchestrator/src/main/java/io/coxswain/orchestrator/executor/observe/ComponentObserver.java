package io.coxswain.orchestrator.executor.observe;

import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.state.ComponentStatus;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.Images;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What Kubernetes shows of one workload (a Kafka role or a platform component): the StatefulSet's
 * replicas, how many of its pods are Ready, which versions (image tags) they run, and the image new
 * pods get.
 */
public final class ComponentObserver {

    private final KubeObjects kube;

    public ComponentObserver(KubeObjects kube) {
        this.kube = kube;
    }

    /** @return empty while the workload has neither StatefulSet nor pods (nothing to report yet) */
    public Optional<ComponentObserved> observe(ClusterNames names, Workload workload) {
        StatefulSet sts = kube.statefulSet(names.namespace(), workload.statefulSet());
        List<Pod> pods = kube.watchedPods(names.namespace(), workload.selector());
        if (sts == null && pods.isEmpty()) {
            return Optional.empty();
        }
        int desired = sts == null || sts.getSpec().getReplicas() == null ? 0 : sts.getSpec().getReplicas();
        int ready = (int) pods.stream().filter(ComponentObserver::isReady).count();
        TreeSet<String> versions = new TreeSet<>();
        pods.forEach(p -> container(p.getSpec().getContainers(), workload).map(c -> Images.tag(c.getImage())).ifPresent(versions::add));
        String image = sts == null ? null
                : container(sts.getSpec().getTemplate().getSpec().getContainers(), workload).map(Container::getImage).orElse(null);
        return Optional.of(ComponentObserved.newBuilder().setComponent(workload.statusKey()).setDesired(desired).setReady(ready)
                .setVersions(List.copyOf(versions)).setImage(image).build());
    }

    /** Ready and not on its way out. */
    public static boolean isReady(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Whether the folded status already says what was observed (then nothing is recorded). */
    public static boolean sameAs(ComponentObserved observed, ComponentStatus folded) {
        return folded != null && folded.getDesired() == observed.getDesired() && folded.getReady() == observed.getReady()
                && folded.getVersions().equals(observed.getVersions()) && Objects.equals(folded.getImage(), observed.getImage());
    }

    private static Optional<Container> container(List<Container> containers, Workload workload) {
        return containers.stream().filter(c -> workload.container().equals(c.getName())).findFirst();
    }
}
