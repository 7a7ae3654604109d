package io.coxswain.commands.shape;

import java.util.List;
import java.util.OptionalLong;

/**
 * The size of a data volume ({@code CreateCluster.storage.size}, {@code ExpandStorage.size}): one rule
 * for both, so a cluster can only be grown to a size it could have been created with, and sizes compared
 * by the bytes they stand for, not by how they are written ({@code 1Ti} is {@code 1024Gi}).
 */
public final class StorageShape {

    private StorageShape() {
    }

    /** Adds a violation of {@code field} unless {@code size} is a storage quantity Coxswain takes. */
    public static void checkSize(String size, String field, List<Violation> v) {
        if (bytes(size).isEmpty()) {
            v.add(new Violation(field, "must be a Kubernetes quantity such as 10Gi (Mi, Gi or Ti), got '" + size + "'"));
        }
    }

    /**
     * A storage size in bytes: {@code 200Gi}, {@code 1Ti}; empty if it is not one {@link #checkSize} takes. The
     * grammar is a pod memory's (Mi, Gi or Ti, at most 6 digits), which CreateCluster's storage size has always had.
     */
    public static OptionalLong bytes(String size) {
        return ResourceShape.memoryBytes(size);
    }
}
