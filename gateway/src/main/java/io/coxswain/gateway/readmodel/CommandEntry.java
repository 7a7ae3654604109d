package io.coxswain.gateway.readmodel;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.topology.CommandRecord;
import java.time.Instant;
import java.util.function.Function;

/**
 * One command record of the log as the gateway keeps it ({@link CommandLog}): what the record says, where it is, and the
 * decision matched to it so far, and how it is shown ({@link CommandView}).
 */
final class CommandEntry {

    final String clusterId;
    final String commandId;
    final String type;
    final String issuer;
    final Instant issuedAt;
    final int partition;
    final long offset;
    final String undecodable;
    /** The proposal an approval, veto or withdrawal acts on; null for any other command. */
    final String actsOn;
    /** What this gateway cannot read of a command a newer commands schema wrote ({@link CommandLog#newerNote}); null for any other. */
    final String note;
    Decision decision;
    /** What this gateway cannot read of {@link #decision}, written with a newer events schema; null for any other. */
    String decisionNote;
    /** Where its decision is and why this gateway cannot read it at all ({@link #decision} null); null for any other. */
    String unreadableDecision;

    CommandEntry(String clusterId, String commandId, String type, String issuer, Instant issuedAt, int partition, long offset,
                 String undecodable, String actsOn, String note) {
        this.clusterId = clusterId;
        this.commandId = commandId;
        this.type = type;
        this.issuer = issuer;
        this.issuedAt = issuedAt;
        this.partition = partition;
        this.offset = offset;
        this.undecodable = undecodable;
        this.actsOn = actsOn;
        this.note = note;
    }

    CommandEntry(Command c, int partition, long offset) {
        this(c.getClusterId(), c.getCommandId(), Commands.typeOf(c), c.getIssuer(), c.getIssuedAt(), partition, offset, null,
                CommandLog.proposalActedOn(c).orElse(null), null);
    }

    /** From what the record says as its writer schema reads it when this gateway's cannot (a newer command type, say). */
    CommandEntry(CommandRecord r, int partition, long offset) {
        this(r.clusterId(), r.commandId(), r.type(), r.issuer(), r.issuedAt(), partition, offset, null,
                r.command() == null ? null : CommandLog.proposalActedOn(r.command()).orElse(null),
                r.dropped().map(CommandLog::newerNote).orElse(null));
    }

    /** An entry as its first decision left it (a repeat's outcome is its first one's, marked duplicate). */
    CommandView view(Function<String, String> unattributed) {
        return view(decision, decision != null && decision.getDuplicate(), unattributed);
    }

    /**
     * As decided by {@code d} (null: not yet, or not readable here), marked duplicate or not; {@code unattributed} gives, for
     * a cluster, the note on its decision records this gateway could not read at all (null: none).
     */
    CommandView view(Decision d, boolean duplicate, Function<String, String> unattributed) {
        if (undecodable != null) {
            return new CommandView(null, clusterId, type, null, null, partition, offset, CommandView.UNDECODABLE,
                    null, null, undecodable, null, false, 0, null, null);
        }
        if (d == null && unreadableDecision != null) {
            return new CommandView(commandId, clusterId, type, issuer, issuedAt, partition, offset,
                    CommandView.DECISION_UNREADABLE, null, null, unreadableDecision, null, false, 0, actsOn, note());
        }
        if (d == null) {
            return new CommandView(commandId, clusterId, type, issuer, issuedAt, partition, offset, CommandView.PENDING,
                    null, null, null, null, false, 0, actsOn, join(note(), unattributed.apply(clusterId)));
        }
        if (d.getOutcome() instanceof CommandAccepted a) {
            int awaiting = a.getAwaitingApprovals();
            return new CommandView(commandId, clusterId, type, issuer, issuedAt, partition, offset, CommandView.ACCEPTED,
                    a.getVersion(), null, null, null, duplicate, awaiting, awaiting > 0 ? commandId : actsOn, note());
        }
        CommandRejected r = (CommandRejected) d.getOutcome();
        return new CommandView(commandId, clusterId, type, issuer, issuedAt, partition, offset, CommandView.REJECTED,
                null, r.getCode().name(), r.getReason(), r.getCurrentVersion(), duplicate, 0, actsOn, note());
    }

    /** The command's note and its decision's, either or both. */
    private String note() {
        return join(note, decisionNote);
    }

    private static String join(String a, String b) {
        return b == null ? a : a == null ? b : a + "; " + b;
    }
}
