package io.coxswain.sandbox.kube.apps;

import io.coxswain.sandbox.kube.apiserver.OrphanDeletion;
import static io.coxswain.sandbox.kube.apps.StatefulSetPods.isHealthy;
import static io.coxswain.sandbox.kube.apps.StatefulSetPods.isTerminating;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the StatefulSet controller over one set, after Kubernetes' own: create missing
 * ordinals (with their claims), delete ordinals beyond {@code replicas} highest first, and roll
 * pods whose revision is out of date when the strategy is RollingUpdate. With the default
 * {@code OrderedReady} policy each step waits until every pod before it is Running and Ready;
 * with {@code Parallel} it does not. Each pass does what it can and returns; the next pod event
 * brings the next pass.
 */
final class StatefulSetReconciler {

    private static final Logger log = LoggerFactory.getLogger(StatefulSetReconciler.class);

    private final KubernetesClient client;
    private final ControllerRevisions revisions;
    private final StatefulSetStatusWriter statusWriter;

    StatefulSetReconciler(KubernetesClient client) {
        this.client = client;
        this.revisions = new ControllerRevisions(client);
        this.statusWriter = new StatefulSetStatusWriter(client);
    }

    void reconcile(StatefulSet sts) {
        if (sts.getMetadata().getDeletionTimestamp() != null || OrphanDeletion.isOrphaning(sts.getMetadata())) {
            return; // as Kubernetes' controller: a set being deleted makes, adopts and deletes no pod
        }
        String namespace = sts.getMetadata().getNamespace();
        String updateRevision = revisions.ensureUpdateRevision(sts);
        String currentRevision = Optional.ofNullable(sts.getStatus()).map(s -> s.getCurrentRevision())
                .filter(r -> !r.isEmpty()).orElse(updateRevision);
        NavigableMap<Integer, Pod> pods = ownedPods(sts);
        int start = StatefulSetPods.startOrdinal(sts);
        int end = start + Optional.ofNullable(sts.getSpec().getReplicas()).orElse(1);
        boolean ordered = !"Parallel".equals(sts.getSpec().getPodManagementPolicy());

        if (createMissing(sts, pods, start, end, currentRevision, updateRevision, ordered)
                && deleteCondemned(sts, pods, start, end, ordered)
                && "RollingUpdate".equals(strategy(sts))) {
            rollOne(sts, pods, start, end, updateRevision);
        }
        releaseClaimsOfScaledDownOrdinals(sts, pods, end);
        NavigableMap<Integer, Pod> now = ownedPods(sts);
        statusWriter.write(sts, now.values(), currentRevision, updateRevision);
        Set<String> inUse = new HashSet<>(List.of(currentRevision, updateRevision));
        now.values().forEach(p -> inUse.add(StatefulSetPods.revisionOf(p)));
        revisions.prune(sts, inUse);
        log.debug("StatefulSet {}/{} reconciled: {} pods", namespace, sts.getMetadata().getName(), now.size());
    }

    /** @return true when every ordinal below {@code end} exists, so the pass may go on */
    private boolean createMissing(StatefulSet sts, Map<Integer, Pod> pods, int start, int end,
            String currentRevision, String updateRevision, boolean ordered) {
        boolean complete = true;
        for (int ordinal = start; ordinal < end; ordinal++) {
            Pod pod = pods.get(ordinal);
            if (pod == null) {
                createPod(sts, ordinal, currentRevision, updateRevision);
                complete = false;
                if (ordered) {
                    return false;
                }
            } else if (ordered && !isHealthy(pod)) {
                return false; // wait for it: OrderedReady goes on only past Running and Ready pods
            } else if (isTerminating(pod)) {
                complete = false; // re-created once the kubelet has removed it
            }
        }
        return complete;
    }

