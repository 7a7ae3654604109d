package io.coxswain.orchestrator.audit;

import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.signing.SignatureVerifier;
import io.coxswain.orchestrator.topology.Admission;
import io.coxswain.orchestrator.topology.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Replays the command topic from its first offset with {@link ReplayEngine}, the decide-and-fold logic
 * of the live topology, and yields the states as of the end of the log, a time or an offset. Read-only
 * (see {@link TopicScan}); memory is the replayed states plus one entry per decided command id.
 *
 * <p>Thread-safety: one replay at a time per instance (the registry cache and the scans' consumer are shared);
 * {@link AuditService} serialises calls for the gateway.
 */
public final class Replayer implements AutoCloseable {

    /** One fold thread per core; the scan's consumer thread, a sixth of the work, shares them. */
    private static final int FOLD_THREADS = Runtime.getRuntime().availableProcessors();

    private final LogLocation where;
    /** The registry this replayer opened and so closes; null when it reads through its caller's (a node's). */
    private final SchemaRegistry ownedRegistry;
    private final Codecs codecs;
    private final SignatureVerifier signatures;
    private final Admission admission;
    /**
     * Every scan of this replayer reads with this one consumer, made at the first: a consumer's start (its connection and
     * first metadata) was most of a query for one cluster's state, and the gateway's replayers answer many.
     */
    private KafkaConsumer<byte[], byte[]> scans;

    /** A replay with no signature keys and none required: right for a log whose nodes ran without signature options. */
    public Replayer(LogLocation where) {
        this(where, SignatureVerifier.permissive());
    }

    /**
     * @param signatures the signature keys and flag the log's nodes verified with: a record's decision
     *                   depends on them, so a replay with other keys decides signed records differently
     */
    public Replayer(LogLocation where, SignatureVerifier signatures) {
        this(where, signatures, where.openRegistry(), true);
    }

    /**
     * A replay that reads through {@code registry}, the one the process already has open for this log's schemas (a node's:
     * its gateway and executor replay the log they run on); it stays its caller's to close.
     */
    public Replayer(LogLocation where, SignatureVerifier signatures, SchemaRegistry registry) {
        this(where, signatures, registry, false);
    }

    private Replayer(LogLocation where, SignatureVerifier signatures, SchemaRegistry registry, boolean owned) {
        this.where = where;
        this.ownedRegistry = owned ? registry : null;
        this.codecs = Codecs.of(registry, where.topics());
        this.signatures = signatures;
        this.admission = new Admission(signatures);
    }

    public LogLocation location() {
        return where;
    }

    public Codecs codecs() {
        return codecs;
    }

    /**
     * The states as of the options' end. Each partition is folded on a thread of its own (see
     * {@link PartitionedFold}): the same states, faster.
     */
    public ReplayResult replay(ReplayOptions options) {
        Selection selection = new Selection(options);
        PartitionedFold fold = new PartitionedFold(FOLD_THREADS, () -> new ReplayEngine(codecs.commands(), admission));
        Map<Integer, TopicScan.Extent> extents;
        try {
            extents = scan(where.topics().commands(), r -> {
                TopicScan.Verdict v = selection.verdict(r);
                if (v != null) {
                    return v;
                }
                return fold.offer(r) ? TopicScan.Verdict.CONTINUE : TopicScan.Verdict.STOP_ALL;
            });
        } catch (RuntimeException e) {
            fold.abandon();
            throw e;
        }
        return result(options, fold.finish(), extents, selection.skipped);
    }

    /**
     * @param listener sees every folded record, on this thread, in each partition's offset order; returning
     *                 false ends the replay early (the result then holds the states reached so far)
     */
    public ReplayResult replay(ReplayOptions options, Predicate<ReplayEngine.Event> listener) {
        Selection selection = new Selection(options);
        ReplayEngine engine = new ReplayEngine(codecs.commands(), admission);
        Map<Integer, TopicScan.Extent> extents = scan(where.topics().commands(), r -> {
            TopicScan.Verdict v = selection.verdict(r);
            if (v != null) {
                return v;
            }
            ReplayEngine.Event event = engine.offer(r.partition(), r.offset(), r.timestamp(), r.key(), r.headers(), r.value());
            return listener.test(event) ? TopicScan.Verdict.CONTINUE : TopicScan.Verdict.STOP_ALL;
        });
        return result(options, engine, extents, selection.skipped);
    }

    /** Reads {@code topic} of this log from its beginning to its end now, with this replayer's consumer. */
    Map<Integer, TopicScan.Extent> scan(String topic, TopicScan.Handler handler) {
        if (scans == null) {
            scans = TopicScan.consumer(where);
        }
        return TopicScan.scan(scans, where, topic, handler);
    }

    /** Which records of the log a replay folds, by the options; counts the other clusters' records it skips. */
    private static final class Selection {
        private final byte[] onlyKey;
        private final long toMillis;
        private final Long toOffset;
        private long skipped;

        Selection(ReplayOptions options) {
            onlyKey = options.clusterId() == null ? null : options.clusterId().getBytes(StandardCharsets.UTF_8);
            toMillis = options.to() == null ? Long.MAX_VALUE : options.to().toEpochMilli();
            toOffset = options.toOffset();
        }

        /** Null when the record is to be folded. */
        TopicScan.Verdict verdict(ConsumerRecord<byte[], byte[]> r) {
            if (toOffset != null && r.offset() > toOffset) {
                return TopicScan.Verdict.STOP_PARTITION;
            }
            if (r.timestamp() > toMillis) {
                return TopicScan.Verdict.STOP_PARTITION;
            }
            if (onlyKey != null && !Arrays.equals(onlyKey, r.key())) {
                skipped++;
                return TopicScan.Verdict.CONTINUE;
            }
            return null;
        }
    }

    private ReplayResult result(ReplayOptions options, ReplayEngine engine, Map<Integer, TopicScan.Extent> extents, long skipped) {
        List<String> warnings = new ArrayList<>();
        TreeMap<String, ClusterState> states = engine.states(warnings);
        if (options.clusterId() != null) {
            states.keySet().retainAll(List.of(options.clusterId()));
        }
        signatureWarnings(engine, warnings);
        Map<Integer, ReplaySummary.Partition> partitions = new TreeMap<>();
        extents.forEach((p, e) -> {
            partitions.put(p, new ReplaySummary.Partition(e.start(), e.end(), e.last()));
            if (e.start() > 0) {
                warnings.add("partition " + p + " of " + where.topics().commands() + " begins at offset " + e.start() + ", not 0: "
                        + e.start() + " earlier records were deleted (finite retention, or an incomplete copy), so the replayed states"
                        + " miss their effect; the command topic must keep retention.ms=-1");
            }
        });
        ReplaySummary summary = new ReplaySummary(states.size(), engine.commands(), engine.accepted(), engine.rejected(),
                engine.deadLettered(), engine.duplicates(), skipped, partitions, warnings);
        return new ReplayResult(summary, states);
    }

    /**
     * A record's decision depends on the signature keys and flag it is checked with, which are not in the
     * log: when a replay's differ from the nodes', states differ, and these lines name the likely cause.
     */
    private void signatureWarnings(ReplayEngine engine, List<String> warnings) {
        if (engine.signatureRejected() > 0) {
            warnings.add(engine.signatureRejected() + " commands were rejected SIGNATURE_INVALID by this replay's signature rules (keys: "
                    + signatures.keys().source() + ", " + signatures.keys().size() + " keys; signatures " + (signatures.required() ? "" : "not ")
                    + "required). The live nodes decided them with their own --command-keys and --require-signatures: replay with the same"
                    + " file and flag, or signed commands the nodes accepted are rejected here and the states differ");
        }
        long unsigned = engine.commands() - engine.deadLettered() - engine.signed();
        if (!signatures.required() && engine.signed() > 0 && unsigned > 0) {
            warnings.add(unsigned + " commands are unsigned and were not refused for it, because this replay does not require signatures;"
                    + " if the nodes ran with --require-signatures, replay with it too, or commands they rejected are applied here");
        }
    }

    @Override
    public void close() {
        if (scans != null) {
            scans.close();
        }
        if (ownedRegistry != null) {
            ownedRegistry.close();
        }
    }
}
