package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.DesiredCluster;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.fold.Phases;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteCluster: removes every object Coxswain made for the cluster, the volumes only when the
 * command asked for it, and records {@code ClusterRemovedObserved} once the pods are gone.
 * Kept volumes keep their namespace too (deleting a namespace deletes its claims).
 *
 * <p>Brokers go first: a broker stops cleanly (its leaderships moved, its logs closed, no recovery at a later start) only
 * while the controller quorum answers it, so the controllers' StatefulSet, and the Services the brokers reach them by,
 * are deleted once no broker pod is left. Deleted together, every broker waited out its whole termination grace (120 s)
 * for a quorum that had already gone, and was then killed.
 */
final class ClusterRemover {

    private static final Logger log = LoggerFactory.getLogger(ClusterRemover.class);

    private final KubeObjects kube;
    private final ModelSettings settings;
    private final ActionRecorder recorder;
    private final StatusReporter status;

    ClusterRemover(KubeObjects kube, ModelSettings settings, ActionRecorder recorder, StatusReporter status) {
        this.kube = kube;
        this.settings = settings;
        this.recorder = recorder;
        this.status = status;
    }

    ClusterReconciler.Result remove(ReconcilePass pass, ClusterNames names) {
        ClusterState state = pass.state();
        if (Phases.DELETED.equals(state.getStatus().getPhase())) {
            return ClusterReconciler.Result.CONVERGED;
        }
        boolean deleteVolumes = state.getSpec().getDeleteVolumes();
        List<Pod> brokers = kube.pods(names.namespace(), names.selector(KafkaRole.BROKER));
        if (brokers.isEmpty()) {
            deleteOwnedObjects(pass, names, live -> true, "DeleteCluster: removing everything Coxswain made for the cluster"
                    + " (the controllers and their Services once no broker is left)");
        } else {
            deleteOwnedObjects(pass, names, live -> !neededToStopBrokers(live, names),
                    "DeleteCluster: removing everything Coxswain made for the cluster (brokers first: the controllers and their"
                            + " Services stay until the brokers have stopped)");
        }
        status.reportReconciled(state); // the deletion is under way: what was asked is acted on, however long pods take to go
        if (!brokers.isEmpty()) {
            log.info("cluster {}: waiting for {} broker pods to stop before the controllers go (a broker stops cleanly only while"
                    + " the quorum answers)", pass.clusterId(), brokers.size());
            return ClusterReconciler.Result.WAITING;
        }
        List<Pod> pods = kube.pods(names.namespace(), names.clusterSelector());
        if (!pods.isEmpty()) {
            log.info("cluster {}: waiting for {} pods to terminate before finishing the deletion", pass.clusterId(), pods.size());
            return ClusterReconciler.Result.WAITING;
        }
        if (deleteVolumes) {
            for (PersistentVolumeClaim claim : kube.claims(names.namespace(), names.clusterSelector())) {
                delete(pass, claim, "DeleteCluster asked to delete the volumes");
            }
            deleteOwnNamespace(pass, names);
        }
        status.reportComponents(state, names);
        status.reportRemoved(state, deleteVolumes);
        return ClusterReconciler.Result.CONVERGED;
    }

    private void deleteOwnedObjects(ReconcilePass pass, ClusterNames names, Predicate<HasMetadata> now, String reason) {
        for (Class<? extends HasMetadata> kind : KubeObjects.ownedKinds(settings)) {
            for (HasMetadata live : kube.list(kind, names.namespace(), names.clusterSelector())) {
                if (now.test(live)) {
                    delete(pass, live, reason);
                }
            }
        }
    }

    /** What a stopping broker still talks to: the controllers, and the Services that name them. */
    private static boolean neededToStopBrokers(HasMetadata live, ClusterNames names) {
        return live instanceof Service
                || live instanceof StatefulSet && names.statefulSet(KafkaRole.CONTROLLER).equals(live.getMetadata().getName());
    }

    private void deleteOwnNamespace(ReconcilePass pass, ClusterNames names) {
        if (!DesiredCluster.ownsNamespace(settings)) {
            return;
        }
        Namespace ns = kube.namespace(names.namespace());
        if (ns != null && ns.getMetadata().getDeletionTimestamp() == null && ns.getMetadata().getLabels() != null
                && ClusterNames.MANAGED_BY_VALUE.equals(ns.getMetadata().getLabels().get(ClusterNames.MANAGED_BY_LABEL))
                && names.clusterId().equals(ns.getMetadata().getLabels().get(ClusterNames.INSTANCE_LABEL))) {
            delete(pass, ns, "DeleteCluster asked to delete the volumes; the cluster's own namespace goes with them");
        }
    }

    private void delete(ReconcilePass pass, HasMetadata live, String reason) {
        if (live.getMetadata().getDeletionTimestamp() != null) {
            return; // already on its way out
        }
        recorder.before(pass.clusterId(), ResourceAction.DELETE, live, reason, pass.cause(), null);
        kube.delete(live);
    }
}
