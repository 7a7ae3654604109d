package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.StepState;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ExpandStorage: grows the data volume of every controller and broker the StatefulSets run to
 * {@code spec.storage.size}, without restarting a pod. (The StatefulSets' claim templates, for the pods
 * made later, are replaced by the reconciler.) Each pass:
 *
 * <pre>
 *   volumes still requesting less → unless every one's storage class allows expansion, FAILED naming the class (none patched)
 *                                 → else, per volume: record step STARTED and the UPDATE, then raise its request
 *   all requested                 → each volume whose capacity reached the size: step FINISHED; all of them: SUCCEEDED
 * </pre>
 *
 * Kubernetes (its external resizer, then the kubelet for the file system) grows a volume once its request
 * is raised; a capacity below the request is a volume still resizing. Which volumes are still to grow is
 * read from the world, so a resumed driver never patches one twice.
 */
final class VolumeExpansion {

    static final String STEP_PREFIX = "grow ";
    private static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

    /** Per cluster, the storage size and node counts whose volumes were last all found at size. */
    private final Map<String, String> checked = new ConcurrentHashMap<>();
    /** "operation/claim" steps this driver recorded FINISHED: within one drive call the log does not show them yet. */
    private final Set<String> finished = ConcurrentHashMap.newKeySet();

    /** One data volume of the cluster, of a pod its StatefulSet runs. */
    record Volume(KafkaRole role, int ordinal, PersistentVolumeClaim claim) {

        String name() {
            return claim.getMetadata().getName();
        }

        int nodeId() {
            return role.nodeId(ordinal);
        }

        Quantity requested() {
            return storage(claim.getSpec().getResources() == null ? null : claim.getSpec().getResources().getRequests());
        }

        Quantity capacity() {
            return storage(claim.getStatus() == null ? null : claim.getStatus().getCapacity());
        }

        private static Quantity storage(Map<String, Quantity> amounts) {
            return amounts == null ? null : amounts.get("storage");
        }
    }

    /**
     * Whether a volume of the cluster requests less than the state's size. Asked on every pass without an
     * operation, so a shape (size and node counts) whose volumes were all found at size is not read again:
     * only a new size, or new nodes (a scale-out may bring back a claim kept from before a growth), is.
     */
    boolean needed(DriveContext c) {
        String shape = c.state().getSpec().getStorage().getSize() + "/" + c.state().getSpec().getControllers() + "/"
                + c.state().getSpec().getBrokers();
        if (shape.equals(checked.get(c.clusterId()))) {
            return false;
        }
        BigDecimal wanted = bytes(new Quantity(c.state().getSpec().getStorage().getSize()));
        boolean needed = volumes(c.kube(), c.names()).stream().anyMatch(v -> below(v.requested(), wanted));
        if (!needed) {
            checked.put(c.clusterId(), shape);
        }
        return needed;
    }

    Outcome step(DriveContext c) {
        String size = c.state().getSpec().getStorage().getSize();
        BigDecimal wanted = bytes(new Quantity(size));
        List<Volume> volumes = volumes(c.kube(), c.names());
        List<Volume> toRaise = volumes.stream().filter(v -> below(v.requested(), wanted)).toList();
        if (!toRaise.isEmpty()) {
            for (Volume v : toRaise) {
                Optional<String> refusal = refusal(c.kube(), v);
                if (refusal.isPresent()) {
                    String why = refusal.get() + "; no volume was changed. Ask the Kubernetes administrators to allow expansion on"
                            + " the storage class (allowVolumeExpansion: true, if its provisioner can resize volumes) and send"
                            + " RetryOperation, or create a new cluster with " + size + " volumes and move the topics to it";
                    c.recorder().step(c.op(), STEP_PREFIX + v.name(), StepState.FAILED, v.nodeId(), why, done(volumes, wanted), volumes.size());
                    c.recorder().operation(c.op(), OperationState.FAILED, why);
                    c.clock().clear(c.op().id());
                    return Outcome.ENDED;
                }
            }
            for (Volume v : toRaise) {
                raise(c, v, size, done(volumes, wanted), volumes.size());
            }
            return Outcome.ADVANCED;
        }
        for (Volume v : volumes) {
            String key = c.op().id() + "/" + v.name();
            if (!below(v.capacity(), wanted) && !finished.contains(key) && !c.loggedFinished(STEP_PREFIX + v.name())) {
                finished.add(key);
                c.recorder().step(c.op(), STEP_PREFIX + v.name(), StepState.FINISHED, v.nodeId(), "volume " + v.name() + " is "
                        + v.capacity(), done(volumes, wanted), volumes.size());
            }
        }
        Optional<Volume> resizing = volumes.stream().filter(v -> below(v.capacity(), wanted)).findFirst();
        if (resizing.isPresent()) {
            return c.waitFor(STEP_PREFIX + resizing.get().name(), resizing.get().nodeId(), "every data volume at " + size,
                    "volume " + resizing.get().name() + " is still resizing (capacity " + resizing.get().capacity() + ", requested "
                            + resizing.get().requested() + ")");
        }
        return c.succeed("every data volume is " + size + " (" + volumes.size() + " volumes, no pod restarted)");
    }

