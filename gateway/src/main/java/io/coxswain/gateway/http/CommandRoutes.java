package io.coxswain.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.command.ApproveCommand;
import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.SetApprovalPolicy;
import io.coxswain.avro.command.SetClusterLabels;
import io.coxswain.avro.command.WithdrawProposal;
import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.Decision;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.Proposal;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.Commands;
import io.coxswain.gateway.GatewayConfig;
import io.coxswain.gateway.auth.AccessPolicy;
import io.coxswain.gateway.json.BadInputException;
import io.coxswain.gateway.json.JsonCommands;
import io.coxswain.gateway.http.CommandReplies.Reply;
import io.coxswain.gateway.metrics.GatewayMetrics;
import io.coxswain.gateway.readmodel.CommandLog;
import io.coxswain.gateway.readmodel.DecisionUnreadableException;
import io.coxswain.gateway.readmodel.Preview;
import io.coxswain.gateway.readmodel.ReadModel;
import io.coxswain.gateway.write.CommandWriter;
import io.coxswain.gateway.write.KafkaUnavailableException;
import io.coxswain.orchestrator.fold.Phases;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /v1/commands} and {@code GET /v1/commands/{commandId}}. */
final class CommandRoutes {

    private static final Logger log = LoggerFactory.getLogger(CommandRoutes.class);

    private final ReadModel model;
    private final CommandWriter writer;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final Clock clock;
    private final ReadScope reads;
    private final NodeRoutes nodes;

    CommandRoutes(ReadModel model, CommandWriter writer, GatewayMetrics metrics, GatewayConfig config, Clock clock, ReadScope reads,
                  NodeRoutes nodes) {
        this.model = model;
        this.nodes = nodes;
        this.writer = writer;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        this.reads = reads;
    }

    /** Where the rules of the approval policy a command sets are, if it sets one with rules: a SetApprovalPolicy's, or a CreateCluster's. */
    private static Optional<String> policyRules(Object payload) {
        if (payload instanceof SetApprovalPolicy p && !p.getRules().isEmpty()) {
            return Optional.of("payload.rules");
        }
        if (payload instanceof CreateCluster c && c.getApprovalPolicy() != null && !c.getApprovalPolicy().getRules().isEmpty()) {
            return Optional.of("payload.approvalPolicy.rules");
        }
        return Optional.empty();
    }

