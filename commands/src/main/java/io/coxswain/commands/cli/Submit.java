package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options and behaviour shared by every command that sends a command: build, post, wait, report. */
final class Submit {

    @Option(names = "--expected-version", description = "Reject unless the cluster is at exactly this version (optimistic concurrency).")
    Long expectedVersion;

    @Option(names = "--unchanged-since", paramLabel = "VERSION", description = "Reject if someone changed the cluster after this version"
            + " (any accepted command but the executor's observations): a change decided on what you read at that version.")
    Long unchangedSince;

    @Option(names = "--command-id", description = "Id of the command (default: random); re-sending the same id is safe.")
    String commandId;

    @Option(names = "--no-wait", description = "Do not wait for the decision; print the command id and exit.")
    boolean noWait;

    @Option(names = "--dry-run", description = "Write nothing: show what the command would do (the decision and every field it would"
            + " change), as the fold would decide it now.")
    boolean dryRun;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "Result format: table (a line), json or yaml.")
    Output.Format format;

    /** The JSON {@code POST /v1/commands} takes; a null {@code commandId}, {@code expectedVersion} or {@code unchangedSince} is left out. */
    static ObjectNode body(String commandId, String clusterId, Long expectedVersion, Long unchangedSince, String type, ObjectNode payload) {
        ObjectNode body = GatewayClient.JSON.createObjectNode();
        if (commandId != null) {
            body.put("commandId", commandId);
        }
        body.put("clusterId", clusterId);
        if (expectedVersion != null) {
            body.put("expectedVersion", expectedVersion);
        }
        if (unchangedSince != null) {
            body.put("unchangedSinceVersion", unchangedSince);
        }
        body.put("type", type).set("payload", payload);
        return body;
    }

    /**
     * The line about the proposal an approval, veto or withdrawal acted on: still waiting (who approved, how many more,
     * and the proposal's own cox approve line), or how it ended.
     */
    private static String proposal(JsonNode p, String clusterId) {
        String what = p.path("type").asText() + " proposed by " + p.path("issuer").asText();
        String state = p.path("state").asText();
        if ("PENDING".equals(state)) {
            List<String> approvers = new ArrayList<>();
            p.path("approvals").forEach(a -> approvers.add(a.path("issuer").asText()));
            int n = p.path("awaitingApprovals").asInt();
            return what + ": " + (approvers.isEmpty() ? "" : "approved by " + String.join(", ", approvers) + ", ") + n + " more approval"
                    + (n == 1 ? "" : "s") + " needed: cox approve " + clusterId + " " + p.path("commandId").asText();
        }
        if ("APPLIED".equals(state)) {
            return what + ": APPLIED at version " + p.path("version").asLong();
        }
        return what + ": " + state + (p.hasNonNull("reason") ? ": " + p.path("reason").asText() : "");
    }

    /**
     * Why a command sent again under the id of a proposal that has since ended without being applied (rejected, withdrawn,
     * expired, refused) did nothing: the gateway answers such a repeat with the proposal's first decision, "accepted", and
     * how it ended; a script must not read that as done. Empty for any other answer, an applied proposal among them.
     */
    static Optional<String> ownProposalNotApplied(JsonNode reply, String clusterId) {
        return ownProposal(reply).filter(p -> !"PENDING".equals(p.path("state").asText()) && !"APPLIED".equals(p.path("state").asText()))
                .map(p -> proposal(p, clusterId) + "; nothing was applied (command " + p.path("commandId").asText()
                        + " was decided once: a new command id proposes the change again)");
    }

    /** The version a command's change was applied at: its own, or that of the approval that applied it when it was a proposal. */
    static long appliedVersion(JsonNode reply) {
        return ownProposal(reply).filter(p -> "APPLIED".equals(p.path("state").asText())).map(p -> p.path("version").asLong())
                .orElse(reply.path("version").asLong());
    }

    /** The proposal the reply's command itself became, not one an approval, a veto or a withdrawal acted on. */
    private static Optional<JsonNode> ownProposal(JsonNode reply) {
        JsonNode p = reply == null ? null : reply.path("proposal");
        return p != null && p.isObject() && p.path("commandId").asText().equals(reply.path("commandId").asText()) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Says on stderr (stdout may be a json or yaml document) when the gateway accepted the command but its read model had
     * not reached the new version when it answered: a plain read of that gateway may show the older state for a while.
     * cox's own reads ask for a consistent answer, which waits for it; a script reading the API itself should use the
     * read the reply names.
     */
    private static void readModelBehind(Cox cox, String clusterId, JsonNode reply) {
        JsonNode behind = reply.path("readModelBehind");
        if (behind.isObject()) {
            cox.err().println("cox: warning: accepted at version " + reply.path("version").asLong() + ", but the gateway's read model still"
                    + " had " + clusterId + " at version " + behind.path("version").asLong() + " when it answered: a plain read of it may show"
                    + " the older state for a while; cox get " + clusterId + " waits for the change (it reads consistently), and so does"
                    + " GET " + behind.path("read").asText());
            cox.err().flush();
        }
    }

    int send(Cox cox, String clusterId, String type, ObjectNode payload) {
        ObjectNode body = body(commandId, clusterId, expectedVersion, unchangedSince, type, payload);
        String path = dryRun ? "/v1/commands?dryRun=true" : noWait ? "/v1/commands" : "/v1/commands?wait=true";
        GatewayClient.Response r = cox.client().post(path, body);
        PrintWriter out = cox.out();
        JsonNode j = r.json();
        String dry = dryRun && j != null ? " (dry run against version " + j.path("asOfVersion").asLong() + "; nothing written)" : "";
        if (dryRun && r.status() == 200 && format == Output.Format.table) {
            out.println(type + " on " + clusterId + ": would be accepted as version " + j.path("version").asLong() + dry);
            j.path("changes").forEach(c -> out.println("  " + c.path("path").asText() + ": " + c.path("before") + " -> " + c.path("after")));
            return 0;
        }
        if (r.status() == 200 || r.status() == 202) {
            boolean pending = "pending".equals(j.path("status").asText());
            // decided by a node whose decision this gateway cannot read (a newer events schema): not known to be accepted
            boolean unreadable = "decision-unreadable".equals(j.path("status").asText());
            // this command itself became a proposal, or the one an approval acted on still waits: nothing was applied yet
            boolean proposed = j.path("awaitingApprovals").asInt() > 0;
            boolean stillPending = "ApproveCommand".equals(type) && "PENDING".equals(j.at("/proposal/state").asText());
            Optional<String> notApplied = ownProposalNotApplied(j, clusterId);
            if (format == Output.Format.json) {
                Output.json(out, j);
            } else if (format == Output.Format.yaml) {
                Output.yaml(out, j);
            } else if (pending) {
                out.println(type + " on " + clusterId + ": pending (command " + j.path("commandId").asText() + ")"
                        + (j.hasNonNull("message") ? ": " + j.get("message").asText() : ""));
            } else if (unreadable) {
                out.println(type + " on " + clusterId + ": decided, but the gateway cannot read how (command " + j.path("commandId").asText()
                        + "): " + j.path("reason").asText());
            } else if (proposed) {
                int n = j.path("awaitingApprovals").asInt();
                out.println(type + " on " + clusterId + ": awaits " + n + " approval" + (n == 1 ? "" : "s") + " by someone else, not applied yet"
                        + (dryRun ? dry : " (command " + j.path("commandId").asText() + ", recorded at version " + j.path("version").asLong() + ")"));
                if (!dryRun) {
                    out.println("approve it with: cox approve " + clusterId + " " + j.path("commandId").asText());
                }
            } else if (notApplied.isEmpty()) {
                out.println(type + " on " + clusterId + ": accepted, version " + appliedVersion(j) + " (command " + j.path("commandId").asText() + ")");
                if (j.path("proposal").isObject() && !"REFUSED".equals(j.at("/proposal/state").asText())) {
                    out.println(proposal(j.path("proposal"), clusterId));
                }
            }
            readModelBehind(cox, clusterId, j);
            if (notApplied.isPresent()) {
                throw new CliException(CliException.REJECTED, notApplied.get());
            }
            if ("REFUSED".equals(j.at("/proposal/state").asText())) {
                // the approval was recorded, but the change it was for was not made: a script must not read that as done
                throw new CliException(CliException.REJECTED, proposal(j.path("proposal"), clusterId));
            }
            if (unreadable) {
                throw new CliException(CliException.UNAVAILABLE, "command " + j.path("commandId").asText() + " was decided, but not known"
                        + " to be applied: the gateway cannot read its decision; upgrade the gateway, then see it with: cox history " + clusterId);
            }
            if (pending && !noWait) {
                throw new CliException(CliException.UNAVAILABLE, "no decision yet for command " + j.path("commandId").asText()
                        + "; see it later with: cox history " + clusterId);
            }
            return proposed || stillPending ? CliException.AWAITING_APPROVAL : 0;
        }
        if (j != null && "rejected".equals(j.path("status").asText())) {
            if (format != Output.Format.table) {
                if (format == Output.Format.json) {
                    Output.json(out, j);
                } else {
                    Output.yaml(out, j);
                }
            }
            throw new CliException(CliException.REJECTED, type + " on " + clusterId + (dryRun ? " would be rejected (" : " rejected (")
                    + j.path("code").asText() + "): " + j.path("reason").asText() + dry);
        }
        String field = j != null && j.hasNonNull("field") ? " [" + j.get("field").asText() + "]" : "";
        throw CliException.of(r.status(), r.error() + field);
    }
}
