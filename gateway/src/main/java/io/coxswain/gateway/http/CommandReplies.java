package io.coxswain.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.gateway.readmodel.CommandView;
import io.coxswain.gateway.write.CommandWriter;

/**
 * What a {@code POST /v1/commands} is answered, by how its command stands: decided (accepted, awaiting approvals, rejected),
 * still pending, or decided by a node whose decision this gateway cannot read. Pure: the routes decide which applies.
 */
final class CommandReplies {

    private CommandReplies() {
    }

    /** An answer to a POST: its HTTP status, the result the metrics count it under, its JSON body. */
    record Reply(int status, String result, ObjectNode body) {
    }

    static Reply pending(Command c, CommandWriter.Written w, String message) {
        ObjectNode body = written(c, w, CommandView.PENDING);
        if (message != null) {
            body.put("message", message);
        }
        return new Reply(202, "pending", body);
    }

    /**
     * A command decided by a node whose decision this gateway cannot read (a newer events schema wrote it): 202, as for one
     * still pending, since what was decided is not known here; {@code reason} says where the decision is and what to do.
     */
    static Reply decisionUnreadable(Command c, CommandWriter.Written w, String reason) {
        return new Reply(202, CommandView.DECISION_UNREADABLE, written(c, w, CommandView.DECISION_UNREADABLE).put("reason", reason));
    }

    private static ObjectNode written(Command c, CommandWriter.Written w, String status) {
        return Replies.object().put("commandId", c.getCommandId()).put("clusterId", c.getClusterId()).put("status", status)
                .put("partition", w.partition()).put("offset", w.offset());
    }

    /**
     * A proposal that has ended since it was recorded (its id sent again, answered with its first decision): no longer
     * "awaiting approval", but what became of it, 200.
     */
    static Reply settledProposal(Reply reply) {
        JsonNode proposal = reply.body().path("proposal");
        if (reply.status() != 202 || proposal.isMissingNode() || "PENDING".equals(proposal.path("state").asText())) {
            return reply;
        }
        reply.body().remove("awaitingApprovals");
        reply.body().put("message", "recorded as a proposal at version " + reply.body().path("version").asLong() + "; it has since ended: "
                + proposal.path("summary").asText());
        return new Reply(200, "accepted", reply.body());
    }

    /** "applied once 1 other person approves it": what a proposal still waits for, as a reply says it. */
    static String appliedOnce(int awaiting) {
        return "applied once " + awaiting + " other " + (awaiting == 1 ? "person approves" : "people approve") + " it";
    }

    /** A decision as the caller is answered it: 200 accepted with the new version; 409 or 422 rejected, with code and reason. */
    static Reply answer(Decision d) {
        ObjectNode body = Replies.object().put("commandId", d.getCommandId()).put("clusterId", d.getClusterId());
        if (d.getOutcome() instanceof CommandAccepted a && a.getAwaitingApprovals() > 0) {
            // recorded, not applied: 202 as for any command whose effect is still to come
            body.put("status", CommandView.ACCEPTED).put("version", a.getVersion()).put("awaitingApprovals", a.getAwaitingApprovals())
                    .put("message", "the cluster's approval policy covers " + d.getCommandType() + ": recorded as a proposal, "
                            + appliedOnce(a.getAwaitingApprovals()) + ": cox approve " + d.getClusterId() + " " + d.getCommandId());
            return new Reply(202, "awaiting-approval", body);
        }
        if (d.getOutcome() instanceof CommandAccepted a) {
            body.put("status", CommandView.ACCEPTED).put("version", a.getVersion());
            return new Reply(200, "accepted", body);
        }
        CommandRejected r = (CommandRejected) d.getOutcome();
        body.put("status", CommandView.REJECTED).put("code", r.getCode().name()).put("reason", r.getReason());
        if (r.getCurrentVersion() != null) {
            body.put("currentVersion", r.getCurrentVersion());
        }
        boolean conflict = r.getCode() == RejectionCode.VERSION_CONFLICT || r.getCode() == RejectionCode.CLUSTER_EXISTS;
        return new Reply(conflict ? 409 : 422, "rejected", body);
    }
}
