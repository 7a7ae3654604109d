package io.coxswain.orchestrator.executor.reconcile;

import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * The few calls the executor makes on Kubernetes, in one place: read, create, merge-patch,
 * delete, list by label. Thin on purpose; the decisions are made by its callers.
 */
public final class KubeObjects {

    /**
     * Kinds the executor creates inside a cluster's namespace, in the order they are removed (the fence last). With the
     * installation's NetworkPolicies off, see {@link #namespacedKinds}.
     */
    public static final List<Class<? extends HasMetadata>> NAMESPACED_KINDS =
            List.of(StatefulSet.class, PodDisruptionBudget.class, Service.class, ConfigMap.class, NetworkPolicy.class);
    /**
     * Every kind the executor creates in a cluster's namespace, for deleting the cluster: the above
     * and the TLS Secrets, which are kept by their own step (ClusterTls), never pruned or diffed.
     */
    public static final List<Class<? extends HasMetadata>> OWNED_KINDS =
            List.of(StatefulSet.class, PodDisruptionBudget.class, Service.class, ConfigMap.class, NetworkPolicy.class, Secret.class);

    private final KubernetesClient client;
    private final WatchedObjects watched;

    /**
     * {@link #NAMESPACED_KINDS} as this installation makes them: without NetworkPolicies when it turned them off, so that
     * Coxswain then never lists, watches or deletes one (another regime owns them, and its role need not grant them).
     */
    public static List<Class<? extends HasMetadata>> namespacedKinds(ModelSettings settings) {
        return made(NAMESPACED_KINDS, settings);
    }

    /** {@link #OWNED_KINDS} as this installation makes them: see {@link #namespacedKinds}. */
    public static List<Class<? extends HasMetadata>> ownedKinds(ModelSettings settings) {
        return made(OWNED_KINDS, settings);
    }

    private static List<Class<? extends HasMetadata>> made(List<Class<? extends HasMetadata>> kinds, ModelSettings settings) {
        return settings.networkPolicies() ? kinds : kinds.stream().filter(k -> k != NetworkPolicy.class).toList();
    }

    public KubeObjects(KubernetesClient client) {
        this(client, WatchedObjects.NONE);
    }

    /** @param watched what the executor's watches hold, for {@link #listWatched} */
    public KubeObjects(KubernetesClient client, WatchedObjects watched) {
        this.client = client;
        this.watched = watched;
    }

    public KubernetesClient client() {
        return client;
    }

    /** The live object with the desired one's kind, namespace and name, or null. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T get(T desired) {
        return (T) client.resource(desired).get();
    }

    public <T extends HasMetadata> T create(T desired) {
        return client.resource(desired).create();
    }

    /** JSON patch (the mock API server has no server-side apply); the patch tests the resourceVersion it was made from. */
    public <T extends HasMetadata> T jsonPatch(T live, String patch) {
        return client.resource(live).patch(PatchContext.of(PatchType.JSON), patch);
    }

    /** Replaces the whole object; with a resourceVersion set, fails (409) if it changed since that version. */
    public <T extends HasMetadata> T replace(T desired) {
        return client.resource(desired).update();
    }

    public void delete(HasMetadata live) {
        client.resource(live).delete();
    }

    /** Deletes the object and nothing it owns: a StatefulSet's pods keep running (orphan propagation). */
    public void deleteOrphaningDependents(HasMetadata live) {
        client.resource(live).withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
    }

    /** Asks the API server: for decisions that must not run on a watch's slightly older view (removal). */
    public <T extends HasMetadata> List<T> list(Class<T> kind, String namespace, Map<String, String> labels) {
        return client.resources(kind).inNamespace(namespace).withLabels(labels).list().getItems();
    }

    /**
     * The watch's view when the kind is watched and synced, else the API server's. The objects may be
     * the watch's own instances: read them, never change them.
     */
    public <T extends HasMetadata> List<T> listWatched(Class<T> kind, String namespace, Map<String, String> labels) {
        List<T> seen = watched.list(kind, namespace, labels);
        return seen != null ? seen : list(kind, namespace, labels);
    }

    public List<Pod> pods(String namespace, Map<String, String> labels) {
        return list(Pod.class, namespace, labels);
    }

    /** Pods as the watch saw them (see {@link #listWatched}); readiness changes reach the watch and start a pass. */
    public List<Pod> watchedPods(String namespace, Map<String, String> labels) {
        return listWatched(Pod.class, namespace, labels);
    }

    public List<PersistentVolumeClaim> claims(String namespace, Map<String, String> labels) {
        return list(PersistentVolumeClaim.class, namespace, labels);
    }

    public Namespace namespace(String name) {
        return client.namespaces().withName(name).get();
    }

    public Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    public StatefulSet statefulSet(String namespace, String name) {
        return client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    }
}
