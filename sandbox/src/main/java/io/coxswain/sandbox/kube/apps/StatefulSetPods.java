package io.coxswain.sandbox.kube.apps;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** How a StatefulSet's pods and claims are named, labelled and built, following Kubernetes. */
final class StatefulSetPods {

    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StatefulSetPods() {
    }

    static OwnerReference ownerReference(StatefulSet sts) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                .withName(sts.getMetadata().getName()).withUid(sts.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    static boolean isOwnedBy(ObjectMeta metadata, String uid) {
        return metadata.getOwnerReferences() != null && metadata.getOwnerReferences().stream()
                .anyMatch(o -> uid.equals(o.getUid()) && Boolean.TRUE.equals(o.getController()));
    }

    /** Whether the set's selector (its match labels, all Coxswain and the tests use) selects the object. */
    static boolean selects(StatefulSet sts, ObjectMeta metadata) {
        Map<String, String> wanted = sts.getSpec().getSelector() == null ? null : sts.getSpec().getSelector().getMatchLabels();
        Map<String, String> labels = Optional.ofNullable(metadata.getLabels()).orElse(Map.of());
        return wanted != null && !wanted.isEmpty() && labels.entrySet().containsAll(wanted.entrySet());
    }

    /** The name of the StatefulSet controlling {@code pod}, if one does. */
    static Optional<String> controllingStatefulSet(ObjectMeta metadata) {
        return Optional.ofNullable(metadata.getOwnerReferences()).orElse(List.of()).stream()
                .filter(o -> "StatefulSet".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
                .map(OwnerReference::getName).findFirst();
    }

    static int startOrdinal(StatefulSet sts) {
        return sts.getSpec().getOrdinals() == null || sts.getSpec().getOrdinals().getStart() == null
                ? 0 : sts.getSpec().getOrdinals().getStart();
    }

    static String podName(StatefulSet sts, int ordinal) {
        return sts.getMetadata().getName() + "-" + ordinal;
    }

    static OptionalInt ordinal(StatefulSet sts, Pod pod) {
        String prefix = sts.getMetadata().getName() + "-";
        String name = pod.getMetadata().getName();
        if (!name.startsWith(prefix)) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(name.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    static String claimName(PersistentVolumeClaim claimTemplate, StatefulSet sts, int ordinal) {
        return claimTemplate.getMetadata().getName() + "-" + podName(sts, ordinal);
    }

    static List<PersistentVolumeClaim> claimTemplates(StatefulSet sts) {
        return Optional.ofNullable(sts.getSpec().getVolumeClaimTemplates()).orElse(List.of());
    }

    /** Pod {@code <sts>-<ordinal>} made from {@code template}, which belongs to {@code revision}. */
    static Pod newPod(StatefulSet sts, PodTemplateSpec template, String revision, int ordinal) {
        PodTemplateSpec copy = SERIALIZATION.clone(template);
        ObjectMeta templateMeta = Optional.ofNullable(copy.getMetadata()).orElseGet(ObjectMeta::new);
        String name = podName(sts, ordinal);
        Map<String, String> labels = new HashMap<>(Optional.ofNullable(templateMeta.getLabels()).orElse(Map.of()));
        labels.put(ControllerRevisions.REVISION_LABEL, revision);
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
        PodSpec spec = Optional.ofNullable(copy.getSpec()).orElseGet(PodSpec::new);
        spec.setHostname(name);
        spec.setSubdomain(sts.getSpec().getServiceName());
        spec.setVolumes(volumesWithClaims(sts, spec.getVolumes(), ordinal));
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(sts.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(templateMeta.getAnnotations())
                .withOwnerReferences(ownerReference(sts)).endMetadata()
                .withSpec(spec).build();
    }

    /** The template's volumes, with each claim template's volume pointing at this ordinal's claim. */
    private static List<Volume> volumesWithClaims(StatefulSet sts, List<Volume> templateVolumes, int ordinal) {
        List<Volume> volumes = new ArrayList<>(Optional.ofNullable(templateVolumes).orElse(List.of()));
        for (PersistentVolumeClaim claim : claimTemplates(sts)) {
            volumes.removeIf(v -> v.getName().equals(claim.getMetadata().getName()));
            volumes.add(new VolumeBuilder().withName(claim.getMetadata().getName())
                    .withNewPersistentVolumeClaim(claimName(claim, sts, ordinal), false).build());
        }
        return volumes;
    }

    /** The claim for {@code ordinal} from {@code template}: labelled with the set's selector, never owned. */
    static PersistentVolumeClaim newClaim(StatefulSet sts, PersistentVolumeClaim template, int ordinal) {
        Map<String, String> labels = new HashMap<>(Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of()));
        if (sts.getSpec().getSelector() != null && sts.getSpec().getSelector().getMatchLabels() != null) {
            labels.putAll(sts.getSpec().getSelector().getMatchLabels());
        }
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(claimName(template, sts, ordinal))
                .withNamespace(sts.getMetadata().getNamespace()).withLabels(labels)
                .withAnnotations(template.getMetadata().getAnnotations()).endMetadata()
                .withSpec(template.getSpec()).build();
    }

    static String revisionOf(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get(ControllerRevisions.REVISION_LABEL);
    }

    static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Seen by a kubelet (Kubernetes counts a pod in {@code status.replicas} from then on). */
    static boolean isCreated(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getPhase() != null;
    }

    static boolean isRunningAndReady(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean isHealthy(Pod pod) {
        return isRunningAndReady(pod) && !isTerminating(pod);
    }
}
