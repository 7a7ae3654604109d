package io.coxswain.sandbox.kube.apps;

import io.coxswain.sandbox.kube.apiserver.OrphanDeletion;
import io.coxswain.sandbox.kube.control.WorkQueue;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated StatefulSet controller: watches StatefulSets and pods through informers, as
 * kube-controller-manager does, and reconciles each set on its own queue thread. Deleting a set
 * deletes its pods and revisions, as the garbage collector would for a background deletion; its
 * claims stay unless {@code persistentVolumeClaimRetentionPolicy.whenDeleted} is {@code Delete}.
 */
public final class StatefulSetController implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatefulSetController.class);

    private final KubernetesClient client;
    private final StatefulSetReconciler reconciler;
    private final ControllerRevisions revisions;
    private final WorkQueue queue;
    /** Sets seen deleted and not yet cleaned up, by key: their uid tells their pods apart from a successor's. */
    private final Map<String, StatefulSet> deleted = new ConcurrentHashMap<>();
    private final SharedIndexInformer<StatefulSet> setInformer;
    private final SharedIndexInformer<Pod> podInformer;

    public StatefulSetController(KubernetesClient client) {
        this.client = client;
        this.reconciler = new StatefulSetReconciler(client);
        this.revisions = new ControllerRevisions(client);
        this.queue = new WorkQueue("statefulset-controller", this::handle);
        this.setInformer = client.apps().statefulSets().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(StatefulSet sts) {
                queue.enqueue(key(sts));
            }

            @Override
            public void onUpdate(StatefulSet old, StatefulSet sts) {
                queue.enqueue(key(sts));
            }

            @Override
            public void onDelete(StatefulSet sts, boolean finalStateUnknown) {
                deleted.put(key(sts), sts);
                queue.enqueue(key(sts));
            }
        });
        this.podInformer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                enqueueOwner(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                enqueueOwner(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                enqueueOwner(pod);
            }
        });
        log.info("Sandbox StatefulSet controller started");
    }

    private void enqueueOwner(Pod pod) {
        StatefulSetPods.controllingStatefulSet(pod.getMetadata())
                .ifPresent(owner -> queue.enqueue(WorkQueue.key(pod.getMetadata().getNamespace(), owner)));
    }

    private void handle(String key) {
        StatefulSet gone = deleted.remove(key);
        if (gone != null) {
            collectGarbage(gone);
        }
        StatefulSet sts = client.apps().statefulSets().inNamespace(WorkQueue.namespaceOf(key))
                .withName(WorkQueue.nameOf(key)).get();
        if (sts != null) {
            reconciler.reconcile(sts);
        }
    }

    private void collectGarbage(StatefulSet sts) {
        if (OrphanDeletion.isOrphaning(sts.getMetadata())) {
            return; // its pods and revisions were left running on purpose, for a set made again to adopt
        }
        String namespace = sts.getMetadata().getNamespace();
        String uid = sts.getMetadata().getUid();
        log.info("StatefulSet {}/{} deleted: deleting its pods", namespace, sts.getMetadata().getName());
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        pods.stream().filter(p -> StatefulSetPods.isOwnedBy(p.getMetadata(), uid))
                .forEach(p -> client.pods().inNamespace(namespace).resource(p).delete());
        revisions.deleteOwnedBy(namespace, uid);
        if ("Delete".equals(StatefulSetReconciler.retention(sts).whenDeleted())) {
            for (PersistentVolumeClaim template : StatefulSetPods.claimTemplates(sts)) {
                String prefix = template.getMetadata().getName() + "-" + sts.getMetadata().getName() + "-";
                client.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()
                        .filter(c -> StatefulSetReconciler.parseOrdinal(c.getMetadata().getName(), prefix).isPresent())
                        .forEach(c -> client.persistentVolumeClaims().inNamespace(namespace).resource(c).delete());
            }
        }
    }

    private static String key(StatefulSet sts) {
        return WorkQueue.key(sts.getMetadata().getNamespace(), sts.getMetadata().getName());
    }

    @Override
    public void close() {
        setInformer.close();
        podInformer.close();
        queue.close();
        log.info("Sandbox StatefulSet controller stopped");
    }
}
