package io.coxswain.orchestrator.executor.observe;

import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.signing.SignatureVerifier;
import io.coxswain.orchestrator.audit.LogLocation;
import io.coxswain.orchestrator.audit.ReplayOptions;
import io.coxswain.orchestrator.audit.ReplayResult;
import io.coxswain.orchestrator.audit.Replayer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings states folded before intent versions (state schema v16; they read {@code intentVersion} 0) to what
 * the log gives: the first pass that meets one starts a replay of the whole command log, on a thread of its
 * own (a large log takes seconds, and the passes go on meanwhile), and once it is done each such cluster's
 * pass records the replay's intentVersion ({@code IntentVersionReplayed}), which the fold takes only for a
 * state that has none (see the fold's IntentVersionBackfill). An installation upgraded from before v16 thus
 * catches up once, in the log where an auditor sees it; one that never had such states never replays.
 */
public final class LegacyIntentVersions {

    private static final Logger log = LoggerFactory.getLogger(LegacyIntentVersions.class);
    private static final Duration RETRY = Duration.ofMinutes(1);

    /** A cluster as the replay left it: its intentVersion, as of its version. */
    public record Replayed(long intentVersion, long version) {
    }

    private final Supplier<Map<String, Replayed>> replay;
    private final StatusReporter status;
    private final Runnable whenReplayed;
    private CompletableFuture<Map<String, Replayed>> replayed; // guarded by this
    private volatile long endedAt; // set before the replay completes, either way
    private volatile boolean outrun; // a legacy state went past the replay: replay again, after againAfter
    private volatile long againAfter; // ten times the last replay's duration, at least 5 s: a replay costs at most a tenth of a core

    /**
     * @param replay       every cluster's intentVersion as a replay of the whole log gives it
     * @param whenReplayed asks for a pass over the clusters once the replay is done
     */
    public LegacyIntentVersions(Supplier<Map<String, Replayed>> replay, StatusReporter status, Runnable whenReplayed) {
        this.replay = replay;
        this.status = status;
        this.whenReplayed = whenReplayed;
    }

    /**
     * Replays the log at {@code where} under the nodes' signature rules, as {@code cox replay} with them would, reading its
     * schemas through {@code registry} (the executor's, which it closes: a replay never does).
     */
    public static Supplier<Map<String, Replayed>> replayOf(LogLocation where, SignatureVerifier signatures, SchemaRegistry registry) {
        return () -> {
            try (Replayer replayer = new Replayer(where, signatures, registry)) {
                ReplayResult result = replayer.replay(ReplayOptions.all());
                Map<String, Replayed> versions = new HashMap<>();
                result.states().forEach((id, s) -> versions.put(id, new Replayed(s.getIntentVersion(), s.getVersion())));
                return versions;
            }
        };
    }

    /**
     * Records the replayed intentVersion of {@code state} if it was folded before intent versions, the replay is done
     * and it read at least as far as the state has come.
     */
    public void backfill(ClusterState state) {
        if (state.getVersion() == 0 || state.getIntentVersion() != 0) {
            return; // every state folded since v16 has one from its CreateCluster on
        }
        Map<String, Replayed> versions = replayed();
        Replayed replay = versions == null ? null : versions.get(state.getClusterId());
        if (replay == null || replay.intentVersion() < 1) {
            return; // under way, failed (retried), or a cluster the replay did not reach
        }
        if (state.getVersion() > replay.version()) {
            // folded past what the replay read: by an older node during a rolling upgrade, a change that node left without
            // an intentVersion may be among them, so the replay's value may be old. Read the log again (after againAfter)
            log.debug("cluster {}: at version {}, past the replay's {}; replaying again", state.getClusterId(), state.getVersion(), replay.version());
            outrun = true;
            return;
        }
        status.reportReplayedIntentVersion(state, replay.intentVersion());
    }

    /**
     * The replay's result once done; null while under way or after a failure. A failed replay is started again a minute
     * after it ended, one a legacy state has gone past after ten times its duration (at least 5 s).
     */
    private synchronized Map<String, Replayed> replayed() {
        boolean again = replayed != null && replayed.isDone() && (replayed.isCompletedExceptionally()
                ? System.nanoTime() - endedAt > RETRY.toNanos() : outrun && System.nanoTime() - endedAt > againAfter);
        if (replayed == null || again) {
            outrun = false;
            start();
        }
        return replayed.isDone() && !replayed.isCompletedExceptionally() ? replayed.join() : null;
    }

    private void start() {
        log.info("A cluster state folded before intent versions (state schema v16): replaying the command log to record"
                + " each such cluster's intentVersion as the log gives it");
        long start = System.nanoTime();
        replayed = CompletableFuture.supplyAsync(() -> {
            try {
                return Map.copyOf(replay.get());
            } finally {
                endedAt = System.nanoTime();
                againAfter = Math.max(Duration.ofSeconds(5).toNanos(), 10 * (endedAt - start));
            }
        }, task -> {
            Thread t = new Thread(task, "coxswain-executor-intent-replay");
            t.setDaemon(true);
            t.start();
        });
        replayed.whenComplete((versions, e) -> {
            if (e != null) {
                log.warn("The command log could not be replayed to record the intentVersion of states folded before intent versions"
                        + " ({}); those clusters work as before meanwhile (unchangedSinceVersion unchecked against it); trying again in {} s",
                        e.toString(), RETRY.toSeconds());
            } else {
                log.info("Replayed the command log for intent versions: {} clusters in {} ms", versions.size(), (endedAt - start) / 1_000_000);
                whenReplayed.run();
            }
        });
    }
}
