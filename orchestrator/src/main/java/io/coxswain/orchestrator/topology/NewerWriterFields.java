package io.coxswain.orchestrator.topology;

import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.orchestrator.fold.Rejection;

/**
 * A command written with a newer commands schema than this node's, setting a field this node does not know: Avro's
 * schema resolution would drop the field, and deciding the rest (a CreateCluster without its approval policy, say)
 * would do something other than what was asked, with nothing to say so. Such a record is rejected, and not decided:
 * its command id stays free, so the same command can be sent again once every node knows the field. Like the last
 * approval of a proposal a newer Coxswain recorded ({@code ApprovalControl}), the node refuses what only a newer one
 * can decide; a newer record whose extra fields all hold their defaults (the usual record during an upgrade) is
 * decided as any other. So is a record holding a command type (a union branch) or an enum symbol this node lacks: Avro
 * would fail on it (a dead letter, and the sender waiting for a decision that never comes) or read a new command type as
 * another one whose fields it can fill. The check is a function of the record and of this node's reader schema, so a replay by the
 * same Coxswain decides alike; a newer one knows the field and decides the command ({@code DecisionCheck} says so).
 */
public final class NewerWriterFields {

    /** In every such rejection's reason: how {@code cox verify} tells it from a rule that changed. */
    static final String MARK = "this node runs Coxswain with commands schema v";

    private NewerWriterFields() {
    }

    /**
     * @param nodeVersion the released commands schema version this node reads with ({@code StoredCommands.CURRENT_VERSION})
     */
    public static Rejection rejection(CommandRecord c, DroppedFields dropped, int nodeVersion) {
        int written = dropped.writer().version();
        String fields = String.join(", ", dropped.paths());
        return new Rejection(RejectionCode.OTHER, c.type() + " " + c.commandId() + " on cluster '" + c.clusterId()
                + "' was not decided: " + dropped.lacks("this node") + " (" + MARK + nodeVersion + "; the command was written with v" + written
                + ", schema id " + dropped.writer().id() + " of " + dropped.writer().subject() + "). Nothing was done and the command id"
                + " stays free: send it again once every node runs a Coxswain that knows commands schema v" + written
                + (dropped.decodable() ? ", or without " + fields : ""));
    }

    /** Whether a recorded rejection's reason is this rule's. */
    public static boolean isItsReason(String reason) {
        return reason != null && reason.contains(MARK);
    }
}
