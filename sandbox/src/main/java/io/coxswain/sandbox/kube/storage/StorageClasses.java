package io.coxswain.sandbox.kube.storage;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's storage classes. It starts with one, {@value #DEFAULT_CLASS}, marked the default and
 * allowing volume expansion, as the classes of the managed Kubernetes offerings do: so a claim that
 * names no class (what a cluster created without {@code storageClass} asks for) can be grown. A test
 * or a user adds other classes, with or without {@code allowVolumeExpansion}, like any object.
 */
public final class StorageClasses {

    public static final String DEFAULT_CLASS = "standard";
    public static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    static final String PROVISIONER = "sandbox.coxswain.io/provisioner";

    private StorageClasses() {
    }

    /** Creates {@value #DEFAULT_CLASS} if absent. */
    public static void ensureDefault(KubernetesClient client) {
        if (client.storage().v1().storageClasses().withName(DEFAULT_CLASS).get() == null) {
            client.storage().v1().storageClasses().resource(new StorageClassBuilder()
                    .withNewMetadata().withName(DEFAULT_CLASS).withAnnotations(Map.of(DEFAULT_ANNOTATION, "true")).endMetadata()
                    .withProvisioner(PROVISIONER).withReclaimPolicy("Delete").withVolumeBindingMode("Immediate")
                    .withAllowVolumeExpansion(true).build()).create();
        }
    }

    /** The class a claim's volume comes from: the one it names, else the default class, as Kubernetes assigns it. */
    static Optional<StorageClass> of(KubernetesClient client, PersistentVolumeClaim claim) {
        String named = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
        if (named != null && !named.isEmpty()) {
            return Optional.ofNullable(client.storage().v1().storageClasses().withName(named).get());
        }
        return client.storage().v1().storageClasses().list().getItems().stream()
                .filter(c -> c.getMetadata().getAnnotations() != null && "true".equals(c.getMetadata().getAnnotations().get(DEFAULT_ANNOTATION)))
                .findFirst();
    }
}
