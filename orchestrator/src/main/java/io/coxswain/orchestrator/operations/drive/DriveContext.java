package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.kafka.clients.admin.Admin;

/** What a driver works with during one pass of one cluster's operation. */
record DriveContext(ClusterState state, ClusterNames names, RunningOperation op, KubernetesClient kube, Admin admin,
                    OperationRecorder recorder, StepClock clock, DriveSettings settings) {

    /**
     * Whether the log already records {@code step} of this operation FINISHED: what a driver that
     * lost its memory (a restart, another executor) finds it had done.
     */
    boolean loggedFinished(String step) {
        return logged(step, StepState.FINISHED);
    }

    /** Whether the log already records {@code step} of this operation in {@code stepState}. */
    boolean logged(String step, StepState stepState) {
        OperationStatus logged = state.getStatus().getOperation();
        return logged != null && logged.getOperationId().equals(op.id())
                && logged.getSteps().stream().anyMatch(s -> step.equals(s.getStep()) && stepState.name().equals(s.getState()));
    }

    ClusterPods pods() {
        return ClusterPods.read(kube, names);
    }

    String clusterId() {
        return state.getClusterId();
    }

    /**
     * Waits for {@code what}: WAITING while within the step timeout; after it, records the step
     * FAILED with the reason and the operation FAILED, so nothing further is done until a person
     * (or a new command) decides.
     */
    Outcome waitFor(String step, Integer node, String what, String reason) {
        if (clock.waited(op.id(), what).compareTo(settings.stepTimeout()) < 0) {
            return Outcome.WAITING;
        }
        return fail(step, node, "gave up after " + settings.stepTimeout().toSeconds() + " s waiting for " + what + ": " + reason);
    }

    /** Records the step FAILED with {@code why} and the operation FAILED: nothing further is done until a person (or a new command) decides. */
    Outcome fail(String step, Integer node, String why) {
        recorder.step(op, step, StepState.FAILED, node, why, null, null);
        recorder.operation(op, OperationState.FAILED, why);
        clock.clear(op.id());
        return Outcome.ENDED;
    }

    /** As {@link #waitFor}, for what the next reconcile pass writes: {@link Outcome#NEEDS_PASS} until the step timeout. */
    Outcome waitForPass(String step, String what, String reason) {
        Outcome waiting = waitFor(step, null, what, reason);
        return waiting == Outcome.WAITING ? Outcome.NEEDS_PASS : waiting;
    }

    Outcome succeed(String reason) {
        recorder.operation(op, OperationState.SUCCEEDED, reason);
        clock.clear(op.id());
        return Outcome.ENDED;
    }
}
