package io.coxswain.orchestrator.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.UndecodableRecordException;
import io.coxswain.orchestrator.topology.NewerDecisionFields;
import io.coxswain.orchestrator.topology.NewerSchemas;
import io.coxswain.orchestrator.topology.NewerStateFields;
import io.coxswain.orchestrator.topology.NewerWriterFields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares each decision a replay takes with the one the nodes recorded on the events topic when they
 * decided the command. A replay decides with today's rules: a command decided otherwise now means the
 * rules changed since it was decided (an upgrade of Coxswain), or the command log or the events topic
 * was altered. The states can agree even then (a command rejected for another reason than before), so
 * the decisions are compared on their own, one by one. Three such changes are named: a record a node did not
 * decide because it sets a field that node's Coxswain did not know ({@link NewerWriterFields}), which a replay by a
 * Coxswain that knows the field decides; one a node did not fold because its cluster's stored state, a newer fold's,
 * held such a field ({@link NewerStateFields}), which a replay, folding every state itself, decides; and a repeat of a
 * command id a node did not answer because the id's first decision, a newer node's, held such a field
 * ({@link NewerDecisionFields}), which a replay, deciding every command itself, answers as a duplicate.
 *
 * <p>Memory: one entry per recorded decision (its command's offset and its {@link DecidedIds#outcome}), read
 * before the replay; the decisions of a cluster only, when one is verified. Decisions are matched by
 * cluster and command offset ({@link #slot}): a producer that split one cluster's admitted commands over
 * two partitions would make two of them share a slot, and be reported as recorded twice.
 */
final class DecisionCheck {

    private DecisionCheck() {
    }

    /**
     * @param clusterId null for every cluster
     * @param notes     receives how many decisions were compared, and why some could not be
     */
    static List<Difference> compare(Replayer replayer, String clusterId, List<String> notes) {
        LogLocation where = replayer.location();
        Recorded recorded;
        List<Difference> conflicts = new ArrayList<>();
        try {
            recorded = recorded(replayer, replayer.codecs().decisions(), clusterId, conflicts, notes);
        } catch (IllegalArgumentException noTopic) {
            notes.add("decisions not compared: " + noTopic.getMessage());
            return List.of();
        }
        List<Difference> out = new ArrayList<>(conflicts);
        long[] counts = new long[2]; // compared, not recorded
        replayer.replay(ReplayOptions.all().cluster(clusterId), event -> {
            if (event.decision() == null) {
                return true; // dead-lettered: no decision either way
            }
            Long then = recorded.outcomes().getOrDefault(event.decision().getClusterId(), Map.of())
                    .get(slot(event.offset(), event.decision()));
            String notDecided = recorded.notDecided().getOrDefault(event.decision().getClusterId(), Map.of()).get(event.offset());
            if (then == null && notDecided != null && event.decision().getAdmitted()) {
                counts[0]++;
                out.add(decidedOtherwise(event, DecidedIds.outcome(event.decision()), "rejected " + RejectionCode.OTHER,
                        "decided otherwise by this replay than by the node that recorded it on " + where.topics().events() + ": "
                                + notDecidedBecause(notDecided)));
                return true;
            }
            if (then == null) {
                counts[1]++;
                return true;
            }
            counts[0]++;
            long now = DecidedIds.outcome(event.decision());
            if (then != now) {
                out.add(decidedOtherwise(event, now, describe(then), "decided otherwise by this replay than by the node that recorded"
                        + " it on " + where.topics().events() + ": the rules changed since (an upgrade of Coxswain: read its release notes"
                        + " for the rule), or the command log or the events topic was altered"));
            }
            return true;
        });
        notes.add(counts[0] + " decisions compared with those recorded on " + where.topics().events()
                + (counts[1] == 0 ? "" : "; " + counts[1] + " commands have no recorded decision to compare with (recorded before"
                + " decisions named their command's offset, or past the events topic's retention)"));
        return out;
    }

    /** Which rule left the command undecided, why this replay decides it, and what became of the command. */
    private static String notDecidedBecause(String reason) {
        String quoted = " Not an alteration: the node said \"" + reason + "\".";
        if (NewerDecisionFields.isItsReason(reason)) {
            int writer = NewerDecisionFields.writerVersion(reason).orElse(0);
            return "the command repeats a command id decided before, and that node could not read the id's first decision whole (a newer"
                    + " node wrote it with events schema v" + writer + ", holding a field that node's Coxswain did not know); rather than"
                    + " answer the repeat with what it read of it, misreporting the first outcome, it rejected it (the rule for decisions"
                    + " written with a newer events schema: README, States and decisions written with a newer schema). The recorded"
                    + " rejection was not a decision: nothing was done, and the id's first outcome stands; this replay answers the id as a"
                    + " duplicate of its first outcome." + quoted;
        }
        String resent = quoted + " The command took effect only if it was sent again once the nodes were upgraded (a copy with the same"
                + " id is a duplicate here)";
        if (NewerWriterFields.isItsReason(reason)) {
            return "that node's Coxswain did not know a field the command sets, and rather than decide it without the field it rejected"
                    + " it, its id left free (the rule for commands written with a newer commands schema: README, Upgrading from an older"
                    + " Coxswain); this replay's Coxswain knows the field and decides it." + resent;
        }
        int writer = NewerStateFields.writerVersion(reason).orElse(0);
        return "that node could not read the cluster's state whole (a newer fold wrote it with state schema v" + writer + ", holding a"
                + " field that node's Coxswain did not know), and rather than fold the command onto the rest and write the state back"
                + " without the field it rejected it, its id left free (the rule for states written with a newer state schema: README,"
                + " States and decisions written with a newer schema); this replay folds every state itself and decides the command on"
                + " the state it reached." + (writer <= NewerSchemas.STATE_VERSION ? "" : " This replay's Coxswain reads state schema v"
                + NewerSchemas.STATE_VERSION + ", older than v" + writer + ": it did not fold what the newer fold wrote into the state"
                + " either (its state of the cluster lacks it, and the command that set it is likely rejected here or decided"
                + " otherwise), so verify with a Coxswain that knows state schema v" + writer + ".") + resent;
    }

    private static Difference decidedOtherwise(ReplayEngine.Event event, long now, String then, String explanation) {
        return new Difference(event.clusterId(), event.after() != null ? event.after().getVersion() : null, null,
                "decision of " + event.decision().getCommandId() + " (" + event.decision().getCommandType() + ", partition "
                        + event.partition() + " offset " + event.offset() + ")",
                JsonNodeFactory.instance.textNode(describe(now)), JsonNodeFactory.instance.textNode(then), explanation);
    }

    /** Whether a recorded rejection is one of the rules that reject a record without deciding it, which a replay decides. */
    private static boolean notDecidedRule(String reason) {
        return NewerWriterFields.isItsReason(reason) || NewerStateFields.isItsReason(reason) || NewerDecisionFields.isItsReason(reason);
    }

    /**
     * The decisions recorded on the events topic.
     *
     * @param outcomes   per cluster, per {@link #slot}, the {@link DecidedIds#outcome}
     * @param notDecided per cluster, per command offset, the reason of a record a node did not decide because its Coxswain
     *                   lacked a field the record sets ({@link NewerWriterFields}), its cluster's stored state holds
     *                   ({@link NewerStateFields}) or its command id's first decision holds ({@link NewerDecisionFields}): a
     *                   replay decides it, in another slot
     */
    private record Recorded(Map<String, Map<Long, Long>> outcomes, Map<String, Map<Long, String>> notDecided) {
    }

    /**
     * Per cluster, per command offset, the recorded {@link DecidedIds#outcome}. The nodes decide each record once
     * (exactly once, and a reader of committed records sees no aborted try), so a second decision recorded for the same
     * command that says otherwise is a difference of its own; the first is the one the replay is compared with.
     */
    private static Recorded recorded(Replayer replayer, AvroWireCodec<Decision> codec, String clusterId, List<Difference> conflicts,
                                     List<String> notes) {
        LogLocation where = replayer.location();
        Map<String, Map<Long, Long>> byCluster = new HashMap<>();
        Map<String, Map<Long, String>> notDecided = new HashMap<>();
        long[] undecodable = new long[1];
        replayer.scan(where.topics().events(), r -> {
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            if (clusterId != null && !clusterId.equals(key) || r.value() == null) {
                return TopicScan.Verdict.CONTINUE;
            }
            try {
                Decision d = codec.decode(r.headers(), r.value());
                if (d.getCommandOffset() != null && !d.getAdmitted() && d.getOutcome() instanceof CommandRejected rejected
                        && notDecidedRule(rejected.getReason())) {
                    notDecided.computeIfAbsent(d.getClusterId(), c -> new HashMap<>()).put(d.getCommandOffset(), rejected.getReason());
                }
                if (d.getCommandOffset() != null) {
                    long outcome = DecidedIds.outcome(d);
                    Long first = byCluster.computeIfAbsent(d.getClusterId(), c -> new HashMap<>())
                            .putIfAbsent(slot(d.getCommandOffset(), d), outcome);
                    if (first != null && first != outcome) {
                        conflicts.add(new Difference(d.getClusterId(), null, null, "decision of " + d.getCommandId() + " ("
                                + d.getCommandType() + ", offset " + d.getCommandOffset() + ")", null,
                                JsonNodeFactory.instance.textNode(describe(outcome)),
                                "recorded twice on " + where.topics().events() + ", first " + describe(first) + ", then (partition "
                                + r.partition() + " offset " + r.offset() + ") otherwise: a node decides each command once, so the events"
                                + " topic was written by something other than Coxswain"));
                    }
                }
            } catch (UndecodableRecordException e) {
                undecodable[0]++;
            }
            return TopicScan.Verdict.CONTINUE;
        });
        if (undecodable[0] > 0) {
            notes.add(undecodable[0] + " records of " + where.topics().events()
                    + " could not be decoded as decisions and were not compared");
        }
        return new Recorded(byCluster, notDecided);
    }

    /**
     * Where a decision is filed within its cluster: its command's offset, and whether the record was admitted. A
     * record refused before DECIDE (keyed to another partition than its cluster's, say) names a cluster whose
     * own commands live in another partition, where an admitted record may have the same offset.
     */
    private static long slot(long offset, Decision d) {
        return offset * 2 + (d.getAdmitted() ? 1 : 0);
    }

    private static String describe(long outcome) {
        return outcome >= 0 ? "accepted, version " + outcome
                : "rejected " + DecidedIds.rejection(outcome);
    }
}
