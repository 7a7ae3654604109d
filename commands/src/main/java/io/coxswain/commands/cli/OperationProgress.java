package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An operation's {@code done/total} ({@code status.operation}) with what it counts. The count is not of the steps listed
 * under it: each step records how far the work it does has got, in that work's own unit (the pods a roll has brought up to
 * date, the volumes grown, the partitions a rebalance has moved), and the operation shows the latest. So a scale-out whose
 * one rebalance moved 4 partitions reads 4/4 over three step records (planned, moving, moved); a bare "4/4" beside them
 * reads as a step miscounted. Pure.
 */
final class OperationProgress {

    /** The prefix of a roll's step names ({@code restart <pod>}), the only counted steps a CA replacement has beside its stages. */
    private static final String ROLL_STEP = "restart ";

    private OperationProgress() {
    }

    /** "4/4 partitions moved", "2/6 pods up to date", ...; "-" while it has counted nothing. */
    static String of(JsonNode op) {
        if (!op.hasNonNull("done") || !op.hasNonNull("total")) {
            return "-";
        }
        return op.path("done").asText() + "/" + op.path("total").asText() + " " + unit(op);
    }

    private static String unit(JsonNode op) {
        return switch (op.path("operation").asText()) {
            case "ScaleOut", "ScaleIn", "Rebalance" -> "partitions moved";
            case "ExpandStorage" -> "volumes grown";
            case "ReplaceClusterCa" -> lastStep(op).startsWith(ROLL_STEP) ? "pods up to date in this roll" : "CA stages";
            default -> "pods up to date"; // the rolls: RollingUpgrade, Reconfigure, RollingRestart
        };
    }

    private static String lastStep(JsonNode op) {
        JsonNode steps = op.path("steps");
        return steps.size() == 0 ? "" : steps.get(steps.size() - 1).path("step").asText();
    }
}
