package io.coxswain.orchestrator.operations.balance;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a reassignment has got: partitions at their target (and no longer moving) out of all
 * partitions in the plan. {@code inFlight} are being copied; {@code notStarted} are neither at the
 * target nor moving (not submitted yet, or cancelled by someone else).
 */
public record ReassignmentProgress(int moved, int total, List<TopicPartition> inFlight, List<TopicPartition> notStarted) {

    public ReassignmentProgress {
        inFlight = List.copyOf(inFlight);
        notStarted = List.copyOf(notStarted);
    }

    public boolean done() {
        return moved == total;
    }

    @Override
    public String toString() {
        return moved + "/" + total + " partitions moved" + (inFlight.isEmpty() ? "" : ", moving " + abbreviate(inFlight))
                + (notStarted.isEmpty() ? "" : ", not started " + abbreviate(notStarted));
    }

    private static String abbreviate(List<TopicPartition> partitions) {
        return partitions.size() <= 5 ? partitions.toString() : partitions.subList(0, 5) + " and " + (partitions.size() - 5) + " more";
    }
}
