package io.coxswain.orchestrator.fold;

import static io.coxswain.avro.event.RejectionCode.INVALID_COMMAND;
import static io.coxswain.avro.event.RejectionCode.VERSION_CONFLICT;

import io.coxswain.avro.command.IntentVersionReplayed;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.state.ClusterState;
import java.util.Optional;

/**
 * DECIDE and FOLD for {@link IntentVersionReplayed}: a state folded by a Coxswain from before intent versions
 * (state schema v16) reads {@code intentVersion} 0, while a replay of the same log, folded with today's rules
 * from the start, has the version of the latest change. An executor that meets such a state records the
 * replay's value, and the live state takes it: after that the live state is what the log gives, which
 * {@code cox verify} checks field by field, and {@code unchangedSinceVersion} protects it again.
 *
 * <p>The rule is the same for the live fold and for a replay, so both decide alike: accepted while the
 * state's intentVersion is 0 (the live fold, first time) or already the value (a replay, or a record sent
 * twice), never above the state's version. A forged value is accepted by a live fold at most once, and
 * a replay rejects it, which {@code cox verify} lists as a decision taken otherwise.
 */
final class IntentVersionBackfill {

    private IntentVersionBackfill() {
    }

    static boolean handles(Object payload) {
        return payload instanceof RecordObservation o && o.getObservation() instanceof IntentVersionReplayed;
    }

    /** DECIDE, for a cluster that exists. */
    static Optional<Rejection> check(ClusterState state, Object payload) {
        long replayed = ((IntentVersionReplayed) ((RecordObservation) payload).getObservation()).getIntentVersion();
        String id = state.getClusterId();
        if (replayed < 1 || replayed > state.getVersion()) {
            return Optional.of(new Rejection(INVALID_COMMAND, "intentVersion " + replayed + " is not a version of cluster '" + id
                    + "' (1 to " + state.getVersion() + ")"));
        }
        if (state.getIntentVersion() != 0 && state.getIntentVersion() != replayed) {
            return Optional.of(new Rejection(VERSION_CONFLICT, "cluster '" + id + "' has intentVersion " + state.getIntentVersion()
                    + ", not " + replayed + ": a replayed value is taken only by a state folded before intent versions, which has none"));
        }
        return Optional.empty();
    }

    /** FOLD: the value the replay gave. */
    static void apply(ClusterState next, Object payload) {
        next.setIntentVersion(((IntentVersionReplayed) ((RecordObservation) payload).getObservation()).getIntentVersion());
    }
}
