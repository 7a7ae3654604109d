package io.coxswain.orchestrator.fold;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ReplaceClusterCa;
import io.coxswain.avro.state.CaReplacementRequest;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import java.util.Optional;

/**
 * DECIDE and FOLD for a CA replacement asked for by a person ({@code ReplaceClusterCa}), kept in
 * {@code spec.caReplacement} until it is done. The CA Secret's entries say how far a replacement
 * got, but only the log says one was asked for and by whom: so the request stays pending until the
 * operation it caused ends SUCCEEDED (or is abandoned), and an executor restarted mid-way finds it
 * pending and resumes from the Secret.
 */
final class CaReplacementControl {

    /** The operation's name in {@code status.operation.operation}, which the executor records. */
    static final String OPERATION = "ReplaceClusterCa";

    private CaReplacementControl() {
    }

    static boolean handles(Object p) {
        return p instanceof ReplaceClusterCa;
    }

    /** DECIDE: three rolls, one long operation at a time; a request pending and not started is replaced by a newer one. */
    static Optional<Rejection> check(ClusterState state) {
        return Decide.busy(state);
    }

    /** FOLD: the request replaces any earlier one still pending (a replacement under way is carried on under the newer one). */
    static void apply(ClusterState next, Command c) {
        ReplaceClusterCa r = (ReplaceClusterCa) c.getPayload();
        next.getSpec().setCaReplacement(new CaReplacementRequest(c.getCommandId(), c.getIssuer(), r.getReason(), c.getIssuedAt()));
    }

    /** The pending request is done once the operation it caused ended SUCCEEDED or ABANDONED. */
    static void settle(ClusterSpec spec, OperationStatus op) {
        CaReplacementRequest pending = spec.getCaReplacement();
        if (pending != null && OperationControl.endsRequest(op, OPERATION, pending.getCommandId())) {
            spec.setCaReplacement(null);
        }
    }
}
