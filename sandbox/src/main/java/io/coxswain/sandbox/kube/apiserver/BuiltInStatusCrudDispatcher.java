package io.coxswain.sandbox.kube.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import java.util.Map;
import java.util.Set;

/**
 * fabric8's CRUD store with one correction: the built-in kinds that have a {@code /status}
 * subresource on a real API server behave as such here too. The stock mock only knows this for
 * custom resources, so a plain PUT or PATCH of a StatefulSet replaced its {@code .status} with
 * whatever the caller sent (usually nothing), and a status sent with a create was kept. A real
 * API server ignores {@code .status} on the main resource for these kinds, and so do we:
 * controllers must write status through the status subresource, as on a cluster.
 */
final class BuiltInStatusCrudDispatcher extends KubernetesCrudDispatcher {

    /**
     * "group/plural" ("" for the core group) of the built-in resources with a status subresource.
     * Not namespaces: the store reads {@code /api/v1/namespaces/x/status} as a resource "status"
     * in namespace x, so a namespace's status can only be written with the namespace itself.
     */
    private static final Set<String> WITH_STATUS = Set.of(
            "/pods", "/services", "/persistentvolumeclaims", "/persistentvolumes", "/nodes",
            "/replicationcontrollers", "/resourcequotas",
            "apps/statefulsets", "apps/deployments", "apps/replicasets", "apps/daemonsets",
            "policy/poddisruptionbudgets", "batch/jobs", "batch/cronjobs",
            "autoscaling/horizontalpodautoscalers", "networking.k8s.io/ingresses");

    @Override
    public boolean isStatusSubresourceEnabledForResource(String path) {
        Map<String, String> parts = ((KubernetesAttributesExtractor) attributeExtractor).fromKubernetesPath(path);
        String group = parts.getOrDefault(KubernetesAttributesExtractor.API, "");
        String plural = parts.get(KubernetesAttributesExtractor.PLURAL);
        if (plural != null && WITH_STATUS.contains(group + "/" + plural)) {
            return true;
        }
        return super.isStatusSubresourceEnabledForResource(path);
    }
}
