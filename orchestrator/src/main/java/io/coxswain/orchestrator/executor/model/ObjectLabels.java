package io.coxswain.orchestrator.executor.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster's labels ({@code spec.labels}) on its Kubernetes objects, so that a platform team selects
 * and accounts for a cluster's pods, volumes and Services as it does the cluster ({@code kubectl get pods
 * -l team=payments}, cost by label). Coxswain's own labels stay as they are: the command refuses their
 * keys, and here they win over a cluster label of an older log that had one.
 *
 * <p>Which keys an object carries from the cluster's labels is written on it in {@link #APPLIED_ANNOTATION}:
 * a label later removed from the cluster is then removed from the object too, and a label someone else
 * put on the object is never touched. Pure.
 */
public final class ObjectLabels {

    /** The keys, sorted and comma-separated, that the object carries from its cluster's labels. */
    public static final String APPLIED_ANNOTATION = "coxswain.io/cluster-labels";

    private ObjectLabels() {
    }

    /**
     * Puts the cluster's labels on an object just built: on its metadata and, for a StatefulSet, on its
     * pods' template (not its volume claim template, which Kubernetes never lets change). Nothing when
     * the cluster has none, so that the objects of a cluster without labels stay as they were built.
     * Putting them on twice is putting them on once.
     */
    public static <T extends HasMetadata> T onBuilt(T object, Map<String, String> cluster) {
        if (cluster.isEmpty()) {
            return object;
        }
        ObjectMeta metadata = object.getMetadata();
        metadata.setLabels(merged(metadata.getLabels(), cluster));
        Map<String, String> annotations = new LinkedHashMap<>();
        if (metadata.getAnnotations() != null) {
            annotations.putAll(metadata.getAnnotations());
        }
        annotations.put(APPLIED_ANNOTATION, applied(cluster));
        metadata.setAnnotations(annotations);
        if (object instanceof StatefulSet s && s.getSpec() != null && s.getSpec().getTemplate() != null
                && s.getSpec().getTemplate().getMetadata() != null) {
            ObjectMeta pods = s.getSpec().getTemplate().getMetadata();
            pods.setLabels(merged(pods.getLabels(), cluster));
        }
        return object;
    }

    /** The cluster's labels, then the object's own over them. */
    public static Map<String, String> merged(Map<String, String> own, Map<String, String> cluster) {
        Map<String, String> labels = new LinkedHashMap<>(cluster);
        if (own != null) {
            labels.putAll(own);
        }
        return labels;
    }

    /** The value of {@link #APPLIED_ANNOTATION} for these cluster labels; empty when there are none. */
    public static String applied(Map<String, String> cluster) {
        return String.join(",", new TreeSet<>(cluster.keySet()));
    }

    /** The keys an object says it carries from its cluster's labels; empty when it says none. */
    public static Set<String> appliedKeys(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(APPLIED_ANNOTATION);
        Set<String> keys = new LinkedHashSet<>();
        if (value != null && !value.isEmpty()) {
            keys.addAll(Arrays.asList(value.split(",")));
        }
        return keys;
    }

    /** Keys the live object carries from its cluster's labels that the wanted form no longer has: to remove. */
    public static Set<String> stale(HasMetadata live, Set<String> wanted) {
        Set<String> stale = appliedKeys(live);
        stale.removeAll(wanted);
        return stale;
    }
}
