package io.coxswain.sandbox.kube.apps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a StatefulSet's {@code .status} from its pods as Kubernetes 1.32 does and writes it
 * through the status subresource only (a plain update would also write the spec, and on a real
 * API server could not write the status at all).
 * <p>
 * Faithful to Kubernetes up to 1.35: {@code currentRevision} becomes {@code updateRevision} only
 * when a <em>RollingUpdate</em> completes. With {@code OnDelete} it stays at the old revision even
 * after every pod was re-created (kubernetes/kubernetes#73492), so an orchestrator must judge an
 * OnDelete rollout by {@code updatedReplicas} and the pods' revision labels, not by
 * {@code currentRevision}.
 */
final class StatefulSetStatusWriter {

    private static final Logger log = LoggerFactory.getLogger(StatefulSetStatusWriter.class);

    private final KubernetesClient client;

    StatefulSetStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    void write(StatefulSet sts, Collection<Pod> pods, String currentRevision, String updateRevision) {
        StatefulSetStatus status = compute(sts, pods, currentRevision, updateRevision);
        StatefulSetStatus old = Optional.ofNullable(sts.getStatus()).orElseGet(StatefulSetStatus::new);
        if (sameCounts(old, status)) {
            return;
        }
        client.apps().statefulSets().inNamespace(sts.getMetadata().getNamespace()).withName(sts.getMetadata().getName())
                .editStatus(s -> {
                    s.setStatus(new StatefulSetStatusBuilder(status).withConditions(
                            s.getStatus() == null ? null : s.getStatus().getConditions()).build());
                    return s;
                });
        log.info("StatefulSet {}/{} status: replicas={} ready={} current={} updated={} revision {} -> {}",
                sts.getMetadata().getNamespace(), sts.getMetadata().getName(), status.getReplicas(),
                status.getReadyReplicas(), status.getCurrentReplicas(), status.getUpdatedReplicas(),
                status.getCurrentRevision(), status.getUpdateRevision());
    }

    static StatefulSetStatus compute(StatefulSet sts, Collection<Pod> pods, String currentRevision, String updateRevision) {
        int replicas = 0;
        int ready = 0;
        int current = 0;
        int updated = 0;
        for (Pod pod : pods) {
            if (StatefulSetPods.isCreated(pod)) {
                replicas++;
            }
            if (StatefulSetPods.isRunningAndReady(pod)) {
                ready++;
            }
            if (StatefulSetPods.isCreated(pod) && !StatefulSetPods.isTerminating(pod)) {
                String revision = StatefulSetPods.revisionOf(pod);
                current += currentRevision.equals(revision) ? 1 : 0;
                updated += updateRevision.equals(revision) ? 1 : 0;
            }
        }
        String newCurrentRevision = currentRevision;
        if ("RollingUpdate".equals(StatefulSetReconciler.strategy(sts)) && updated == replicas && ready == replicas) {
            newCurrentRevision = updateRevision;
            current = updated;
        }
        return new StatefulSetStatusBuilder()
                .withObservedGeneration(sts.getMetadata().getGeneration())
                .withReplicas(replicas).withReadyReplicas(ready).withAvailableReplicas(ready)
                .withCurrentReplicas(current).withUpdatedReplicas(updated)
                .withCurrentRevision(newCurrentRevision).withUpdateRevision(updateRevision)
                .withCollisionCount(0).build();
    }

    private static boolean sameCounts(StatefulSetStatus a, StatefulSetStatus b) {
        return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(a.getReplicas(), b.getReplicas())
                && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
                && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas())
                && Objects.equals(a.getCurrentReplicas(), b.getCurrentReplicas())
                && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
                && Objects.equals(a.getCurrentRevision(), b.getCurrentRevision())
                && Objects.equals(a.getUpdateRevision(), b.getUpdateRevision())
                && Objects.equals(a.getCollisionCount(), b.getCollisionCount());
    }
}
