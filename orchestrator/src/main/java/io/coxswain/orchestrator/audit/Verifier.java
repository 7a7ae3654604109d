package io.coxswain.orchestrator.audit;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.SchemaRef;
import io.coxswain.avro.wire.UndecodableRecordException;
import io.coxswain.avro.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.header.Headers;

/**
 * Replays the command log and compares each replayed state, byte for byte, with the latest record per
 * key of the live compacted {@code state} topic, and each replayed decision with the one recorded on the
 * {@code events} topic ({@link DecisionCheck}). Every disagreement is reported, field by field where
 * both sides decode. The command topic's end is fixed before the state topic is read, so a node that is
 * still catching up shows as a live state behind the replay (the explanation says so).
 */
public final class Verifier {

    /** The latest record of one key on the state topic. */
    private record Live(byte[] value, Headers headers, int partition, long offset) {
    }

    private Verifier() {
    }

    /** @param clusterId null to verify every cluster */
    public static VerifyReport verify(Replayer replayer, String clusterId) {
        return compare(replayer, replayer.replay(ReplayOptions.all().cluster(clusterId)), clusterId);
    }

    /**
     * Compares a replay already made (of the whole log, for every cluster or {@code clusterId}) with the
     * live state topic; lets the CLI write the replayed states and verify them with one pass over the log.
     */
    public static VerifyReport compare(Replayer replayer, ReplayResult replay, String clusterId) {
        Map<String, Live> live = readLive(replayer, clusterId);
        AvroWireCodec<ClusterState> codec = replayer.codecs().states();
        List<Difference> differences = new ArrayList<>();
        List<String> notes = new ArrayList<>(replay.summary().warnings());
        TreeSet<String> ids = new TreeSet<>(replay.states().keySet());
        ids.addAll(live.keySet());
        for (String id : ids) {
            compare(id, replay.states().get(id), live.get(id), codec, differences, notes);
        }
        differences.addAll(DecisionCheck.compare(replayer, clusterId, notes));
        return new VerifyReport(ids.size(), replay.summary().commands(), differences.isEmpty(), differences, notes, replay.summary());
    }

    private static void compare(String id, ClusterState replayed, Live live, AvroWireCodec<ClusterState> codec,
                                List<Difference> out, List<String> notes) {
        Long rv = replayed == null ? null : replayed.getVersion();
        if (live == null) {
            out.add(new Difference(id, rv, null, ".", StateJson.node(replayed), null, "the state topic has no record for this cluster:"
                    + " a node has not processed its commands yet (run again when the nodes have caught up) or the record was deleted"));
            return;
        }
        String where = " (state topic partition " + live.partition + ", offset " + live.offset + ")";
        if (live.value == null) {
            out.add(new Difference(id, rv, null, ".", replayed == null ? null : StateJson.node(replayed), null,
                    "the latest state record is a tombstone" + where + "; Coxswain never deletes states, so someone else wrote it"));
            return;
        }
        ClusterState decoded;
        try {
            decoded = codec.decode(live.headers, live.value);
        } catch (UndecodableRecordException e) {
            out.add(new Difference(id, rv, null, ".", replayed == null ? null : StateJson.node(replayed), null,
                    "the latest state record cannot be decoded" + where + ": " + e.getMessage()));
            return;
        }
        Long lv = decoded.getVersion();
        if (replayed == null) {
            out.add(new Difference(id, null, lv, ".", null, StateJson.node(decoded), "replaying the command log gives no such cluster,"
                    + " but the state topic holds one" + where + ": it was not produced from this log (tampered, or written by another installation)"));
            return;
        }
        // a proposal recorded by an older Coxswain holds its command in an older schema's bytes: compare the commands
        ClusterState liveForm = StoredProposals.inCurrentForm(decoded);
        ClusterState replayForm = StoredProposals.inCurrentForm(replayed);
        boolean sameContent = Arrays.equals(codec.avroBytes(replayForm), codec.avroBytes(liveForm));
        if (sameContent && liveForm != decoded) {
            notes.add("cluster " + id + ": live state" + where + " holds proposals recorded with an older commands schema; the commands"
                    + " they hold are equal to the replay's");
            return;
        }
        if (sameContent) {
            checkFraming(id, replayed, live, codec, where, out, notes);
            return;
        }
        String hint = lv < rv ? "the live state is behind the log: if nodes are still processing, run again; otherwise the state topic lost updates"
                : "the live state record differs from the fold of the log" + where + ": it was altered, or written by a different fold";
        for (FieldDiff.FieldChange c : FieldDiff.between(replayForm, liveForm)) {
            if (awaitsBackfill(c)) {
                // folded before intent versions: a replay knows the value, the live state cannot yet (not a tampering sign:
                // the fold decides by its own store, and the executor's IntentVersionReplayed brings the record to the log's)
                notes.add("cluster " + id + ": live state" + where + " has no intentVersion (folded by a Coxswain from before intent"
                        + " versions), the log gives " + c.before() + "; not compared until its executor records IntentVersionReplayed"
                        + " (on its next pass over the cluster)");
            } else {
                out.add(new Difference(id, rv, lv, c.path(), c.before(), c.after(), hint));
            }
        }
    }

    /** The one field a state folded before it lacks until the executor backfills it: intentVersion, read as 0. */
    private static boolean awaitsBackfill(FieldDiff.FieldChange c) {
        return c.path().equals("intentVersion") && c.after() != null && c.after().isIntegralNumber() && c.after().asLong() == 0;
    }

    /** Same Avro content: the record bytes must match too, unless an older schema version wrote them. */
    private static void checkFraming(String id, ClusterState replayed, Live live, AvroWireCodec<ClusterState> codec, String where,
                                     List<Difference> out, List<String> notes) {
        SchemaRef ref = WireFormat.parse(live.headers, live.value).ref();
        Integer current = currentId(codec);
        if (current != null && ref instanceof SchemaRef.Id liveId && liveId.id() != current) {
            notes.add("cluster " + id + ": live state written with schema id " + liveId.id() + ", replay uses " + current
                    + "; the contents are equal (an older Coxswain wrote it)");
            return;
        }
        if (current != null && ref instanceof SchemaRef.Id && !Arrays.equals(live.value, codec.encode(replayed))) {
            out.add(new Difference(id, replayed.getVersion(), replayed.getVersion(), ".", null, null,
                    "same field values but different bytes" + where + ": the record was re-encoded by something other than Coxswain"));
        }
    }

    private static Integer currentId(AvroWireCodec<ClusterState> codec) {
        try {
            return codec.writerSchemaId();
        } catch (IllegalStateException e) {
            return null; // the current schema is not in this registry (an old copy): content comparison only
        }
    }

    private static Map<String, Live> readLive(Replayer replayer, String clusterId) {
        Map<String, Live> live = new TreeMap<>();
        replayer.scan(replayer.location().topics().state(), r -> {
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            if (clusterId == null || clusterId.equals(key)) {
                live.put(key, new Live(r.value(), r.headers(), r.partition(), r.offset()));
            }
            return TopicScan.Verdict.CONTINUE;
        });
        return live;
    }
}
