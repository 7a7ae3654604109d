package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.DesiredCluster;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.model.ObjectLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Puts the cluster's labels ({@link ObjectLabels}) on the objects of the cluster that Coxswain does not
 * build from the state: its pods and their volume claims (made by the StatefulSets, whose templates carry
 * the labels only for what they make next), the TLS and user Secrets (kept by steps of their own), and
 * its own namespace. Never restarts a pod: labels change in place.
 *
 * <p>Listing claims and Secrets at every pass of a thousand clusters would cost the idle resync dearly,
 * so it runs once per state version and set of labels; every action an executor records is a new
 * version, so a Secret re-written by a renewal, or a claim made for a new broker, is labelled in the pass after.
 * A cluster without labels is looked at once after the executor starts (to take away labels removed
 * while it was down), then no more.
 */
final class LabelSync {

    private record Done(Map<String, String> labels, long version) {
    }

    private final KubeObjects kube;
    private final ModelSettings settings;
    private final ActionRecorder recorder;
    private final Map<String, Done> done = new ConcurrentHashMap<>();

    LabelSync(KubeObjects kube, ModelSettings settings, ActionRecorder recorder) {
        this.kube = kube;
        this.settings = settings;
        this.recorder = recorder;
    }

    void sync(ReconcilePass pass, ClusterNames names) {
        Map<String, String> labels = new TreeMap<>(pass.state().getSpec().getLabels());
        Done now = new Done(labels, pass.version());
        Done before = done.get(pass.clusterId());
        // without labels, once is enough: nothing this executor makes from then on carries a cluster label
        if (now.equals(before) || before != null && labels.isEmpty() && before.labels().isEmpty()) {
            return;
        }
        for (HasMetadata object : objects(names)) {
            String patch = LabelPatch.forObject(object, labels);
            if (patch == null) {
                continue;
            }
            recorder.before(pass.clusterId(), ResourceAction.UPDATE, object, "cluster state v" + pass.version() + " labels "
                    + object.getKind() + " " + object.getMetadata().getName() + " with the cluster's labels", pass.cause(), change(object, labels));
            try {
                kube.jsonPatch(object, patch);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return; // changed since it was listed: the next pass lists it again (not done)
                }
                throw e;
            }
        }
        done.put(pass.clusterId(), now);
    }

    void forget(String clusterId) {
        done.remove(clusterId);
    }

    private List<HasMetadata> objects(ClusterNames names) {
        List<HasMetadata> objects = new ArrayList<>();
        if (DesiredCluster.ownsNamespace(settings)) {
            Namespace namespace = kube.namespace(names.namespace());
            if (namespace != null) {
                objects.add(namespace);
            }
        }
        objects.addAll(kube.watchedPods(names.namespace(), names.clusterSelector()));
        objects.addAll(kube.claims(names.namespace(), names.clusterSelector()));
        objects.addAll(kube.list(Secret.class, names.namespace(), names.clusterSelector()));
        return objects;
    }

    /** For the record: the labels the object gets and those it loses, e.g. {@code env=prod, team=payments; removes tier}. */
    private static String change(HasMetadata object, Map<String, String> labels) {
        String set = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        List<String> removed = new ArrayList<>(ObjectLabels.stale(object, labels.keySet()));
        return (set.isEmpty() ? "no cluster labels" : set) + (removed.isEmpty() ? "" : "; removes " + String.join(", ", removed));
    }
}
