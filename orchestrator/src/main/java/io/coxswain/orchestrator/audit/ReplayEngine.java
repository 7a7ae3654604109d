package io.coxswain.orchestrator.audit;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.UndecodableRecordException;
import io.coxswain.commands.Commands;
import io.coxswain.commands.signing.SignatureHeader;
import io.coxswain.orchestrator.fold.CommandFold;
import io.coxswain.orchestrator.topology.Admission;
import io.coxswain.orchestrator.topology.CommandRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;

/**
 * The decide-and-fold processor's logic without Kafka Streams: fed the command records of the log in
 * offset order, it reaches the states the live topology reached. It mirrors
 * {@code topology.DecideAndFoldProcessor} step for step: an undecodable record is dead-lettered; a
 * record refused by {@link Admission} (its key is not its command's clusterId, its signature fails
 * the rules it is given, or it sets a field, or holds a command type or enum symbol, this Coxswain's
 * commands schema lacks) is rejected and
 * <em>not</em> remembered (a later, correctly keyed and signed record with that command id is not a
 * duplicate); otherwise {@link CommandFold#apply}
 * decides, and a non-duplicate decision is remembered under (clusterId, commandId).
 *
 * <p>Memory is kept per partition, because the live topology keeps one state store per partition
 * (task): if a producer ever split one cluster's commands over two partitions, the live system folded
 * them separately, and so does this. What is kept: the latest state per cluster and, per decided command
 * id, one long (the accepted version, or the rejection code), never the log itself.
 *
 * <p>Two steps of the processor never apply here: a node folds nothing onto a stored state a newer fold wrote that it
 * cannot read whole ({@code NewerStateFields}), nor answers a repeat of a command id with a first decision a newer node
 * wrote that it cannot read whole ({@code NewerDecisionFields}), but every state and decision a replay holds is its own
 * fold's, read whole by construction. Where a node did apply either rule, the replay decides the command (answers the
 * repeat as a duplicate), and {@link DecisionCheck} names the rule.
 */
public final class ReplayEngine {

    /** What became of one record. {@code command} is null when the record was dead-lettered. */
    public record Event(int partition, long offset, long timestamp, String key, Command command, String deadLetterReason,
                        Decision decision, ClusterState before, ClusterState after, boolean duplicate) {

        public boolean deadLettered() {
            return deadLetterReason != null;
        }

        public boolean accepted() {
            return !duplicate && after != null;
        }

        public boolean rejected() {
            return !duplicate && decision != null && decision.getOutcome() instanceof CommandRejected;
        }

        /** The command's cluster, or the record key for a dead-lettered record. */
        public String clusterId() {
            return command != null ? command.getClusterId() : decision != null ? decision.getClusterId() : key;
        }

        public Instant loggedAt() {
            return Instant.ofEpochMilli(timestamp);
        }
    }

    private final AvroWireCodec<Command> codec;
    private final Admission admission;
    private final Map<Integer, PartitionMemory> partitions = new TreeMap<>();
    private long commands;
    private long accepted;
    private long rejected;
    private long deadLettered;
    private long duplicates;
    /** Signature counts, so a replay can say when its signature rules likely differ from the nodes' (see Replayer). */
    private long signed;
    private long signatureRejected;

    /** @param admission the same record rules (signature keys and flag) as the nodes that wrote the log's decisions */
    public ReplayEngine(AvroWireCodec<Command> codec, Admission admission) {
        this.codec = codec;
        this.admission = admission;
    }

