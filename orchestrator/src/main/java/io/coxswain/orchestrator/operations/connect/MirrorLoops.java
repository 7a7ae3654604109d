package io.coxswain.orchestrator.operations.connect;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.MirrorSpec;
import io.coxswain.commands.shape.MirrorShape;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two mirrors between the same two clusters in opposite directions where either uses {@code IDENTITY}, pure: they would
 * copy records back and forth without end, since MirrorMaker tells a copied topic by the source prefix {@code IDENTITY}
 * does not add. The fold sees one cluster at a time, so the pair is the executor's to find, from the source's state.
 *
 * <p>Which one is refused: the one that did not run first. A mirror's state holds no time (its {@code SetMirror}'s id is
 * random), and the two clusters' versions count apart, so the order is taken from what Connect shows: a mirror whose
 * connectors are on its target's Connect ({@code status.connectors}) while the reverse one's are not on the source's ran
 * first and keeps running; the reverse one is refused, so it is never made. When both or neither are there (set about at
 * once, before either executor saw the other), which came first cannot be told: both are refused, and stay so (stopped
 * connectors stay on Connect) until one is set {@code PREFIXED} both ways or deleted, so they never take turns.
 */
final class MirrorLoops {

    static final String IDENTITY = "IDENTITY";

    private MirrorLoops() {
    }

    /** Why mirror {@code name} of {@code target} is refused for a mirror of {@code source} back into it; empty: it is not. */
    static Optional<String> refused(ClusterState target, String name, MirrorSpec mirror, ClusterState source) {
        List<String> reverse = source.getSpec().getMirrors().entrySet().stream()
                .filter(e -> target.getClusterId().equals(e.getValue().getSourceCluster()))
                .filter(e -> IDENTITY.equals(mirror.getReplicationPolicy()) || IDENTITY.equals(e.getValue().getReplicationPolicy()))
                .map(Map.Entry::getKey).sorted().toList();
        if (reverse.isEmpty()) {
            return Optional.empty();
        }
        boolean mineMade = made(target, name);
        List<String> theirsMade = reverse.stream().filter(r -> made(source, r)).toList();
        if (mineMade && theirsMade.isEmpty()) {
            return Optional.empty();
        }
        String pair = "mirror " + name + " (" + source.getClusterId() + " → " + target.getClusterId() + ", " + mirror.getReplicationPolicy()
                + ") and mirror" + (reverse.size() > 1 ? "s " : " ") + String.join(", ", reverse) + " of cluster '" + source.getClusterId()
                + "' (" + target.getClusterId() + " → " + source.getClusterId() + ") would copy records back and forth without end,"
                + " since IDENTITY keeps no prefix to tell a copied topic by";
        String which = !mineMade && !theirsMade.isEmpty()
                ? "; " + String.join(", ", theirsMade) + " ran first and keeps running, this one is refused"
                : "; which ran first cannot be told (both or neither are on Connect), so both are refused";
        return Optional.of(pair + which + ": send SetMirror with replicationPolicy PREFIXED for both, or DeleteMirror one of them");
    }

    /** Whether Connect has (had, at the last observation) a connector of this mirror of the cluster. */
    private static boolean made(ClusterState cluster, String mirror) {
        return MirrorShape.connectorNames(mirror).stream().anyMatch(cluster.getStatus().getConnectors()::containsKey);
    }
}
