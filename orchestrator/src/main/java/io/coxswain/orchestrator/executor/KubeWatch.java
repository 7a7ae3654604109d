package io.coxswain.orchestrator.executor;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.DesiredCluster;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Informers on the objects whose changes the executor must hear of at once: pods (ready, gone),
 * StatefulSets and Services (edited or deleted by hand). Each event names the cluster from the
 * instance label; what to do is decided by a full reconcile, never by the event itself.
 */
final class KubeWatch implements AutoCloseable {

    private final KubernetesClient client;
    private final ModelSettings settings;
    private final Consumer<String> touched;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    KubeWatch(KubernetesClient client, ModelSettings settings, Consumer<String> touched) {
        this.client = client;
        this.settings = settings;
        this.touched = touched;
    }

    void start() {
        informers.add(inform(Pod.class));
        informers.add(inform(StatefulSet.class));
        informers.add(inform(Service.class));
    }

    private <T extends HasMetadata> SharedIndexInformer<T> inform(Class<T> kind) {
        var resources = client.resources(kind);
        // one namespace for all clusters: watch just it; otherwise every namespace (Coxswain's own label)
        var scoped = DesiredCluster.ownsNamespace(settings) ? resources.inAnyNamespace()
                : resources.inNamespace(settings.namespaceTemplate());
        return scoped.withLabel(ClusterNames.MANAGED_BY_LABEL, ClusterNames.MANAGED_BY_VALUE).inform(new Handler<>(), 0);
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
            if (obj.getMetadata().getLabels() != null) {
                String cluster = obj.getMetadata().getLabels().get(ClusterNames.INSTANCE_LABEL);
                if (cluster != null) {
                    touched.accept(cluster);
                }
            }
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
