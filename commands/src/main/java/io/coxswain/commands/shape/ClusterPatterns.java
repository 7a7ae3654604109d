package io.coxswain.commands.shape;

import java.util.List;

/**
 * Cluster patterns, as a roles file names the clusters a role covers and {@code cox fleet} the
 * clusters it takes: a cluster id, a prefix ending in {@code *}, or {@code *} alone for every cluster.
 */
public final class ClusterPatterns {

    private ClusterPatterns() {
    }

    /** Whether any of the patterns names the cluster. */
    public static boolean matchAny(List<String> patterns, String clusterId) {
        for (String p : patterns) {
            if (p.equals("*") || p.equals(clusterId) || (p.endsWith("*") && clusterId.startsWith(p.substring(0, p.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
