package io.coxswain.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.gateway.metrics.GatewayMetrics;
import io.coxswain.commands.nodes.FoldMember;
import io.coxswain.commands.nodes.FoldView;
import io.coxswain.commands.nodes.NodeGate;
import io.coxswain.commands.nodes.NodesBehind;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code GET /v1/nodes}, and the refusal of a command fold nodes behind this gateway would not read whole (409 NODES_BEHIND). */
final class NodeRoutes {

    static final String NODES_BEHIND = "NODES_BEHIND";

    private final NodeGate gate;
    private final GatewayMetrics metrics;

    NodeRoutes(NodeGate gate, GatewayMetrics metrics) {
        this.gate = gate;
        this.metrics = metrics;
    }

    /**
     * Runs {@code write} (on this request's context) unless a fold node older than this gateway would not read {@code command}
     * whole: then answers 409 {@value #NODES_BEHIND}, and nothing is written. A dry run is answered the same.
     */
    void guard(RoutingContext ctx, Command command, String type, boolean dryRun, Runnable write) {
        CompletableFuture<Optional<NodesBehind.Refusal>> check = gate.check(command);
        if (check.isDone() && !check.isCompletedExceptionally()) {
            answer(ctx, command, type, dryRun, check.join(), write); // the usual case: the last look at the group is fresh
            return;
        }
        Future.fromCompletionStage(check, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
            if (ar.succeeded()) {
                answer(ctx, command, type, dryRun, ar.result(), write);
            } else {
                ctx.fail(CommandRoutes.unwrap(ar.cause()));
            }
        });
    }

    private void answer(RoutingContext ctx, Command command, String type, boolean dryRun, Optional<NodesBehind.Refusal> refusal, Runnable write) {
        if (refusal.isEmpty()) {
            write.run();
            return;
        }
        metrics.submitted(type, "nodes-behind");
        ObjectNode body = Replies.error(refusal.get().message(), refusal.get().field()).put("code", NODES_BEHIND)
                .put("commandId", command.getCommandId()).put("clusterId", command.getClusterId())
                .put("commandsSchemaVersion", StoredCommands.CURRENT_VERSION);
        members(body.putArray("nodesBehind"), refusal.get().nodes());
        if (dryRun) {
            body.put("dryRun", true);
        }
        Replies.json(ctx, 409, body);
    }

    void list(RoutingContext ctx) {
        Future.fromCompletionStage(gate.members().current(), ctx.vertx().getOrCreateContext()).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(CommandRoutes.unwrap(ar.cause()));
                return;
            }
            FoldView view = ar.result();
            if (view.unavailable() != null) {
                Replies.error(ctx, 503, "Kafka could not describe the fold's consumer group '" + view.group() + "' (" + view.unavailable()
                        + "); meanwhile commands are written without checking the nodes' versions. Retry in a moment", null);
                return;
            }
            ObjectNode body = Replies.object().put("group", view.group()).put("asOf", view.asOf().toString())
                    .put("commandsSchemaVersion", StoredCommands.CURRENT_VERSION);
            view.oldest().ifPresentOrElse(v -> body.put("oldestCommandsSchemaVersion", v), () -> body.putNull("oldestCommandsSchemaVersion"));
            members(body.putArray("members"), view.members());
            Replies.json(ctx, 200, body);
        });
    }

    private static void members(ArrayNode out, List<FoldMember> members) {
        for (FoldMember m : members) {
            ObjectNode n = out.addObject().put("node", m.node()).put("clientId", m.clientId()).put("host", m.host()).put("memberId", m.memberId());
            if (m.instanceId() != null) {
                n.put("instanceId", m.instanceId());
            }
            m.commandsSchemaVersion().ifPresentOrElse(v -> n.put("commandsSchemaVersion", v), () -> n.putNull("commandsSchemaVersion"));
        }
    }
}
