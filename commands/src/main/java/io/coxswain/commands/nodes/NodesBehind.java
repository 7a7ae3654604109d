package io.coxswain.commands.nodes;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.avro.wire.DroppedFields;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.Commands;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Whether a fold node older than the writer (the gateway, a {@code CommandClient}) would not read a command whole: it
 * sets a field the node's commands schema lacks, or is a command type or holds an enum value it lacks. Such a node
 * rejects the command once written (the orchestrator's {@code NewerWriterFields}), and which node folds it depends on
 * partitioning, so the writer refuses it before it writes anything, as long as such a node is in the fold's group. Asked
 * with the schema each older node announces, from the history of released schemas every Coxswain ships; only when some
 * node is older is the command encoded for it.
 */
public final class NodesBehind {

    /**
     * @param field   what the caller sent that the nodes lack: {@code type} for a command type, else the payload's path
     * @param nodes   the members that would not read it whole
     * @param version the oldest of their versions, the one {@code lacks} is about
     */
    public record Refusal(String field, String message, List<FoldMember> nodes, int version) {
    }

    private NodesBehind() {
    }

    /**
     * @param encoded the command as the writer writes it (asked only when a member announces an older version)
     * @param writer  how the message names the writer: "this gateway", "this CommandClient"
     */
    public static Optional<Refusal> check(Command command, FoldView view, AvroWireCodec<Command> codec, Supplier<byte[]> encoded, String writer) {
        int current = StoredCommands.CURRENT_VERSION;
        TreeSet<Integer> older = new TreeSet<>();
        view.members().forEach(m -> m.commandsSchemaVersion().ifPresent(v -> {
            if (v < current && StoredCommands.ships(v)) {
                older.add(v);
            }
        }));
        if (older.isEmpty()) {
            return Optional.empty();
        }
        byte[] value = encoded.get();
        DroppedFields oldest = null;
        int oldestVersion = 0;
        TreeSet<Integer> lacking = new TreeSet<>();
        for (int v : older) {
            Optional<DroppedFields> dropped = codec.droppedFields(null, value, StoredCommands.released(v));
            if (dropped.isPresent()) {
                lacking.add(v);
                if (oldest == null) {
                    oldest = dropped.get();
                    oldestVersion = v;
                }
            }
        }
        if (oldest == null) {
            return Optional.empty();
        }
        List<FoldMember> nodes = view.members().stream()
                .filter(m -> m.commandsSchemaVersion().isPresent() && lacking.contains(m.commandsSchemaVersion().getAsInt())).toList();
        return Optional.of(new Refusal(field(oldest), message(command, view.group(), oldest, oldestVersion, nodes, writer), nodes, oldestVersion));
    }

    private static String field(DroppedFields dropped) {
        if (dropped.values().isEmpty()) {
            return dropped.paths().get(0);
        }
        DroppedFields.Unknown first = dropped.values().get(0);
        return first.type() && first.path().equals("payload") ? "type" : first.path();
    }

    private static String message(Command c, String group, DroppedFields dropped, int version, List<FoldMember> nodes, String writer) {
        int current = StoredCommands.CURRENT_VERSION;
        List<String> named = nodes.stream().map(m -> m.describe() + " (commands schema v" + m.commandsSchemaVersion().getAsInt() + ")").distinct().toList();
        return Commands.typeOf(c) + " " + c.getCommandId() + " on cluster '" + c.getClusterId() + "' was not written: "
                + dropped.lacks("commands schema v" + version) + ", and fold node" + (named.size() == 1 ? " " : "s ")
                + String.join(", ", named) + " of group '" + group + "' " + (named.size() == 1 ? "runs" : "run") + " an older Coxswain than "
                + writer + " (commands schema v" + current + "), so the node that folds it would reject it. Nothing was written and the"
                + " command id stays free: finish upgrading the fold nodes to a Coxswain with commands schema v" + current
                + " (cox nodes shows each node's version), then send it again";
    }
}
