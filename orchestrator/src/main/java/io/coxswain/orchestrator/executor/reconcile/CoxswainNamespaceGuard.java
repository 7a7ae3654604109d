package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.command.ExecutorRefusalObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ExecutorRefusalStatus;
import io.coxswain.commands.ExecutorRefusalKeys;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.observe.StatusReporter;
import io.coxswain.orchestrator.fold.Phases;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Keeps every cluster out of the namespace Coxswain runs in ({@link ModelSettings#coxswainNamespace()}): its gateway tokens
 * and TLS keys are Secrets there, a cluster's pods there could mount them, and a DeleteCluster of a cluster that owned the
 * namespace would delete it. A cluster the namespace template maps there is never reconciled: nothing is created, changed
 * or deleted there for it, and it is reported as nothing (no ReconciledObserved: its changes stay "not acted on").
 *
 * <p>Its deletion alone is carried through, without deleting anything: reported removed once nothing labelled for the
 * cluster is left there (so a cluster refused from the start is deleted at once), and until then the operator is told
 * what is left and how to remove it by hand.
 *
 * <p>The operator is told once per cluster and per thing to do: an ERROR naming cluster, namespace and what to do, and a
 * Warning Event on that Namespace ({@code kubectl get events -n <namespace>} in Coxswain's own namespace shows it); and the
 * cluster's state says so while it lasts ({@code status.executorRefusals.namespace}, which {@code cox get} prints).
 */
final class CoxswainNamespaceGuard {

    /** The Event's reason. */
    static final String EVENT_REASON = "ClusterNotReconciled";
    /** Its key in {@code status.executorRefusals}. */
    static final String REFUSAL_KEY = ExecutorRefusalKeys.NAMESPACE;

    private final KubeObjects kube;
    private final ActionRecorder recorder;
    private final StatusReporter status;
    private final ModelSettings settings;
    /** Per cluster, what the operator was last told: told again only when that changes. */
    private final Map<String, String> told = new ConcurrentHashMap<>();

    CoxswainNamespaceGuard(KubeObjects kube, ActionRecorder recorder, StatusReporter status, ModelSettings settings) {
        this.kube = kube;
        this.recorder = recorder;
        this.status = status;
        this.settings = settings;
    }

    /** Whether the cluster's namespace is Coxswain's own: its pass is then {@link #pass}, which changes nothing there. */
    boolean guards(ClusterNames names) {
        return names.namespace().equals(settings.coxswainNamespace());
    }

    ClusterReconciler.Result pass(ReconcilePass pass, ClusterNames names) {
        ClusterState state = pass.state();
        String namespace = "its namespace " + names.namespace() + " (--namespace-template " + settings.namespaceTemplate() + ")";
        String why = " is the namespace Coxswain runs in, where its gateway tokens and TLS keys are Secrets";
        String where = namespace.substring(0, namespace.length() - 1) + "; state v" + pass.version() + ", latest command " + pass.cause() + ")" + why;
        if (!state.getSpec().getDeleteRequested()) {
            String refused = ": nothing is created, changed or deleted there for the cluster, and its changes stay not acted on. Run the"
                    + " executors with another --namespace-template (one that maps no cluster there), or delete the cluster (cox delete "
                    + names.clusterId() + ")";
            tell(pass, "refused", where + refused);
            report(pass, namespace + why + refused); // without the version and command, which every report itself moves
            return ClusterReconciler.Result.CONVERGED;
        }
        if (Phases.DELETED.equals(state.getStatus().getPhase())) {
            return ClusterReconciler.Result.CONVERGED;
        }
        List<String> left = leftovers(names);
        if (left.isEmpty()) {
            status.reportReconciled(state);
            status.reportRemoved(state, false);
            return ClusterReconciler.Result.CONVERGED;
        }
        String selector = names.clusterSelector().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted()
                .collect(Collectors.joining(","));
        String leftThere = ": DeleteCluster deletes nothing there, and " + String.join(", ", left) + " labelled for the cluster are left."
                + " Delete them by hand if they are the cluster's (kubectl -n " + names.namespace() + " get all,secrets,configmaps,pdb,networkpolicies,pvc -l "
                + selector + "); the deletion finishes at the first pass after they are gone";
        tell(pass, "left " + left, where + leftThere);
        report(pass, namespace + why + leftThere);
        return ClusterReconciler.Result.CONVERGED;
    }

    /**
     * The refusal in the cluster's state ({@code status.executorRefusals}, key {@link #REFUSAL_KEY}), as the whole set: nothing
     * else is done for the cluster here. The command it was first refused under stays while it is refused.
     */
    private void report(ReconcilePass pass, String reason) {
        ExecutorRefusalStatus shown = pass.state().getStatus().getExecutorRefusals().get(REFUSAL_KEY);
        String first = shown != null ? shown.getCommandId() : pass.cause();
        status.reportRefusals(pass.state(), Map.of(REFUSAL_KEY, new ExecutorRefusalObserved(reason, first)));
    }

    void forget(String clusterId) {
        told.remove(clusterId);
    }

    /** What is labelled for the cluster in the namespace, as {@code Kind/name}: read only. */
    private List<String> leftovers(ClusterNames names) {
        List<String> left = new ArrayList<>();
        List<Class<? extends HasMetadata>> kinds = new ArrayList<>(KubeObjects.ownedKinds(settings));
        kinds.add(Pod.class);
        kinds.add(PersistentVolumeClaim.class);
        for (Class<? extends HasMetadata> kind : kinds) {
            kube.list(kind, names.namespace(), names.clusterSelector()).forEach(o -> left.add(ClusterReconciler.key(o)));
        }
        return left;
    }

    /** Tells {@code message} unless the operator was last told of the same {@code what} (the pass's version and cause aside). */
    private void tell(ReconcilePass pass, String what, String message) {
        if (what.equals(told.put(pass.clusterId(), what))) {
            return;
        }
        Namespace ns = kube.namespace(settings.coxswainNamespace());
        recorder.error(pass.clusterId(), ns != null ? ns : new NamespaceBuilder().withNewMetadata().withName(settings.coxswainNamespace())
                .endMetadata().build(), EVENT_REASON, message);
    }
}