    private void createPod(StatefulSet sts, int ordinal, String currentRevision, String updateRevision) {
        String namespace = sts.getMetadata().getNamespace();
        for (PersistentVolumeClaim template : StatefulSetPods.claimTemplates(sts)) {
            String claim = StatefulSetPods.claimName(template, sts, ordinal);
            if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null) {
                client.persistentVolumeClaims().inNamespace(namespace)
                        .resource(StatefulSetPods.newClaim(sts, template, ordinal)).create();
                log.info("StatefulSet {}/{}: created claim {}", namespace, sts.getMetadata().getName(), claim);
            }
        }
        // As Kubernetes: below a rolling update's partition, a re-created pod keeps the old template.
        String revision = ordinal < StatefulSetPods.startOrdinal(sts) + partition(sts) ? currentRevision : updateRevision;
        PodTemplateSpec template = revision.equals(updateRevision) ? sts.getSpec().getTemplate()
                : revisions.template(namespace, revision).orElse(sts.getSpec().getTemplate());
        Pod pod = StatefulSetPods.newPod(sts, template, revision, ordinal);
        try {
            client.pods().inNamespace(namespace).resource(pod).create();
            log.info("StatefulSet {}/{}: created pod {} at revision {}", namespace, sts.getMetadata().getName(),
                    pod.getMetadata().getName(), revision);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            log.warn("StatefulSet {}/{}: pod {} exists but is not owned by the set", namespace,
                    sts.getMetadata().getName(), pod.getMetadata().getName());
        }
    }

    /** Deletes pods outside [start, end), highest ordinal first. @return true when none is left */
    private boolean deleteCondemned(StatefulSet sts, NavigableMap<Integer, Pod> pods, int start, int end, boolean ordered) {
        TreeMap<Integer, Pod> outside = new TreeMap<>(pods.tailMap(end, true));
        outside.putAll(pods.headMap(start, false));
        NavigableMap<Integer, Pod> condemned = outside.descendingMap();
        if (condemned.isEmpty()) {
            return true;
        }
        if (ordered && pods.values().stream().anyMatch(p -> !isHealthy(p) && !condemned.containsValue(p))) {
            return false;
        }
        for (Pod pod : condemned.values()) {
            if (isTerminating(pod)) {
                if (ordered) {
                    return false;
                }
                continue;
            }
            deletePod(sts, pod, "scale down");
            if (ordered) {
                return false;
            }
        }
        return false;
    }

    /** RollingUpdate: replaces the highest out-of-date pod, one at a time, once all are healthy. */
    private void rollOne(StatefulSet sts, NavigableMap<Integer, Pod> pods, int start, int end, String updateRevision) {
        if (pods.headMap(end, false).values().stream().anyMatch(p -> !isHealthy(p))) {
            return;
        }
        for (int ordinal = end - 1; ordinal >= start + partition(sts); ordinal--) {
            Pod pod = pods.get(ordinal);
            if (pod != null && !updateRevision.equals(StatefulSetPods.revisionOf(pod))) {
                deletePod(sts, pod, "rolling update to " + updateRevision);
                return;
            }
        }
    }

    private void deletePod(StatefulSet sts, Pod pod, String reason) {
        log.info("StatefulSet {}/{}: deleting pod {} ({})", sts.getMetadata().getNamespace(),
                sts.getMetadata().getName(), pod.getMetadata().getName(), reason);
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).delete();
    }

    /** persistentVolumeClaimRetentionPolicy.whenScaled=Delete: claims of removed ordinals go too. */
    private void releaseClaimsOfScaledDownOrdinals(StatefulSet sts, Map<Integer, Pod> pods, int end) {
        if (!"Delete".equals(retention(sts).whenScaled())) {
            return;
        }
        String namespace = sts.getMetadata().getNamespace();
        for (PersistentVolumeClaim template : StatefulSetPods.claimTemplates(sts)) {
            String prefix = template.getMetadata().getName() + "-" + sts.getMetadata().getName() + "-";
            for (PersistentVolumeClaim claim : client.persistentVolumeClaims().inNamespace(namespace).list().getItems()) {
                String name = claim.getMetadata().getName();
                OptionalInt ordinal = parseOrdinal(name, prefix);
                if (ordinal.isPresent() && ordinal.getAsInt() >= end && !pods.containsKey(ordinal.getAsInt())) {
                    log.info("StatefulSet {}/{}: deleting claim {} of a removed ordinal", namespace,
                            sts.getMetadata().getName(), name);
                    client.persistentVolumeClaims().inNamespace(namespace).resource(claim).delete();
                }
            }
        }
    }

    private NavigableMap<Integer, Pod> ownedPods(StatefulSet sts) {
        NavigableMap<Integer, Pod> pods = new TreeMap<>();
        List<Pod> all = client.pods().inNamespace(sts.getMetadata().getNamespace()).list().getItems();
        for (Pod pod : all) {
            Pod owned = StatefulSetPods.isOwnedBy(pod.getMetadata(), sts.getMetadata().getUid()) ? pod : adopted(sts, pod);
            if (owned != null) {
                StatefulSetPods.ordinal(sts, owned).ifPresent(o -> pods.put(o, owned));
            }
        }
        return pods;
    }

    /**
     * As Kubernetes' controller, a set adopts the pods no controller owns that its selector and its
     * naming match: those a set of the same name left running when it was deleted with orphan propagation.
     * @return the adopted pod, or null when it is not this set's to adopt
     */
    private Pod adopted(StatefulSet sts, Pod pod) {
        if (StatefulSetPods.controllingStatefulSet(pod.getMetadata()).isPresent() || isTerminating(pod)
                || StatefulSetPods.ordinal(sts, pod).isEmpty() || !StatefulSetPods.selects(sts, pod.getMetadata())
                || !stillAdopting(sts)) {
            return null;
        }
        log.info("StatefulSet {}/{}: adopting orphaned pod {}", sts.getMetadata().getNamespace(), sts.getMetadata().getName(),
                pod.getMetadata().getName());
        return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).edit(p -> {
            p.getMetadata().setOwnerReferences(new ArrayList<>(List.of(StatefulSetPods.ownerReference(sts))));
            return p;
        });
    }

    /**
     * As Kubernetes' controller rechecks before it adopts: the set read again is still this one and not
     * being deleted. The set this pass began with may since have been deleted with its pods orphaned;
     * adopting them into it would have its deletion take them.
     */
    private boolean stillAdopting(StatefulSet sts) {
        StatefulSet now = client.apps().statefulSets().inNamespace(sts.getMetadata().getNamespace()).withName(sts.getMetadata().getName()).get();
        return now != null && now.getMetadata().getUid().equals(sts.getMetadata().getUid()) && now.getMetadata().getDeletionTimestamp() == null
                && !OrphanDeletion.isOrphaning(now.getMetadata());
    }

    static String strategy(StatefulSet sts) {
        return sts.getSpec().getUpdateStrategy() == null || sts.getSpec().getUpdateStrategy().getType() == null
                ? "RollingUpdate" : sts.getSpec().getUpdateStrategy().getType();
    }

    private static int partition(StatefulSet sts) {
        if (!"RollingUpdate".equals(strategy(sts)) || sts.getSpec().getUpdateStrategy() == null
                || sts.getSpec().getUpdateStrategy().getRollingUpdate() == null
                || sts.getSpec().getUpdateStrategy().getRollingUpdate().getPartition() == null) {
            return 0;
        }
        return sts.getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
    }

    record Retention(String whenDeleted, String whenScaled) {
    }

    static Retention retention(StatefulSet sts) {
        var policy = sts.getSpec().getPersistentVolumeClaimRetentionPolicy();
        return policy == null ? new Retention("Retain", "Retain")
                : new Retention(Optional.ofNullable(policy.getWhenDeleted()).orElse("Retain"),
                        Optional.ofNullable(policy.getWhenScaled()).orElse("Retain"));
    }

    static OptionalInt parseOrdinal(String name, String prefix) {
        if (!name.startsWith(prefix)) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(name.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