    void forget(String operationId) {
        finished.removeIf(k -> k.startsWith(operationId + "/"));
    }

    /** Records the step and the action, then raises the claim's request: Kubernetes does the rest. */
    private static void raise(DriveContext c, Volume v, String size, int done, int total) {
        String change = "volume " + v.name() + " grows from " + v.requested() + " to " + size;
        c.recorder().step(c.op(), STEP_PREFIX + v.name(), StepState.STARTED, v.nodeId(), change, done, total);
        c.recorder().action(c.op(), ResourceAction.UPDATE, "PersistentVolumeClaim", v.claim().getMetadata().getNamespace(), v.name(),
                change + " (ExpandStorage, command " + c.op().cause() + ")", "spec.resources.requests.storage: " + v.requested() + " → " + size);
        c.kube().persistentVolumeClaims().inNamespace(v.claim().getMetadata().getNamespace()).withName(v.name())
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/resources/requests/storage\",\"value\":\""
                        + size + "\"}]");
    }

    /** Why the volume's storage class cannot grow it, if it cannot. */
    private static Optional<String> refusal(KubernetesClient kube, Volume v) {
        String named = v.claim().getSpec().getStorageClassName();
        StorageClass storageClass = named == null || named.isEmpty() ? defaultClass(kube).orElse(null)
                : kube.storage().v1().storageClasses().withName(named).get();
        if (storageClass == null) {
            return Optional.of(named == null || named.isEmpty()
                    ? "volume " + v.name() + " names no storage class and the cluster has no default one, so it cannot be expanded"
                    : "storage class '" + named + "' of volume " + v.name() + " does not exist, so the volume cannot be expanded");
        }
        if (!Boolean.TRUE.equals(storageClass.getAllowVolumeExpansion())) {
            return Optional.of("storage class '" + storageClass.getMetadata().getName() + "' of volume " + v.name()
                    + " does not allow volume expansion (allowVolumeExpansion is not true)");
        }
        return Optional.empty();
    }

    private static Optional<StorageClass> defaultClass(KubernetesClient kube) {
        return kube.storage().v1().storageClasses().list().getItems().stream()
                .filter(s -> s.getMetadata().getAnnotations() != null && "true".equals(s.getMetadata().getAnnotations().get(DEFAULT_CLASS_ANNOTATION)))
                .findFirst();
    }

    /** The data claims of the pods the StatefulSets run, controllers first, by ordinal. */
    static List<Volume> volumes(KubernetesClient kube, ClusterNames names) {
        List<Volume> volumes = new ArrayList<>();
        for (KafkaRole role : List.of(KafkaRole.CONTROLLER, KafkaRole.BROKER)) {
            StatefulSet sts = kube.apps().statefulSets().inNamespace(names.namespace()).withName(names.statefulSet(role)).get();
            int replicas = sts == null || sts.getSpec().getReplicas() == null ? 0 : sts.getSpec().getReplicas();
            for (int i = 0; i < replicas; i++) {
                PersistentVolumeClaim claim = kube.persistentVolumeClaims().inNamespace(names.namespace()).withName(names.dataClaim(role, i)).get();
                if (claim != null) {
                    volumes.add(new Volume(role, i, claim));
                }
            }
        }
        return volumes;
    }

    private static int done(List<Volume> volumes, BigDecimal wanted) {
        return (int) volumes.stream().filter(v -> !below(v.capacity(), wanted)).count();
    }

    /** A missing amount is below any size: a claim not yet bound has no capacity. */
    private static boolean below(Quantity q, BigDecimal wanted) {
        return q == null || bytes(q).compareTo(wanted) < 0;
    }

    private static BigDecimal bytes(Quantity q) {
        return Quantity.getAmountInBytes(q);
    }
}
