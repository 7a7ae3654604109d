package io.coxswain.orchestrator.executor;

/**
 * Where an executor reports what it saw and what it is about to do: in production, the command
 * log (as {@code RecordObservation} commands), so the fold turns reports into {@code status}.
 */
public interface ObservationSink {

    /**
     * Records {@code observation} (one of the records of {@code RecordObservation.observation})
     * for the cluster and returns once it is durably written, so "recorded before acting" holds.
     *
     * @return the id of the command that carries it
     */
    String record(String clusterId, Object observation);
}
