package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.DesiredCluster;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.fold.Phases;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteCluster: removes every object Coxswain made for the cluster, the volumes only when the
 * command asked for it, and records {@code ClusterRemovedObserved} once the pods are gone.
 * Kept volumes keep their namespace too (deleting a namespace deletes its claims).
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
        deleteOwnedObjects(pass, names);
        status.reportReconciled(state); // the deletion is under way: what was asked is acted on, however long pods take to go
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

    private void deleteOwnedObjects(ReconcilePass pass, ClusterNames names) {
        for (Class<? extends HasMetadata> kind : KubeObjects.ownedKinds(settings)) {
            for (HasMetadata live : kube.list(kind, names.namespace(), names.clusterSelector())) {
                delete(pass, live, "DeleteCluster: removing everything Coxswain made for the cluster");
            }
        }
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
