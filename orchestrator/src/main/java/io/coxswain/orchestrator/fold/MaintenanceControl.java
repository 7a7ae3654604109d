package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.NO_CHANGE;

import io.coxswain.avro.command.OperationDeferred;
import io.coxswain.avro.command.SetMaintenanceWindows;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.ClusterStatus;
import io.coxswain.avro.state.DeferredOperation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;

/**
 * DECIDE and FOLD for a cluster's maintenance windows ({@code spec.maintenanceWindows}) and for
 * what waits for them ({@code status.deferred}, cleared when an operation starts or the executor
 * finds it no longer called for). Whether a window is open is the executor's
 * question, asked of its clock: the fold keeps no clock, so it only records what the executor saw.
 */
final class MaintenanceControl {

    private MaintenanceControl() {
    }

    static boolean handles(Object p) {
        return p instanceof SetMaintenanceWindows;
    }

    /** DECIDE; each window already has the form (shape). It starts nothing, so it does not wait for a running operation. */
    static Optional<Rejection> check(ClusterState state, Object p) {
        if (state.getSpec().getMaintenanceWindows().equals(((SetMaintenanceWindows) p).getWindows())) {
            return Optional.of(new Rejection(NO_CHANGE, "cluster '" + state.getClusterId() + "' already has "
                    + (state.getSpec().getMaintenanceWindows().isEmpty() ? "no maintenance windows" : "maintenance windows "
                    + String.join(", ", state.getSpec().getMaintenanceWindows()))));
        }
        return Optional.empty();
    }

    /**
     * FOLD: new windows. What waited under the old ones stays shown until the executor starts it (or
     * defers it again, to the new windows' next opening): it is also how the operation, once started,
     * names the command that called for it rather than this one.
     */
    static void apply(ClusterState next, Object p) {
        next.getSpec().setMaintenanceWindows(new ArrayList<>(((SetMaintenanceWindows) p).getWindows()));
    }

    /** An executor deferred an operation until a window opens, or (no {@code until}) found it no longer called for. */
    static void deferred(ClusterStatus status, OperationDeferred d, Instant at) {
        status.setDeferred(d.getUntil() == null ? null : new DeferredOperation(d.getOperation(), d.getCauseCommandId(), d.getUntil(), at));
    }
}
