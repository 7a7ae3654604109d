package io.coxswain.orchestrator.executor.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A StatefulSet whose claim templates the state changes (ExpandStorage's new size). Kubernetes refuses
 * any update of {@code volumeClaimTemplates}, so the set is deleted with orphan propagation, which
 * leaves its pods running and its claims in place, and created anew from the desired object, which
 * adopts them: no pod restarts, and pods made from then on (a scale-out) get claims of the new size.
 * The existing claims are grown by the ExpandStorage operation. What else differs (a new pod template
 * from a change folded in the same pass) is patched first, so the set that is replaced differs only
 * in its claim templates, and no write ever touches {@code volumeClaimTemplates} in place.
 */
final class ClaimTemplateChange {

    private final KubeObjects kube;
    private final ActionRecorder recorder;
    /** Sets deleted for replacement and not yet created again (a real API server orphans asynchronously). */
    private final Set<String> awaitingCreate = ConcurrentHashMap.newKeySet();

    ClaimTemplateChange(KubeObjects kube, ActionRecorder recorder) {
        this.kube = kube;
        this.recorder = recorder;
    }

    /** Whether {@code live} (a StatefulSet) has claim templates other than {@code stamped}'s. */
    static boolean differs(HasMetadata stamped, HasMetadata live) {
        return stamped instanceof StatefulSet && live instanceof StatefulSet
                && ObjectDiff.firstDifference(claims(live), claims(stamped), List.of()) != null;
    }

    /** Whether the set was deleted by {@link #replace} and is still to be created (by {@link #createAgain}). */
    boolean awaitingCreate(String clusterId, HasMetadata stamped) {
        return awaitingCreate.contains(clusterId + "/" + ClusterReconciler.key(stamped));
    }

    /**
     * Replaces {@code live} by {@code stamped}, see the class. {@code patchRest} patches the other fields.
     *
     * @return the live set after the pass: the new one, or the old one while it is still being deleted
     */
    <T extends HasMetadata> T replace(ReconcilePass pass, T stamped, T live, Patcher patchRest) {
        if (live.getMetadata().getDeletionTimestamp() != null) {
            return live; // being deleted (its pods orphaned): created again once it is gone, see createAgain
        }
        T current = live;
        if (restDiffers(stamped, live)) {
            current = patchRest.apply(pass, withClaimsOf(stamped, live), live);
        }
        String what = "StatefulSet " + stamped.getMetadata().getName();
        String change = describe(live, stamped);
        recorder.before(pass.clusterId(), ResourceAction.DELETE, current, what + ": " + change + "; Kubernetes cannot change a"
                + " StatefulSet's volumeClaimTemplates, so it is deleted with its pods left running (orphan propagation) and"
                + " created again at once", pass.cause(), "spec.volumeClaimTemplates storage: live " + sizes((StatefulSet) live) + ", desired "
                + sizes((StatefulSet) stamped));
        awaitingCreate.add(pass.clusterId() + "/" + ClusterReconciler.key(stamped));
        kube.deleteOrphaningDependents(current);
        try {
            return createAgain(pass, stamped, change);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return current; // still there while the API server orphans its pods; the next pass creates it
            }
            throw e;
        }
    }

    /** Creates a set {@link #replace} deleted; its pods, left running, are adopted by it. */
    <T extends HasMetadata> T createAgain(ReconcilePass pass, T stamped, String change) {
        recorder.before(pass.clusterId(), ResourceAction.CREATE, stamped, "StatefulSet " + stamped.getMetadata().getName()
                + " created again: " + (change == null ? "its claim templates changed" : change) + "; its running pods are"
                + " adopted without a restart, pods made from now on get claims of the new size", pass.cause(), null);
        T created = kube.create(stamped);
        awaitingCreate.remove(pass.clusterId() + "/" + ClusterReconciler.key(stamped));
        return created;
    }

    void forget(String clusterId) {
        awaitingCreate.removeIf(k -> k.startsWith(clusterId + "/"));
    }

    /** Patches a live object to a desired one (the applier's own patch). */
    interface Patcher {
        <T extends HasMetadata> T apply(ReconcilePass pass, T desired, T live);
    }

    /** E.g. {@code claim template data grows from 100Gi to 200Gi}. */
    private static String describe(HasMetadata live, HasMetadata desired) {
        Map<String, String> before = sizes((StatefulSet) live);
        Map<String, String> after = sizes((StatefulSet) desired);
        StringBuilder b = new StringBuilder();
        after.forEach((claim, size) -> {
            String was = before.get(claim);
            if (!size.equals(was)) {
                b.append(b.length() == 0 ? "" : ", ").append("claim template ").append(claim)
                        .append(was == null ? " added at " + size : (grows(was, size) ? " grows from " : " changes from ") + was + " to " + size);
            }
        });
        return b.length() == 0 ? "claim templates changed" : b.toString();
    }

    private static boolean grows(String was, String size) {
        return Quantity.getAmountInBytes(new Quantity(size)).compareTo(Quantity.getAmountInBytes(new Quantity(was))) > 0;
    }

    private static Map<String, String> sizes(StatefulSet sts) {
        Map<String, String> sizes = new TreeMap<>();
        for (PersistentVolumeClaim c : Optional.ofNullable(sts.getSpec().getVolumeClaimTemplates()).orElse(List.of())) {
            Quantity q = c.getSpec() == null || c.getSpec().getResources() == null || c.getSpec().getResources().getRequests() == null
                    ? null : c.getSpec().getResources().getRequests().get("storage");
            sizes.put(c.getMetadata().getName(), q == null ? "none" : q.toString());
        }
        return sizes;
    }

    /** The claim templates as JSON; none (a platform component's set) as an empty list, so two sets without any do not differ. */
    private static JsonNode claims(HasMetadata sts) {
        JsonNode claims = ObjectDiff.owned(sts).path("spec").path("volumeClaimTemplates");
        return claims.isMissingNode() || claims.isNull() ? JsonNodeFactory.instance.arrayNode() : claims;
    }

    /** Whether anything but the claim templates (and the hash of the whole) differs. */
    private static boolean restDiffers(HasMetadata stamped, HasMetadata live) {
        return ObjectDiff.firstDifference(withoutClaimsAndHash(live), withoutClaimsAndHash(stamped), List.of()) != null;
    }

    private static ObjectNode withoutClaimsAndHash(HasMetadata o) {
        ObjectNode owned = ObjectDiff.owned(o).deepCopy();
        if (owned.path("spec") instanceof ObjectNode spec) {
            spec.remove("volumeClaimTemplates");
        }
        if (owned.path("metadata").path("annotations") instanceof ObjectNode annotations) {
            annotations.remove(ClusterNames.DESIRED_HASH_ANNOTATION);
        }
        return owned;
    }

    /** The desired set with the live one's claim templates, stamped: what may be patched in place. */
    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T withClaimsOf(T stamped, T live) {
        StatefulSet copy = Serialization.clone((StatefulSet) stamped); // the desired objects are shared between passes
        copy.getSpec().setVolumeClaimTemplates(((StatefulSet) live).getSpec().getVolumeClaimTemplates());
        return (T) ObjectDiff.stamped(copy);
    }
}
