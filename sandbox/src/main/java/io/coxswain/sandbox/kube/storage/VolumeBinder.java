package io.coxswain.sandbox.kube.storage;

import io.coxswain.sandbox.kube.control.WorkQueue;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic provisioner, the PV controller and the volume resizer in one: each Pending claim gets a new
 * PersistentVolume {@code pvc-<claim uid>} of the requested size and both are marked Bound; a bound
 * claim whose request grows is expanded when its {@link StorageClasses storage class} allows it. A
 * deleted claim's volume is deleted too (reclaim policy Delete, as dynamically provisioned
 * volumes have). There is no storage behind the volumes: pods of the sandbox keep their data
 * wherever their {@code PodRuntime} puts it.
 */
public final class VolumeBinder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VolumeBinder.class);

    private final KubernetesClient client;
    private final WorkQueue queue;
    private final SharedIndexInformer<PersistentVolumeClaim> informer;

    public VolumeBinder(KubernetesClient client) {
        this.client = client;
        this.queue = new WorkQueue("volume-binder", this::bind);
        this.informer = client.persistentVolumeClaims().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PersistentVolumeClaim claim) {
                queue.enqueue(key(claim));
            }

            @Override
            public void onUpdate(PersistentVolumeClaim old, PersistentVolumeClaim claim) {
                queue.enqueue(key(claim));
            }

            @Override
            public void onDelete(PersistentVolumeClaim claim, boolean finalStateUnknown) {
                String volume = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
                if (volume != null) {
                    queue.execute(() -> reclaim(key(claim), volume));
                }
            }
        });
        log.info("Sandbox volume binder started");
    }

    private void bind(String key) {
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(WorkQueue.namespaceOf(key))
                .withName(WorkQueue.nameOf(key)).get();
        if (claim == null || claim.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        if (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase())) {
            resize(claim);
            return;
        }
        String volumeName = "pvc-" + claim.getMetadata().getUid();
        Quantity size = Optional.ofNullable(claim.getSpec().getResources())
                .map(r -> r.getRequests()).map(r -> r.get("storage")).orElse(new Quantity("1Gi"));
        if (client.persistentVolumes().withName(volumeName).get() == null) {
            PersistentVolume volume = new PersistentVolumeBuilder()
                    .withNewMetadata().withName(volumeName)
                    .addToAnnotations("pv.kubernetes.io/provisioned-by", "sandbox.coxswain.io/provisioner").endMetadata()
                    .withNewSpec().withCapacity(Map.of("storage", size))
                    .withAccessModes(claim.getSpec().getAccessModes())
                    .withStorageClassName(claim.getSpec().getStorageClassName())
                    .withVolumeMode(Optional.ofNullable(claim.getSpec().getVolumeMode()).orElse("Filesystem"))
                    .withPersistentVolumeReclaimPolicy("Delete")
                    .withNewHostPath("/var/lib/coxswain-sandbox/" + volumeName, "DirectoryOrCreate")
                    .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim")
                    .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                    .withUid(claim.getMetadata().getUid()).endClaimRef()
                    .endSpec().build();
            client.persistentVolumes().resource(volume).create();
            client.persistentVolumes().withName(volumeName).editStatus(v -> {
                v.setStatus(new PersistentVolumeStatusBuilder().withPhase("Bound").build());
                return v;
            });
        }
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName()).edit(c -> {
                    c.getSpec().setVolumeName(volumeName);
                    Map<String, String> annotations = new HashMap<>(
                            Optional.ofNullable(c.getMetadata().getAnnotations()).orElse(Map.of()));
                    annotations.put("pv.kubernetes.io/bind-completed", "yes");
                    annotations.put("pv.kubernetes.io/bound-by-controller", "yes");
                    c.getMetadata().setAnnotations(annotations);
                    return c;
                });
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName()).editStatus(c -> {
                    c.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound")
                            .withAccessModes(claim.getSpec().getAccessModes())
                            .withCapacity(Map.of("storage", size)).build());
                    return c;
                });
        log.info("Claim {} bound to new volume {} of {}", key, volumeName, size);
    }

    /**
     * The external resizer and the kubelet's file system resize in one: a bound claim whose request grew
     * past its capacity, in a class that allows expansion, gets a volume and a capacity of the new size.
     * In a class that does not, it stays as it is (a real API server would have refused the request).
     */
    private void resize(PersistentVolumeClaim claim) {
        Quantity requested = Optional.ofNullable(claim.getSpec().getResources()).map(r -> r.getRequests()).map(r -> r.get("storage")).orElse(null);
        Quantity capacity = Optional.ofNullable(claim.getStatus().getCapacity()).map(c -> c.get("storage")).orElse(null);
        if (requested == null || capacity == null
                || Quantity.getAmountInBytes(requested).compareTo(Quantity.getAmountInBytes(capacity)) <= 0) {
            return;
        }
        String key = key(claim);
        Optional<StorageClass> storageClass = StorageClasses.of(client, claim);
        if (storageClass.isEmpty() || !Boolean.TRUE.equals(storageClass.get().getAllowVolumeExpansion())) {
            log.warn("Claim {} asks for {} but its storage class {} does not allow volume expansion; it stays {}", key, requested,
                    storageClass.map(c -> c.getMetadata().getName()).orElse("(none)"), capacity);
            return;
        }
        String volumeName = claim.getSpec().getVolumeName();
        if (volumeName != null && client.persistentVolumes().withName(volumeName).get() != null) {
            client.persistentVolumes().withName(volumeName).edit(v -> {
                v.getSpec().setCapacity(Map.of("storage", requested));
                return v;
            });
        }
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .editStatus(c -> {
                    c.getStatus().setCapacity(Map.of("storage", requested));
                    return c;
                });
        log.info("Claim {} and its volume {} grown from {} to {}", key, volumeName, capacity, requested);
    }

    private void reclaim(String claimKey, String volumeName) {
        try {
            client.persistentVolumes().withName(volumeName).delete();
            log.info("Claim {} deleted: volume {} deleted", claimKey, volumeName);
        } catch (KubernetesClientException e) {
            log.warn("Cannot delete volume {} of deleted claim {}: {}", volumeName, claimKey, e.toString());
        }
    }

    private static String key(PersistentVolumeClaim claim) {
        return WorkQueue.key(claim.getMetadata().getNamespace(), claim.getMetadata().getName());
    }

    @Override
    public void close() {
        informer.close();
        queue.close();
        log.info("Sandbox volume binder stopped");
    }
}
