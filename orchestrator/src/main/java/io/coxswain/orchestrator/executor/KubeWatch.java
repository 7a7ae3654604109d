package io.coxswain.orchestrator.executor;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.DesiredCluster;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.orchestrator.executor.reconcile.WatchedObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Informers on every kind of object Coxswain makes in a cluster's namespace, plus pods: a change
 * (a pod ready or gone, an object edited or deleted by hand) is heard of at once. Each event names
 * the cluster from the instance label; what to do is decided by a full reconcile, never by the
 * event itself. Their caches are also the lists a pass begins with ({@link WatchedObjects}),
 * indexed by namespace and cluster.
 */
final class KubeWatch implements AutoCloseable, WatchedObjects {

    /** Kinds watched: those a pass lists ({@link KubeObjects#namespacedKinds}) and the pods it observes. */
    static List<Class<? extends HasMetadata>> kinds(ModelSettings settings) {
        List<Class<? extends HasMetadata>> kinds = new ArrayList<>(List.of(Pod.class));
        kinds.addAll(KubeObjects.namespacedKinds(settings));
        return kinds;
    }
    private static final String CLUSTER_INDEX = "coxswain-cluster";

    private final KubernetesClient client;
    private final ModelSettings settings;
    private final Consumer<String> touched;
    private final Map<Class<?>, SharedIndexInformer<?>> informers = new ConcurrentHashMap<>();

    KubeWatch(KubernetesClient client, ModelSettings settings, Consumer<String> touched) {
        this.client = client;
        this.settings = settings;
        this.touched = touched;
    }

    /**
     * Starts every informer and returns once each has listed what exists. The first lists are round trips to the API server
     * made all at once, not one after another: a node's executor (a restarted one too) acts only once every list is in.
     */
    void start() {
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : kinds(settings)) {
            SharedIndexInformer<? extends HasMetadata> informer = informer(kind);
            informers.put(kind, informer);
            synced.add(informer.start().toCompletableFuture());
        }
        for (CompletableFuture<Void> s : synced) {
            try {
                s.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e; // the API server's refusal, as a blocking start threw it
            }
        }
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> kind) {
        var resources = client.resources(kind);
        // one namespace for all clusters: watch just it; otherwise every namespace (Coxswain's own label)
        var scoped = DesiredCluster.ownsNamespace(settings) ? resources.inAnyNamespace()
                : resources.inNamespace(settings.namespaceTemplate());
        Function<T, List<String>> byCluster = o -> clusterOf(o).map(c -> List.of(indexKey(o.getMetadata().getNamespace(), c))).orElse(List.of());
        return scoped.withLabel(ClusterNames.MANAGED_BY_LABEL, ClusterNames.MANAGED_BY_VALUE)
                .withIndexers(Map.of(CLUSTER_INDEX, byCluster))
                .runnableInformer(0)
                .addEventHandler(new Handler<>());
    }

    /**
     * Lists by the instance label from the cluster index, then keeps the objects that carry every other
     * label asked for; null for a selector without the instance label (not what a pass asks). Only
     * objects with Coxswain's managed-by label are watched: all it makes carry it, pods through
     * their StatefulSet's template.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> List<T> list(Class<T> kind, String namespace, Map<String, String> labels) {
        SharedIndexInformer<T> informer = (SharedIndexInformer<T>) informers.get(kind);
        String cluster = labels.get(ClusterNames.INSTANCE_LABEL);
        if (informer == null || !informer.hasSynced() || cluster == null
                || !ClusterNames.MANAGED_BY_VALUE.equals(labels.getOrDefault(ClusterNames.MANAGED_BY_LABEL, ClusterNames.MANAGED_BY_VALUE))) {
            return null;
        }
        List<T> out = new ArrayList<>();
        for (T o : informer.getIndexer().byIndex(CLUSTER_INDEX, indexKey(namespace, cluster))) {
            Map<String, String> has = o.getMetadata().getLabels();
            if (has.entrySet().containsAll(labels.entrySet())) {
                out.add(o);
            }
        }
        return out;
    }

    private static String indexKey(String namespace, String cluster) {
        return namespace + "/" + cluster;
    }

    private static Optional<String> clusterOf(HasMetadata o) {
        Map<String, String> labels = o.getMetadata().getLabels();
        return Optional.ofNullable(labels == null ? null : labels.get(ClusterNames.INSTANCE_LABEL));
    }

    private final class Handler<T extends HasMetadata> implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T obj) {
            notify(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            notify(newObj);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            notify(obj);
        }

        private void notify(T obj) {
            clusterOf(obj).ifPresent(touched);
        }
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
    }
}
