package io.coxswain.orchestrator.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One command record of the log with what was decided about it and what the executors recorded doing
 * because of it. {@code command} and {@code decision} are null for a dead-lettered record
 * ({@code deadLetterReason} says why it could not be read).
 */
public record AuditEntry(int partition, long offset, Instant loggedAt, String clusterId, String type, Command command,
                         Decision decision, String deadLetterReason, List<Action> actions) {

    /**
     * An executor's observation that names this entry's command as its cause: directly
     * ({@code ResourceActionObserved.causeCommandId}, {@code OperationObserved.causeCommandId}) or through
     * the operation it belongs to ({@code OperationStepObserved.operationId}); a consumer group offset reset's steps
     * ({@code OffsetResetObserved.commandId}).
     */
    public record Action(int partition, long offset, Instant loggedAt, String commandId, String observer, String type,
                         ObjectNode observation, boolean accepted) {

        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("partition", partition).put("offset", offset).put("loggedAt", loggedAt.toString()).put("commandId", commandId)
                    .put("observer", observer).put("type", type).put("accepted", accepted);
            o.set("observation", observation);
            return o;
        }
    }

    public AuditEntry {
        actions = actions == null ? new ArrayList<>() : actions; // filled while the scan goes on; read after it ends
    }

    /** One JSON object per entry (also one line of the JSON-lines export). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("partition", partition).put("offset", offset).put("loggedAt", loggedAt.toString()).put("cluster", clusterId).put("type", type);
        if (command != null) {
            o.put("commandId", command.getCommandId()).put("issuer", command.getIssuer()).put("issuedAt", command.getIssuedAt().toString());
            o.set("command", StateJson.node(command));
        }
        if (decision != null) {
            o.set("decision", StateJson.node(decision));
        }
        if (deadLetterReason != null) {
            o.put("deadLetterReason", deadLetterReason);
        }
        ArrayNode a = o.putArray("actions");
        actions.forEach(x -> a.add(x.toJson()));
        return o;
    }
}
