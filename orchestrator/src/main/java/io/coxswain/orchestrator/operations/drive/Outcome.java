package io.coxswain.orchestrator.operations.drive;

/** What one step of a driver came to. */
enum Outcome {
    /** Acted (and recorded it): take the next step at once. */
    ADVANCED,
    /** Waits for the world (a pod, the ISR, a reassignment); try again on the next pass. */
    WAITING,
    /** The operation finished and recorded SUCCEEDED or FAILED. */
    ENDED
}
