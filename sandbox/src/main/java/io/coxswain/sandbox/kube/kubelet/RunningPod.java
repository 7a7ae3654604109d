package io.coxswain.sandbox.kube.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;

/** The kubelet's own record of a pod it runs; mutated only on the kubelet's queue thread. */
final class RunningPod {

    enum State {
        /** Reported Running, runtime not started: held back by the never-ready hook. */
        HELD,
        /** Runtime starting; not ready yet. */
        STARTING,
        READY,
        /** The runtime's start failed; it is retried with back-off. */
        FAILED,
        /** Deleted: the runtime is being stopped. */
        STOPPING
    }

    Pod pod;
    State state = State.STARTING;
    int restarts;
    String failure;
    Instant retryAt = Instant.EPOCH;
    private final Instant startTime = Instant.now();

    RunningPod(Pod pod) {
        this.pod = pod;
    }

    String uid() {
        return pod.getMetadata().getUid();
    }

    /** Whether the runtime may have something running for this pod that a stop must end. */
    boolean hasContainers() {
        return state == State.STARTING || state == State.READY;
    }

    PodStatuses.Observed observed() {
        return new PodStatuses.Observed(startTime, state == State.READY, restarts, failure);
    }
}