    void post(RoutingContext ctx) {
        ServerTiming timing = new ServerTiming();
        String principal = ctx.get(HttpApi.PRINCIPAL);
        Command command;
        try {
            command = JsonCommands.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(), principal, clock.instant());
        } catch (JsonCommands.InvalidShapeException e) {
            metrics.submitted("unknown", "invalid");
            ObjectNode body = Replies.error(e.getMessage(), e.field());
            e.violations().forEach(v -> body.withArray("violations").addObject().put("field", v.field()).put("error", v.message()));
            Replies.json(ctx, 400, body);
            return;
        } catch (BadInputException e) {
            metrics.submitted("unknown", "invalid");
            Replies.error(ctx, 400, e.getMessage(), e.field());
            return;
        }
        String type = Commands.typeOf(command);
        Optional<String> policyRules = policyRules(command.getPayload());
        if (!config.auth().enabled() && policyRules.isPresent()) {
            // every caller is the same principal: nobody else could approve a proposal, nor the policy be loosened or cleared
            metrics.submitted(type, "invalid");
            Replies.error(ctx, 400, "cluster '" + command.getClusterId() + "': an approval policy needs authenticated callers (four eyes"
                    + " are two people), but this gateway runs with --insecure-no-auth, where every caller is '" + principal + "': no one"
                    + " else could approve a proposal, and the policy could never be cleared through it again. Nothing was written; start"
                    + " the gateway with --tokens-file FILE or JWT settings first", policyRules.get());
            return;
        }
        Optional<AccessPolicy.Denial> denied = checkAccess(principal, type, command);
        if (denied.isPresent()) {
            // Refused before anything is written: a caller without the right may not fill the log either.
            metrics.submitted(type, "forbidden");
            log.info("cluster={} command={} type={} principal={}: forbidden by the roles file, not written: {}", command.getClusterId(),
                    command.getCommandId(), type, principal, denied.get().message());
            Replies.error(ctx, 403, denied.get().message(), denied.get().field());
            return;
        }
        boolean dryRun = "true".equalsIgnoreCase(ctx.request().getParam("dryRun"));
        nodes.guard(ctx, command, type, dryRun, () -> {
            if (dryRun) {
                dryRun(ctx, command, type);
            } else {
                write(ctx, command, type, principal, timing);
            }
        });
    }

    /** Writes a command that passed every check, and answers with its decision (wait=true) or where it was written. */
    private void write(RoutingContext ctx, Command command, String type, String principal, ServerTiming timing) {
        Optional<Duration> throttled = config.quota().take(principal);
        if (throttled.isPresent()) {
            // nothing written: the log keeps every command forever, so a runaway caller is held back here
            metrics.submitted(type, "throttled");
            long seconds = Math.max(1, (long) Math.ceil(throttled.get().toMillis() / 1000.0));
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            Replies.error(ctx, 429, "principal '" + principal + "' may write " + config.quota().perSecond() + " commands per second through this"
                    + " gateway (bursts of " + config.quota().burst() + "); nothing was written, retry after " + throttled.get().toMillis() + " ms", null);
            return;
        }
        boolean wait = "true".equalsIgnoreCase(ctx.request().getParam("wait"));
        CompletableFuture<Object> reply = writer.submit(command).thenCompose(written -> {
            timing.mark("write");
            model.noteSubmitted(command, written.partition(), written.offset());
            if (!wait) {
                return CompletableFuture.completedFuture(CommandReplies.pending(command, written, null));
            }
            return model.commands().awaitDecision(command.getClusterId(), command.getCommandId(), written.offset(), config.decisionTimeout())
                    .thenCompose(d -> afterDecision(command, d, timing))
                    .exceptionally(e -> {
                        if (unwrap(e) instanceof TimeoutException) {
                            return CommandReplies.pending(command, written, "no decision within " + config.decisionTimeout().toSeconds()
                                    + "s; is a Coxswain node running? Follow it with GET /v1/commands/" + command.getCommandId());
                        }
                        if (unwrap(e) instanceof DecisionUnreadableException u) {
                            log.warn("cluster={} command={} type={}: decided, but this gateway cannot read the decision: {}",
                                    command.getClusterId(), command.getCommandId(), type, u.getMessage());
                            return CommandReplies.decisionUnreadable(command, written, u.getMessage());
                        }
                        throw new CompletionException(unwrap(e));
                    });
        });
        Future.fromCompletionStage(reply, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
            if (ar.succeeded()) {
                if (ar.result() instanceof Reply r) {
                    metrics.submitted(type, r.result());
                    ctx.response().putHeader("Location", "/v1/commands/" + command.getCommandId());
                    ctx.response().putHeader("Server-Timing", timing.header());
                    String behind = ReadModelBehind.header(r.body());
                    if (behind != null) {
                        ctx.response().putHeader(ReadModelBehind.HEADER, behind);
                    }
                    Replies.json(ctx, r.status(), r.body());
                }
            } else if (unwrap(ar.cause()) instanceof KafkaUnavailableException e) {
                metrics.submitted(type, "unavailable");
                Replies.json(ctx, 503, Replies.error(e.getMessage(), null).put("commandId", command.getCommandId()));
            } else {
                ctx.fail(unwrap(ar.cause()));
            }
        });
    }


    /**
     * The roles file's answer for this command: by the cluster's labels as the read model has them (a role may
     * select clusters by label), and by those it will have if the command sets them.
     */
    private Optional<AccessPolicy.Denial> checkAccess(String principal, String type, Command command) {
        Map<String, String> now = model.clusters().get(command.getClusterId()).filter(s -> !Phases.DELETED.equals(s.getStatus().getPhase()))
                .map(s -> s.getSpec().getLabels()).orElse(null);
        Map<String, String> after = labelsAfter(command, now);
        Map<String, String> labelsNow = now != null ? now : after != null ? after : Map.of();
        Optional<AccessPolicy.Denial> denied = config.access().check(principal, type, command.getClusterId(), labelsNow,
                after != null ? after : labelsNow);
        if (denied.isEmpty() && command.getPayload() instanceof SetMirror mirror) {
            denied = checkMirrorSource(principal, command.getClusterId(), mirror);
        }
        if (denied.isPresent() || !config.access().enforced() || command.getPayload() instanceof WithdrawProposal) {
            return denied;
        }
        return CommandLog.proposalActedOn(command).flatMap(id -> checkProposalAccess(principal, command, id, labelsNow));
    }

    /**
     * A mirror copies the source cluster's data into the target, read as its {@code sourceUser}: whoever sets one must be
     * allowed SetMirror on the source too, by its labels as the read model has them, or a role over one cluster could
     * read every other through a mirror.
     */
    private Optional<AccessPolicy.Denial> checkMirrorSource(String principal, String target, SetMirror mirror) {
        String source = mirror.getSourceCluster();
        return mirrorSourceDenied(principal, mirror)
                .map(d -> new AccessPolicy.Denial("payload.sourceCluster", "principal '" + principal + "' may not mirror cluster '" + source
                        + "' into '" + target + "': a mirror reads the source's data, so a role must allow SetMirror on the source as well"
                        + " as on the target; nothing was written. " + d.message()));
    }

    /** The roles file's answer for SetMirror on the mirror's source cluster, by the source's labels as the read model has them. */
    private Optional<AccessPolicy.Denial> mirrorSourceDenied(String principal, SetMirror mirror) {
        String source = mirror.getSourceCluster();
        Map<String, String> labels = model.clusters().get(source).map(s -> s.getSpec().getLabels()).orElse(Map.of());
        return config.access().check(principal, SetMirror.class.getSimpleName(), source, labels, labels);
    }

    /**
     * An approval or a veto is a say in the change itself: the caller's roles must also allow the proposal's command type on
     * the cluster. The type comes from the read model, so a proposal it does not hold yet cannot be checked, and is refused.
     */
    private Optional<AccessPolicy.Denial> checkProposalAccess(String principal, Command command, String id, Map<String, String> labels) {
        boolean approval = command.getPayload() instanceof ApproveCommand;
        String verb = approval ? "approve" : "reject";
        Optional<Proposal> proposal = ProposalViews.pending(model.clusters().get(command.getClusterId()), id);
        if (proposal.isEmpty()) {
            return Optional.of(new AccessPolicy.Denial("payload.commandId", "no proposal of command " + id + " is pending on cluster '"
                    + command.getClusterId() + "' in this gateway's read model, so whether " + principal + "'s roles allow its command type"
                    + " cannot be checked; nothing was written: see GET /v1/commands/" + id + " (cox approvals list " + command.getClusterId()
                    + "), and retry in a moment if it was proposed just now"));
        }
        String type = proposal.get().getType();
        Command original;
        try {
            original = StoredCommands.decode(proposal.get().getCommand(), proposal.get().getCommandSchemaVersion());
        } catch (IllegalArgumentException e) {
            return Optional.of(new AccessPolicy.Denial("payload.commandId", "the " + type + " proposed as command " + id + " on cluster '"
                    + command.getClusterId() + "' is stored in a commands schema this gateway cannot read (" + e.getMessage() + "), so whether "
                    + principal + "'s roles allow it cannot be checked; nothing was written: approve it through a gateway of the Coxswain"
                    + " version that proposed it"));
        }
        // an approver, as its issuer: the labels the change would leave must match the role too, not only those it has now. A veto
        // keeps the cluster as it is, so the labels it has are what count: whoever looks after a cluster may stop a change that
        // would move it out of their care (the very change they should be able to stop).
        Map<String, String> after = approval ? labelsAfter(original, labels) : labels;
        Optional<AccessPolicy.Denial> denied = config.access().check(principal, type, command.getClusterId(), labels, after)
                .map(d -> new AccessPolicy.Denial("payload.commandId", "principal '" + principal + "' may not " + verb + " the " + type
                        + " proposed as command " + id + " on cluster '" + command.getClusterId() + "': " + (approval ? "approving" : "rejecting")
                        + " a change needs a role that allows the change itself. " + d.message()));
        // approving a mirror lets it read the source's data, as issuing it would; a veto reads nothing, so the target's role is enough
        if (denied.isEmpty() && approval && original.getPayload() instanceof SetMirror mirror) {
            denied = mirrorSourceDenied(principal, mirror).map(d -> new AccessPolicy.Denial("payload.commandId", "principal '" + principal
                    + "' may not approve the SetMirror proposed as command " + id + " on cluster '" + command.getClusterId() + "': it mirrors"
                    + " cluster '" + mirror.getSourceCluster() + "', the source, which principal '" + principal + "' may not reach; a mirror"
                    + " reads the source's data, so approving one needs a role that allows SetMirror on the source as well as on the target;"
                    + " nothing was written. " + d.message()));
        }
        return denied;
    }

    /** The labels the cluster will have once {@code command} is applied: another set only for CreateCluster and SetClusterLabels. */
    private static Map<String, String> labelsAfter(Command command, Map<String, String> now) {
        return command.getPayload() instanceof CreateCluster c ? c.getLabels()
                : command.getPayload() instanceof SetClusterLabels l ? l.getLabels() : now;
    }

    /**
     * After acceptance, also wait until this instance's state has the new version: the caller's next read here sees its write;
     * when it has not come within the read wait, the reply says so ({@link ReadModelBehind}).
     */
    private CompletableFuture<Object> afterDecision(Command command, Decision d, ServerTiming timing) {
        timing.mark("decision");
        Reply reply = CommandReplies.answer(d);
        if (d.getOutcome() instanceof CommandAccepted a) {
            return model.clusters().awaitVersion(d.getClusterId(), a.getVersion(), config.readWaitTimeout())
                    .handle((s, e) -> {
                        timing.mark("state");
                        if (s == null) {
                            long held = model.clusters().get(d.getClusterId()).map(ClusterState::getVersion).orElse(0L);
                            log.warn("{}; the reply says so ({})", ReadModelBehind.message(d.getClusterId(), d.getCommandId(), a.getVersion(),
                                    held, config.readWaitTimeout()), ReadModelBehind.FIELD);
                            ReadModelBehind.describe(reply.body(), d.getClusterId(), d.getCommandId(), a.getVersion(), held, config.readWaitTimeout());
                        }
                        // the proposal this records, or the one an approval, veto or withdrawal acted on: pending, or how it ended
                        Optional<String> target = CommandLog.proposalActedOn(command);
                        String proposal = target.orElse(a.getAwaitingApprovals() > 0 ? command.getCommandId() : null);
                        if (proposal != null && (!d.getDuplicate() || target.isEmpty())) {
                            ProposalViews.describe(reply.body(), model.clusters().get(d.getClusterId()), proposal, target.isEmpty());
                        }
                        return target.isEmpty() ? CommandReplies.settledProposal(reply) : reply;
                    });
        }
        return CompletableFuture.completedFuture(reply);
    }

    /**
     * {@code ?dryRun=true}: the decision the fold would take against this gateway's read model, and
     * the fields it would change, answered with the status the real command would get. Nothing is
     * written; the roles apply as to the real command.
     */
    private void dryRun(RoutingContext ctx, Command command, String type) {
        Preview preview = model.preview(command);
        Reply reply = CommandReplies.answer(preview.step().decision());
        reply.body().put("dryRun", true).put("asOfVersion", preview.asOfVersion());
        if (reply.body().has("awaitingApprovals")) {
            int awaiting = reply.body().get("awaitingApprovals").asInt();
            reply.body().put("message", "the cluster's approval policy covers " + type + ": it would be recorded as a proposal, "
                    + CommandReplies.appliedOnce(awaiting) + "; nothing was written");
        }
        if (preview.step().duplicate()) {
            reply.body().put("duplicate", true);
        }
        ArrayNode changes = reply.body().putArray("changes");
        preview.changes().forEach(c -> changes.add(c.toJson()));
        metrics.submitted(type, "dry-run");
        log.debug("cluster={} command={} type={}: dry run, {} as of version {}, nothing written", command.getClusterId(),
                command.getCommandId(), type, reply.result(), preview.asOfVersion());
        Replies.json(ctx, reply.status(), reply.body());
    }

    void get(RoutingContext ctx) {
        String id = ctx.pathParam("commandId");
        model.commands().command(id, ctx.request().getParam("clusterId")).ifPresentOrElse(
                v -> {
                    if (reads.allows(ctx, v.clusterId())) {
                        ObjectNode body = Views.command(v);
                        ProposalViews.describeEntry(body, model.clusters().get(v.clusterId()), v);
                        Replies.json(ctx, 200, body);
                    }
                },
                () -> Replies.error(ctx, 404, "no command " + id + " is known to this gateway; if it was just sent through another"
                        + " instance, retry in a moment", "commandId"));
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
