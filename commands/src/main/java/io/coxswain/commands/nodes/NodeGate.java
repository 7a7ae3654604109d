package io.coxswain.commands.nodes;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.wire.AvroWireCodec;
import io.coxswain.commands.Commands;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one check every command the gateway or a {@code CommandClient} writes passes first: refused ({@link NodesBehind})
 * while a fold node older than the writer would not read it whole. What the writer cannot know never blocks a command:
 * members that announce no version (a Coxswain from before announcements), or a group Kafka could not describe (no
 * permission to, say), leave the decision to the fold, as before, which rejects what its node cannot read (the command
 * id stays free); a log line says so, once per look at the group.
 */
public final class NodeGate {

    private static final Logger log = LoggerFactory.getLogger(NodeGate.class);

    private final FoldMembers members;
    private final AvroWireCodec<Command> codec;
    private final String writer;
    /** The last look at the group whose unknown members were logged: once per look, not per command. */
    private volatile FoldView noted;

    /**
     * @param codec  encodes a command as the writer writes it, to check it against an older node's schema
     * @param writer how messages name the writer: "this gateway", "this CommandClient"
     */
    public NodeGate(FoldMembers members, AvroWireCodec<Command> codec, String writer) {
        this.members = members;
        this.codec = codec;
        this.writer = writer;
    }

    public FoldMembers members() {
        return members;
    }

    /** Empty when the command may be written; completes at once while the last look at the group is fresh. */
    public CompletableFuture<Optional<NodesBehind.Refusal>> check(Command command) {
        return members.current().thenApply(view -> {
            Optional<NodesBehind.Refusal> refusal = NodesBehind.check(command, view, codec, () -> codec.encode(command), writer);
            if (refusal.isPresent()) {
                log.info("cluster={} command={} type={}: not written, fold nodes behind {}: {}", command.getClusterId(),
                        command.getCommandId(), Commands.typeOf(command), writer, refusal.get().message());
            } else if (!view.unknown().isEmpty() && noted != view) {
                noted = view;
                log.info("cluster={} command={} type={}: fold group {} has members that announce no commands schema version ({}: a Coxswain"
                                + " from before announcements); commands are written as before and such a node rejects one it cannot read whole"
                                + " (its id stays free to send again once every node is upgraded). Logged once per look at the group.",
                        command.getClusterId(), command.getCommandId(), Commands.typeOf(command), view.group(),
                        view.unknown().stream().map(FoldMember::describe).distinct().collect(Collectors.joining(", ")));
            }
            return refusal;
        });
    }
}
