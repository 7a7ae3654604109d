package io.coxswain.orchestrator.operations.drive;

/** What one step of a driver came to. */
enum Outcome {
    /** Acted (and recorded it): take the next step at once. */
    ADVANCED,
    /** Waits for the world (a pod, the ISR, a reassignment); try again on the next pass. */
    WAITING,
    /**
     * Waits for the reconcile step, which writes what comes next (a CA replacement's next step):
     * the worker is given back at once, and the pass that follows carries on.
     */
    NEEDS_PASS,
    /** The operation finished and recorded SUCCEEDED or FAILED. */
    ENDED
}
