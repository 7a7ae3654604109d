package io.coxswain.gateway.readmodel;

import java.time.Instant;

/**
 * What is known of one command record: where it sits in the log and what DECIDE made of it.
 *
 * @param status    pending (no decision yet), accepted, rejected, undecodable (the command record, dead-lettered), or
 *                  decision-unreadable (its decision exists but this gateway cannot read it: {@code reason} says where it is
 *                  and what to do)
 * @param partition partition of the commands topic, -1 when only submitted through this gateway so far
 * @param offset    offset in that partition, -1 when not known yet
 * @param awaitingApprovals accepted as a proposal under the cluster's approval policy: the approvals it awaited then; 0 otherwise
 * @param proposal  the proposal this command is (its own id, when awaitingApprovals) or acted on (an ApproveCommand,
 *                  RejectProposal or WithdrawProposal: its payload's commandId); null for any other command
 * @param note      for a command written with a newer commands schema holding what this gateway's lacks (a command type,
 *                  an enum symbol, fields): which schema version wrote it and what this gateway cannot read; likewise (after
 *                  "its decision was") for a decision a newer events schema wrote with fields this gateway lacks; null otherwise
 */
public record CommandView(String commandId, String clusterId, String type, String issuer, Instant issuedAt,
                          int partition, long offset, String status, Long version, String code, String reason,
                          Long currentVersion, boolean duplicate, int awaitingApprovals, String proposal,
                          String note) {

    public static final String PENDING = "pending";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String UNDECODABLE = "undecodable";
    public static final String DECISION_UNREADABLE = "decision-unreadable";
}
