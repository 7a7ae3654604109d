package io.coxswain.orchestrator.executor.observe;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.signing.SignatureVerifier;
import io.coxswain.orchestrator.audit.LogLocation;
import io.coxswain.orchestrator.audit.ReplayOptions;
import io.coxswain.orchestrator.audit.ReplayResult;
import io.coxswain.orchestrator.audit.Replayer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings states folded before intent versions (state schema v16; they read {@code intentVersion} 0) to what
 * the log gives: the first pass that meets one replays the whole command log once, and each such cluster's
 * pass records the replay's intentVersion ({@code IntentVersionReplayed}), which the fold takes only for a
 * state that has none (see the fold's IntentVersionBackfill). An installation upgraded from before v16 thus
 * catches up once, in the log where an auditor sees it; one that never had such states never replays.
 */
public final class LegacyIntentVersions {

    private static final Logger log = LoggerFactory.getLogger(LegacyIntentVersions.class);

    private final Supplier<Map<String, Long>> replay;
    private final StatusReporter status;
    private Map<String, Long> replayed;
    private long failedAt;
    private static final Duration RETRY = Duration.ofMinutes(1);

    /** @param replay every cluster's intentVersion as a replay of the whole log gives it (called at most once when it succeeds) */
    public LegacyIntentVersions(Supplier<Map<String, Long>> replay, StatusReporter status) {
        this.replay = replay;
        this.status = status;
    }

    /** Replays the log at {@code where} under the nodes' signature rules, as {@code cox replay} with them would. */
    public static Supplier<Map<String, Long>> replayOf(LogLocation where, SignatureVerifier signatures) {
        return () -> {
            try (Replayer replayer = new Replayer(where, signatures)) {
                ReplayResult result = replayer.replay(ReplayOptions.all());
                Map<String, Long> versions = new HashMap<>();
                result.states().forEach((id, s) -> versions.put(id, s.getIntentVersion()));
                return versions;
            }
        };
    }

    /** Records the replayed intentVersion of {@code state} if it was folded before intent versions. */
    public void backfill(ClusterState state) {
        if (state.getVersion() == 0 || state.getIntentVersion() != 0) {
            return; // every state folded since v16 has one from its CreateCluster on
        }
        Long intentVersion;
        try {
            intentVersion = replayed().get(state.getClusterId());
        } catch (RuntimeException e) {
            // the pass goes on without it: the state works as before (unchangedSinceVersion unchecked against it)
            log.warn("cluster {}: its state was folded before intent versions and the command log could not be replayed to"
                    + " record its intentVersion ({}); trying again in {} s", state.getClusterId(), e.toString(), RETRY.toSeconds());
            return;
        }
        // above the state's version: this node is behind the replay, and the change that set it will set it here too
        if (intentVersion != null && intentVersion >= 1 && intentVersion <= state.getVersion()) {
            status.reportReplayedIntentVersion(state, intentVersion);
        }
    }

    private synchronized Map<String, Long> replayed() {
        if (replayed == null && failedAt != 0 && System.nanoTime() - failedAt < RETRY.toNanos()) {
            throw new IllegalStateException("the last replay failed less than " + RETRY.toSeconds() + " s ago");
        }
        if (replayed == null) {
            log.info("A cluster state folded before intent versions (state schema v16): replaying the command log once to record"
                    + " each such cluster's intentVersion as the log gives it");
            long start = System.nanoTime();
            try {
                replayed = Map.copyOf(replay.get());
            } catch (RuntimeException e) {
                failedAt = System.nanoTime();
                throw e;
            }
            log.info("Replayed the command log for intent versions: {} clusters in {} ms", replayed.size(), (System.nanoTime() - start) / 1_000_000);
        }
        return replayed;
    }
}
