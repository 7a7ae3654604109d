package io.coxswain.orchestrator.topology;

import io.coxswain.avro.event.Decision;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.DroppedFields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One task's two stores, kept as wire bytes. Each new state and decision is encoded exactly once:
 * the same bytes go to the store (and so to its changelog) and to the output topic. The states of
 * recently folded clusters are also kept decoded, so a busy cluster's next command neither reads
 * the store nor decodes Avro.
 *
 * <p>The decoded copies are only an echo of what this task itself wrote: they are dropped whenever
 * the task is (re)initialised, which is also what Kafka Streams does after an aborted transaction
 * wipes and restores the stores. The fold never mutates a state it was given (see NextState),
 * so a cached instance cannot drift from its stored bytes.
 *
 * <p>A stored state is read once ({@link AvroWireCodec#read}: one parse serves the newer-schema check and the decoding).
 * One a newer fold wrote, holding what this node's state schema lacks, is not kept decoded: it is not to be folded onto
 * ({@link NewerStateFields}), and each command for its cluster reads it again, so a state this node reads whole, once
 * stored, is seen at once.
 *
 * <p>A command id's first decision is read the same way, once for {@link #newerDecision} and the {@link #decided} that
 * follows it for the same record (the fold's, or the state rule's): a command id not decided yet costs the one look-up it
 * always did. One holding what this node's events schema lacks is not to be answered with ({@link NewerDecisionFields}).
 */
final class TaskStores implements StoredStates {

    private static final int DECODED_STATES = 4_096;

    private final KeyValueStore<String, byte[]> states;
    private final KeyValueStore<String, byte[]> decisions;
    private final AvroWireCodec<ClusterState> stateCodec;
    private final AvroWireCodec<Decision> decisionCodec;
    /** The decisions-store key {@link #newerDecision} read, and what it read there (null: nothing stored), till {@link #decided} takes it. */
    private String priorKey;
    private AvroWireCodec.Read<Decision> prior;
    private final Map<String, ClusterState> decoded = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ClusterState> eldest) {
            return size() > DECODED_STATES;
        }
    };

    TaskStores(KeyValueStore<String, byte[]> states, KeyValueStore<String, byte[]> decisions,
               AvroWireCodec<ClusterState> stateCodec, AvroWireCodec<Decision> decisionCodec) {
        this.states = states;
        this.decisions = decisions;
        this.stateCodec = stateCodec;
        this.decisionCodec = decisionCodec;
    }

    @Override
    public Optional<DroppedFields> newerState(String clusterId) {
        if (decoded.get(clusterId) != null) {
            return Optional.empty();
        }
        byte[] bytes = states.get(clusterId);
        if (bytes == null) {
            return Optional.empty();
        }
        AvroWireCodec.Read<ClusterState> read = stateCodec.read(null, bytes);
        if (read.dropped().isEmpty()) {
            decoded.put(clusterId, read.decoded());
        }
        return read.dropped();
    }

    /** @throws IllegalStateException for a cluster whose state {@link #newerState} says is not to be folded onto */
    @Override
    public Optional<ClusterState> state(String clusterId) {
        Optional<DroppedFields> newer = newerState(clusterId);
        if (newer.isPresent()) {
            throw new IllegalStateException("the fold asked for the state of cluster " + clusterId + ", which this node cannot read"
                    + " whole (" + newer.get().lacks("this node") + "): a bug, NewerStateFields.check comes first");
        }
        return Optional.ofNullable(decoded.get(clusterId));
    }

    @Override
    public Optional<DroppedFields> newerDecision(String clusterId, String commandId) {
        priorKey = decisionKey(clusterId, commandId);
        prior = read(priorKey);
        return prior == null ? Optional.empty() : prior.dropped();
    }

    /** @throws IllegalStateException for a command id whose first decision {@link #newerDecision} says is not to be answered with */
    @Override
    public Optional<Decision> decided(String clusterId, String commandId) {
        String key = decisionKey(clusterId, commandId);
        AvroWireCodec.Read<Decision> read = key.equals(priorKey) ? prior : read(key);
        priorKey = null; // taken: read afresh for the next record
        prior = null;
        if (read != null && read.dropped().isPresent()) {
            throw new IllegalStateException("the fold asked for the first decision of command " + commandId + " of cluster " + clusterId
                    + ", which this node cannot read whole (" + read.dropped().get().lacks("this node") + "): a bug,"
                    + " NewerDecisionFields.check comes first");
        }
        return read == null ? Optional.empty() : Optional.of(read.decoded());
    }

    /** The stored first decision under {@code key}, parsed once for the newer-schema check and the decoding; null: none. */
    private AvroWireCodec.Read<Decision> read(String key) {
        byte[] bytes = decisions.get(key);
        return bytes == null ? null : decisionCodec.read(null, bytes);
    }

    /** Stores the cluster's new state and returns its wire bytes, to be forwarded unchanged. */
    byte[] putState(ClusterState state) {
        byte[] bytes = stateCodec.encode(state);
        states.put(state.getClusterId(), bytes);
        decoded.put(state.getClusterId(), state);
        return bytes;
    }

    /** Stores a first decision and returns its wire bytes, to be forwarded unchanged. */
    byte[] putDecision(Decision decision) {
        byte[] bytes = decisionCodec.encode(decision);
        decisions.put(decisionKey(decision.getClusterId(), decision.getCommandId()), bytes);
        return bytes;
    }

    byte[] encode(Decision decision) {
        return decisionCodec.encode(decision);
    }

    static String decisionKey(String clusterId, String commandId) {
        return clusterId + "/" + commandId;
    }
}
