package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RebalanceCluster;
import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.avro.state.RebalanceRequest;
import java.util.Optional;

/**
 * DECIDE and FOLD for a rebalance asked for by a person ({@code RebalanceCluster}), kept in
 * {@code spec.rebalance} until it is done. Unlike a roll, whose pods carry the id of what they run,
 * nothing in the world says a rebalance happened: the log does. So the request stays pending until
 * the operation it caused ends SUCCEEDED (or is abandoned, which withdraws it, as an abandoned
 * restart is), and an executor restarted mid-way finds it still pending and resumes from where the
 * data is.
 */
final class RebalanceControl {

    /** The operation's name in {@code status.operation.operation}, which the executor records. */
    static final String OPERATION = "Rebalance";

    private RebalanceControl() {
    }

    static boolean handles(Object p) {
        return p instanceof RebalanceCluster;
    }

    /** DECIDE for a RebalanceCluster. */
    static Optional<Rejection> check(ClusterState state) {
        int brokers = state.getSpec().getBrokers();
        if (brokers < 2) {
            return Optional.of(new Rejection(NO_CHANGE, "cluster '" + state.getClusterId() + "' has " + brokers
                    + " broker: there is nothing to spread the data over; scale it out (ScaleBrokers), which balances the data over the new brokers"));
        }
        // it moves data between brokers under a throttle, like a scale-out: one long operation at a time
        return Decide.busy(state);
    }

    /** FOLD: the request replaces any earlier one still pending (a new reason or throttle for the next attempt). */
    static void apply(ClusterState next, Command c) {
        RebalanceCluster r = (RebalanceCluster) c.getPayload();
        next.getSpec().setRebalance(new RebalanceRequest(c.getCommandId(), c.getIssuer(), r.getReason(), r.getThrottleBytesPerSecond(),
                c.getIssuedAt()));
    }

    /**
     * The pending request is done once the operation it caused has ended SUCCEEDED or ABANDONED: an
     * operation of another request (an older one retried) leaves the newer request pending.
     */
    static void settle(ClusterSpec spec, OperationStatus op) {
        RebalanceRequest pending = spec.getRebalance();
        if (pending != null && OperationControl.endsRequest(op, OPERATION, pending.getCommandId())) {
            spec.setRebalance(null);
        }
    }
}
