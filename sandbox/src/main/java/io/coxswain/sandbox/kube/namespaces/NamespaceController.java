package io.coxswain.sandbox.kube.namespaces;

import io.coxswain.sandbox.kube.control.WorkQueue;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every new namespace {@code Active}, as the API server and namespace controller do.
 * Deleting a namespace does not delete what it holds here (a real cluster would).
 */
public final class NamespaceController implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NamespaceController.class);

    private final KubernetesClient client;
    private final WorkQueue queue;
    private final SharedIndexInformer<Namespace> informer;

    public NamespaceController(KubernetesClient client) {
        this.client = client;
        this.queue = new WorkQueue("namespace-controller", this::activate);
        this.informer = client.namespaces().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace namespace) {
                queue.enqueue(namespace.getMetadata().getName());
            }

            @Override
            public void onUpdate(Namespace old, Namespace namespace) {
                queue.enqueue(namespace.getMetadata().getName());
            }

            @Override
            public void onDelete(Namespace namespace, boolean finalStateUnknown) {
                // nothing to do: the namespace's objects are left in place
            }
        });
    }

    private void activate(String name) {
        Namespace namespace = client.namespaces().withName(name).get();
        if (namespace == null || namespace.getMetadata().getDeletionTimestamp() != null
                || (namespace.getStatus() != null && namespace.getStatus().getPhase() != null)) {
            return;
        }
        // The main resource, not /status: the mock store cannot address a namespace's status.
        client.namespaces().withName(name).edit(n -> {
            n.setStatus(new NamespaceStatusBuilder().withPhase("Active").build());
            return n;
        });
        log.info("Namespace {} active", name);
    }

    @Override
    public void close() {
        informer.close();
        queue.close();
    }
}