    /** Folds one record of the command topic; records of a partition must come in offset order. */
    public Event offer(int partition, long offset, long timestamp, byte[] keyBytes, Headers headers, byte[] value) {
        commands++;
        String key = keyBytes == null ? null : new String(keyBytes, StandardCharsets.UTF_8);
        CommandRecord read;
        try {
            read = CommandRecord.read(codec, headers, value);
        } catch (UndecodableRecordException e) {
            deadLettered++;
            return new Event(partition, offset, timestamp, key, null, e.getMessage(), null, null, null, false);
        }
        PartitionMemory memory = partitions.computeIfAbsent(partition, p -> new PartitionMemory());
        if (headers.lastHeader(SignatureHeader.NAME) != null) {
            signed++;
        }
        Optional<Admission.Refusal> refusal = admission.check(key, read, headers, value);
        Command command = read.command(); // null only in a refused record: a type this Coxswain lacks
        if (refusal.isPresent()) {
            rejected++;
            if (refusal.get().rejection().code() == RejectionCode.SIGNATURE_INVALID) {
                signatureRejected++;
            }
            Decision d = read.refused(refusal.get().rejection(), offset);
            return new Event(partition, offset, timestamp, key, command, null, d, null, null, false);
        }
        ClusterState before = memory.states.get(command.getClusterId());
        CommandFold.Step step;
        try {
            step = CommandFold.apply(memory, command, offset);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the fold failed on command " + command.getCommandId() + " of cluster " + command.getClusterId()
                    + " at partition " + partition + " offset " + offset + ": " + e + ". The live topology fails on this record too; report it as a bug.", e);
        }
        if (step.duplicate()) {
            duplicates++;
        } else {
            memory.remember(command, step.decision());
            if (step.accepted()) {
                accepted++;
            } else {
                rejected++;
            }
        }
        step.newState().ifPresent(s -> memory.states.put(s.getClusterId(), s));
        Decision decision = step.decision();
        if (step.duplicate()) {
            // the remembered outcome is compact (see PartitionMemory): name this record's own command
            decision = Decision.newBuilder(decision).setCommandType(Commands.typeOf(command)).setIssuer(command.getIssuer())
                    .setIssuedAt(command.getIssuedAt()).build();
        }
        return new Event(partition, offset, timestamp, key, command, null, decision, before,
                step.newState().orElse(null), step.duplicate());
    }

    /**
     * Takes over another engine's partitions and counts (an engine per fold thread, see
     * {@link PartitionedFold}); the two must have folded different partitions.
     */
    void absorb(ReplayEngine other) {
        other.partitions.forEach((p, m) -> {
            if (partitions.putIfAbsent(p, m) != null) {
                throw new IllegalStateException("partition " + p + " was folded by two replay threads; its fold would be wrong");
            }
        });
        commands += other.commands;
        accepted += other.accepted;
        rejected += other.rejected;
        deadLettered += other.deadLettered;
        duplicates += other.duplicates;
        signed += other.signed;
        signatureRejected += other.signatureRejected;
    }

    /** The replayed state of one cluster in one partition (where its commands are), if any. */
    public Optional<ClusterState> state(int partition, String clusterId) {
        PartitionMemory m = partitions.get(partition);
        return m == null ? Optional.empty() : Optional.ofNullable(m.states.get(clusterId));
    }

    /**
     * Latest state per cluster. A cluster folded in more than one partition (its commands were produced
     * with another partitioner) appears once, with its highest version, and is named in {@code warnings}.
     */
    public TreeMap<String, ClusterState> states(List<String> warnings) {
        TreeMap<String, ClusterState> out = new TreeMap<>();
        Map<String, List<Integer>> seenIn = new TreeMap<>();
        partitions.forEach((p, m) -> m.states.forEach((id, s) -> {
            seenIn.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
            out.merge(id, s, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
        }));
        seenIn.forEach((id, ps) -> {
            if (ps.size() > 1) {
                warnings.add("cluster " + id + " has commands in partitions " + ps + ": the live system folded each partition separately,"
                        + " so its live state depends on which wrote last; produce commands keyed by cluster id with the default partitioner");
            }
        });
        return out;
    }

    public long commands() {
        return commands;
    }

    public long accepted() {
        return accepted;
    }

    public long rejected() {
        return rejected;
    }

    public long deadLettered() {
        return deadLettered;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Decoded records that carried a signature header, valid or not. */
    public long signed() {
        return signed;
    }

    /** Records rejected with SIGNATURE_INVALID. */
    public long signatureRejected() {
        return signatureRejected;
    }

    /** One partition's equivalent of the task's two state stores. */
    private static final class PartitionMemory implements CommandFold.Memory {
        private final Map<String, ClusterState> states = new HashMap<>();
        /** Per decided command: its {@link DecidedIds#outcome}. */
        private final DecidedIds decided = new DecidedIds();

        @Override
        public Optional<ClusterState> state(String clusterId) {
            return Optional.ofNullable(states.get(clusterId));
        }

        @Override
        public Optional<Decision> decided(String clusterId, String commandId) {
            long outcome = decided.get(clusterId, commandId);
            if (outcome == 0) {
                return Optional.empty();
            }
            // Only the presence matters to the fold; the outcome is kept compactly, without the first
            // decision's reason text, so memory stays one long per command id.
            Object o = outcome > 0 ? new CommandAccepted(outcome, 0)
                    : new CommandRejected(DecidedIds.rejection(outcome), "same outcome as the first command with id " + commandId, null);
            return Optional.of(Decision.newBuilder().setCommandId(commandId).setClusterId(clusterId).setCommandType("")
                    .setIssuer("").setIssuedAt(Instant.EPOCH).setDuplicate(true).setOutcome(o).build());
        }

        void remember(Command c, Decision d) {
            decided.put(c.getClusterId(), c.getCommandId(), DecidedIds.outcome(d));
        }
    }

    /** The command type as the gateway names it; "Undecodable" for a dead-lettered record. */
    public static String typeOf(Event e) {
        if (e.command() == null) {
            return e.decision() != null ? e.decision().getCommandType() : "Undecodable";
        }
        return Commands.typeOf(e.command());
    }
}
