package io.coxswain.orchestrator.executor;

import io.coxswain.avro.state.ClusterState;

/**
 * A state record as an executor reads it: the cluster's state to act on, or, for a record a newer state schema wrote
 * holding what this executor's lacks, that {@link NewerState} only: the cluster is then held, nothing acted on for it.
 *
 * @param state null when {@code newer} is not
 * @param newer null when {@code state} is not
 */
record ReadState(ClusterState state, NewerState newer) {

    static ReadState of(ClusterState state) {
        return new ReadState(state, null);
    }

    static ReadState held(NewerState newer) {
        return new ReadState(null, newer);
    }
}
