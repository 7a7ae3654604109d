package io.coxswain.commands.client;

import io.coxswain.avro.command.Command;
import io.coxswain.commands.nodes.FoldMember;
import io.coxswain.commands.nodes.NodesBehind;
import java.util.List;

/**
 * A {@link CommandClient} send refused before anything was written: a fold node older than this client, still in the
 * fold's group during a rolling upgrade, would not read the command whole (it sets a field, or is a command type or
 * holds a value, that the node's commands schema lacks), and would reject it. The message names the cluster, the command
 * id, what the nodes lack, the nodes with their versions, and what to do: finish upgrading the fold nodes, then send the
 * command again, under the same id (it stays free).
 */
public final class NodesBehindException extends RuntimeException {

    private final String clusterId;
    private final String commandId;
    private final transient NodesBehind.Refusal refusal;

    NodesBehindException(Command command, NodesBehind.Refusal refusal) {
        super(refusal.message());
        this.clusterId = command.getClusterId();
        this.commandId = command.getCommandId();
        this.refusal = refusal;
    }

    public String clusterId() {
        return clusterId;
    }

    public String commandId() {
        return commandId;
    }

    /** What the command holds that the nodes lack: {@code type} for a command type, else the payload's path. */
    public String field() {
        return refusal.field();
    }

    /** The fold group's members that would not read it whole, each with the version its client id announces. */
    public List<FoldMember> nodes() {
        return refusal.nodes();
    }

    /** The oldest commands schema version among {@link #nodes()}, the one {@link #field()} is about. */
    public int nodesVersion() {
        return refusal.version();
    }
}
