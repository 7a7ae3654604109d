package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.Map;

/** The StatefulSet of a role. */
public final class KafkaStatefulSets {

    /** Pods are replaced only when Coxswain deletes them: which pod goes when is the rolling logic's call. */
    public static final String UPDATE_STRATEGY = "OnDelete";

    private KafkaStatefulSets() {
    }

    public static StatefulSet build(ClusterSpec spec, ClusterNames names, KafkaRole role, int replicas, ModelSettings settings) {
        return build(spec, names, role, replicas, settings, 0);
    }

    /** @param certificateRenewals see {@link DesiredCluster.Inputs#certificateRenewals()} */
    public static StatefulSet build(ClusterSpec spec, ClusterNames names, KafkaRole role, int replicas, ModelSettings settings,
                                    int certificateRenewals) {
        return new StatefulSetBuilder()
                .withNewMetadata().withName(names.statefulSet(role)).withNamespace(names.namespace())
                .withLabels(names.labels(role.component())).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(names.headlessService(role))
                // Kafka nodes find each other through DNS: start them all at once, not one after another
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType(UPDATE_STRATEGY).endUpdateStrategy()
                .withNewSelector().withMatchLabels(names.selector(role)).endSelector()
                .withTemplate(KafkaPodTemplate.build(spec, names, role, settings, certificateRenewals))
                .withVolumeClaimTemplates(dataClaim(spec, names, role))
                // volumes outlive pods and scale-in; deleting them is DeleteCluster's explicit choice
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted("Retain").withWhenScaled("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .endSpec()
                .build();
    }

    private static PersistentVolumeClaim dataClaim(ClusterSpec spec, ClusterNames names, KafkaRole role) {
        PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(KafkaPodTemplate.DATA_VOLUME).withLabels(names.labels(role.component())).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                // as the API server writes it back (1024Gi is 1Ti): a size read back differently would be a claim template to replace
                .withNewResources().withRequests(Map.of("storage", new Quantity(KafkaResources.canonicalMemory(spec.getStorage().getSize()))))
                .endResources()
                .endSpec();
        if (spec.getStorage().getStorageClass() != null) {
            b.editSpec().withStorageClassName(spec.getStorage().getStorageClass()).endSpec();
        }
        return b.build();
    }
}
