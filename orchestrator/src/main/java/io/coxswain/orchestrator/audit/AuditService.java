package io.coxswain.orchestrator.audit;

import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.signing.SignatureVerifier;
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
import java.util.function.Supplier;

/**
 * The audit features for the gateway, as plain Java: every method replays (part of) the command log on
 * one of this service's own threads and completes the returned stage there, so callers on an event loop
 * never block. Everything is read-only and isolated (see {@link TopicScan}).
 *
 * <p><b>Why bounded replay and no per-version index.</b> A state at a version or instant is computed by
 * reading the command topic from offset 0 and decoding/folding only the records keyed by the cluster,
 * stopping at the answer. Measured by ReplayCostTest on the embedded broker (2 shared cores, 20,000
 * records, 200 clusters, 3 partitions; the range is quiet machine .. machine busy with other builds):
 * plain fetch 150k-400k records/s; full replay (decode + fold of every record) 33k-77k records/s;
 * atVersion of the busiest cluster's latest version 30-90 ms, most of it the consumer's start (a replayer now keeps its
 * consumer, so only its first query pays that). So a
 * query costs about 25-50 ms + (records before the answer) / ~200k/s + (the cluster's own commands) /
 * ~50k/s: well under a second up to a few hundred thousand records, a few seconds at a million, linear
 * beyond. A per-version index would answer in one look-up but holds every version of every
 * cluster: 265 bytes of Avro per version measured (≈265 MB per million accepted commands before JVM
 * overhead), has to be built by the same full replay at start (15-30 s per million records) and kept in
 * step by a tailing consumer; a sparse snapshot index must also snapshot the command-id dedupe set. Audit
 * queries are rare and must be exact, so bounded replay is chosen; past a few million records, the
 * next step is a snapshot every N versions per cluster on a compacted topic, plugged in here.
 */
public final class AuditService implements AutoCloseable {

    private final ExecutorService executor;
    private final BlockingQueue<Replayer> replayers;
    private final List<Replayer> all = new ArrayList<>();

    /** @param parallelism replays that may run at once (each one a consumer and a core); 1 or 2 is plenty */
    public AuditService(LogLocation where, int parallelism) {
        this(where, parallelism, SignatureVerifier.permissive());
    }

    /** @param signatures the node's signature rules: every replay decides records by them, as the node did */
    public AuditService(LogLocation where, int parallelism, SignatureVerifier signatures) {
        this(parallelism, () -> new Replayer(where, signatures));
    }

    /**
     * A gateway's: every replay reads through {@code registry}, its node's, instead of each replayer opening one of its
     * own (a consumer of the schemas topic and a copy of every schema each); it stays the caller's to close.
     */
    public AuditService(LogLocation where, int parallelism, SignatureVerifier signatures, SchemaRegistry registry) {
        this(parallelism, () -> new Replayer(where, signatures, registry));
    }

    private AuditService(int parallelism, Supplier<Replayer> replayer) {
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
            Replayer r = replayer.get();
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
