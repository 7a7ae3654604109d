package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.OffsetResetState;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this executor did about each cluster's pending consumer group offset resets that the folded state may not show
 * yet: the step it recorded last per command (so it is not recorded again while the fold catches up) and the failed
 * commits in a row of a plan. Kept only for resets still pending (one that settled, was cancelled or was withdrawn leaves
 * nothing) and forgotten with the cluster (handed over to another executor, deleted): the next owner starts from the log.
 */
final class OffsetResetLedger {

    /** Per cluster, per command id. */
    private final Map<String, Map<String, OffsetResetState>> recorded = new ConcurrentHashMap<>();
    /** Per cluster, per command id. */
    private final Map<String, Map<String, Integer>> failedCommits = new ConcurrentHashMap<>();

    /** Keeps only what concerns the resets pending now. */
    void retain(String cluster, Set<String> pendingIds) {
        recorded.computeIfPresent(cluster, (c, steps) -> {
            steps.keySet().retainAll(pendingIds);
            return steps.isEmpty() ? null : steps;
        });
        failedCommits.computeIfPresent(cluster, (c, failures) -> {
            failures.keySet().retainAll(pendingIds);
            return failures.isEmpty() ? null : failures;
        });
    }

    /** @return the step this executor recorded last for the command, or null */
    OffsetResetState recorded(String cluster, String commandId) {
        Map<String, OffsetResetState> steps = recorded.get(cluster);
        return steps == null ? null : steps.get(commandId);
    }

    /** A step recorded; an outcome ends the count of failed commits. */
    void recorded(String cluster, String commandId, OffsetResetState step) {
        recorded.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>()).put(commandId, step);
        if (step != OffsetResetState.PLANNED) {
            failedCommits.computeIfPresent(cluster, (c, failures) -> {
                failures.remove(commandId);
                return failures.isEmpty() ? null : failures;
            });
        }
    }

    int failedCommits(String cluster, String commandId) {
        Map<String, Integer> failures = failedCommits.get(cluster);
        return failures == null ? 0 : failures.getOrDefault(commandId, 0);
    }

    /** @return the failed commits in a row of the command's plan, this one included */
    int commitFailed(String cluster, String commandId) {
        return failedCommits.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>()).merge(commandId, 1, Integer::sum);
    }

    void forget(String cluster) {
        recorded.remove(cluster);
        failedCommits.remove(cluster);
    }

    /** Commands of the cluster this ledger holds anything about. */
    int commands(String cluster) {
        Set<String> ids = new java.util.HashSet<>();
        ids.addAll(recorded.getOrDefault(cluster, Map.of()).keySet());
        ids.addAll(failedCommits.getOrDefault(cluster, Map.of()).keySet());
        return ids.size();
    }
}
