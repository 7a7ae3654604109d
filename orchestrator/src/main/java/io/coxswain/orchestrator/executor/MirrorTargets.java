package io.coxswain.orchestrator.executor;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.MirrorSpec;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which clusters read from which through their mirrors, as the states a {@link StateFeed} holds say: a source cluster →
 * the targets with a mirror from it. Kept as each state arrives, and as a cluster leaves (a tombstone, its partition
 * handed over), so that the targets of one source are found without going through every cluster. Written by the feed's
 * reading thread, read by any: a reader may find a target whose mirror has just gone, or miss one just added, as it could
 * by reading the states themselves a moment earlier or later; the target's own new state queues it in either case.
 */
final class MirrorTargets {

    private final Map<String, Set<String>> targetsBySource = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> sourcesByTarget = new ConcurrentHashMap<>();

    /** The target's mirrors as {@code state} has them. */
    void update(String target, ClusterState state) {
        Set<String> sources = state.getSpec().getMirrors().values().stream().map(MirrorSpec::getSourceCluster).collect(Collectors.toSet());
        Set<String> before = sources.isEmpty() ? sourcesByTarget.remove(target) : sourcesByTarget.put(target, sources);
        if (before != null) {
            before.stream().filter(s -> !sources.contains(s)).forEach(s -> unlink(s, target));
        }
        sources.forEach(s -> targetsBySource.computeIfAbsent(s, k -> ConcurrentHashMap.newKeySet()).add(target));
    }

    /** These clusters are held here no more (a tombstone, their partition handed over). */
    void forget(Collection<String> targets) {
        for (String target : targets) {
            Set<String> before = sourcesByTarget.remove(target);
            if (before != null) {
                before.forEach(s -> unlink(s, target));
            }
        }
    }

    /** The targets with a mirror from {@code source}. */
    Set<String> of(String source) {
        return Set.copyOf(targetsBySource.getOrDefault(source, Set.of()));
    }

    private void unlink(String source, String target) {
        targetsBySource.computeIfPresent(source, (k, targets) -> {
            targets.remove(target);
            return targets.isEmpty() ? null : targets;
        });
    }
}
