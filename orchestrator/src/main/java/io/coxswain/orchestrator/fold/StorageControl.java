package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;
import static io.coxswain.avro.event.RejectionCode.STORAGE_CANNOT_SHRINK;

import io.coxswain.avro.command.ExpandStorage;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.StorageSpec;
import io.coxswain.commands.shape.StorageShape;
import java.util.Optional;

/**
 * DECIDE and FOLD for the size of the data volumes, {@code spec.storage.size}: set by CreateCluster,
 * grown by ExpandStorage for every controller and broker at once (the state has one size). Sizes are
 * compared as bytes, so {@code 1Ti} over {@code 1024Gi} is no change and {@code 900Gi} under {@code 1Ti}
 * is a shrink.
 */
final class StorageControl {

    private StorageControl() {
    }

    static boolean handles(Object p) {
        return p instanceof ExpandStorage;
    }

    /** DECIDE for an ExpandStorage; its size is already a storage quantity (shape). */
    static Optional<Rejection> check(ClusterState state, Object p) {
        String wanted = ((ExpandStorage) p).getSize();
        String id = state.getClusterId();
        String current = state.getSpec().getStorage().getSize();
        long next = StorageShape.bytes(wanted).orElseThrow();
        // every state's size passed the same shape check when its cluster was created or grown
        long now = StorageShape.bytes(current).orElseThrow();
        if (next == now) {
            return Optional.of(new Rejection(NO_CHANGE, "the volumes of cluster '" + id + "' are already " + current
                    + (current.equals(wanted) ? "" : " (" + wanted + ")")));
        }
        if (next < now) {
            return Optional.of(new Rejection(STORAGE_CANNOT_SHRINK, "the volumes of cluster '" + id + "' are " + current
                    + " and cannot shrink to " + wanted + ": Kubernetes can only grow a volume. Send a size above " + current
                    + ", or create a new cluster with " + wanted + " volumes and move the topics to it"));
        }
        // no pod restarts, but the executor grows each volume and replaces the StatefulSets: one long operation at a time
        return Decide.busy(state);
    }

    /** FOLD: replaces {@code spec.storage} (never changes it in place, see {@link NextState}); the storage class stays. */
    static void apply(ClusterState next, Object p) {
        StorageSpec current = next.getSpec().getStorage();
        next.getSpec().setStorage(new StorageSpec(((ExpandStorage) p).getSize(), current.getStorageClass()));
    }
}
