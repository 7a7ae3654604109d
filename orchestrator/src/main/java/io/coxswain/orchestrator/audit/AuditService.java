package io.coxswain.orchestrator.audit;

import io.coxswain.avro.state.ClusterState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The audit features for the gateway, as plain Java: every method replays (part of) the command log on
 * one of this service's own threads and completes the returned stage there, so callers on an event loop
 * never block. Everything is read-only and isolated (see {@link TopicScan}).
 *
 * <p><b>Why bounded replay and no per-version index.</b> A state at a version or instant is computed by
 * reading the command topic from offset 0 and decoding/folding only the records keyed by the cluster,
 * stopping at the answer. Measured on the embedded broker (2 shared cores; ReplayCostTest prints these):
 * fetching runs at roughly 150-250k records/s and the cluster's own commands decode and fold at tens of
 * thousands per second, so a query costs about (records before the answer) / 200k seconds: ~50 ms at 10k
 * records, ~5 s at one million. A per-version index would answer in one look-up but must hold every
 * version of every cluster (each ~0.3-1 KB of Avro, i.e. ~1 GB per million accepted commands), be built by
 * this same full replay at start, and be kept in step with the log by a tailing consumer; a sparse snapshot
 * index also has to snapshot the command-id dedupe set, which grows with the log. For audit queries,
 * which are rare and where exactness matters more than latency, bounded replay is chosen; if logs grow
 * past tens of millions of records, the step to take is a snapshot every N versions per cluster kept on
 * a compacted topic, and this class is where it would plug in.
 */
public final class AuditService implements AutoCloseable {

    private final ExecutorService executor;
    private final BlockingQueue<Replayer> replayers;
    private final List<Replayer> all = new ArrayList<>();

    /** @param parallelism replays that may run at once (each one a consumer and a core); 1 or 2 is plenty */
    public AuditService(LogLocation where, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "coxswain-audit-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.replayers = new ArrayBlockingQueue<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            Replayer r = new Replayer(where);
            all.add(r);
            replayers.add(r);
        }
    }

    public AuditService(LogLocation where) {
        this(where, 2);
    }

    /** {@code GET /v1/clusters/{id}?asOf=T}: the state live at T (by record timestamp); empty → 404. */
    public CompletionStage<Optional<ClusterState>> stateAsOf(String clusterId, Instant asOf) {
        return run(r -> ClusterHistory.asOf(r, clusterId, asOf));
    }

    /** {@code GET /v1/clusters/{id}?atVersion=N}: empty → 404 (the cluster never reached N). */
    public CompletionStage<Optional<ClusterState>> stateAtVersion(String clusterId, long version) {
        return run(r -> ClusterHistory.atVersion(r, clusterId, version));
    }

    /**
     * {@code GET /v1/clusters/{id}/diff?from=V1&to=V2}. Fails with IllegalArgumentException (→ 400) for
     * bad versions and NoSuchElementException (→ 404) when the cluster never reached V2.
     */
    public CompletionStage<VersionDiff> diff(String clusterId, long fromVersion, long toVersion) {
        return run(r -> ClusterHistory.diff(r, clusterId, fromVersion, toVersion));
    }

    /** {@code GET /v1/audit?...}: render with {@link AuditResult#toJson()} or {@link AuditResult#toJsonLines()}. */
    public CompletionStage<AuditResult> audit(AuditQuery query) {
        return run(r -> AuditLog.query(r, query));
    }

    /** {@code GET /v1/audit/verify}: render with {@link VerifyReport#toJson()}. */
    public CompletionStage<VerifyReport> verify() {
        return verify(null);
    }

    /** @param clusterId null for every cluster */
    public CompletionStage<VerifyReport> verify(String clusterId) {
        return run(r -> Verifier.verify(r, clusterId));
    }

    /** A whole replay, for {@code GET /v1/replay}-like uses. */
    public CompletionStage<ReplayResult> replay(ReplayOptions options) {
        return run(r -> r.replay(options));
    }

    private <T> CompletionStage<T> run(Function<Replayer, T> work) {
        return CompletableFuture.supplyAsync(() -> {
            Replayer r = replayers.poll();
            if (r == null) { // cannot happen: as many replayers as threads
                throw new IllegalStateException("no free replayer");
            }
            try {
                return work.apply(r);
            } finally {
                replayers.add(r);
            }
        }, executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        all.forEach(Replayer::close);
    }
}
