package io.coxswain.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.audit.StateJson;
import io.coxswain.gateway.json.BadInputException;
import io.coxswain.orchestrator.audit.AuditService;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A cluster's past, computed by replaying the command log (see {@link AuditService} for the cost):
 * {@code GET /v1/clusters/{id}?asOf=T} or {@code ?atVersion=N} answer the state as it was, in the live
 * answer's shape ({@code "historical"} replaces {@code "freshness"}); {@code GET /v1/clusters/{id}/diff}
 * says what changed between two versions and which commands did it.
 */
final class PastStateRoutes {

    static final String AS_OF = "asOf";
    static final String AT_VERSION = "atVersion";

    private final AuditService audit;

    PastStateRoutes(AuditService audit) {
        this.audit = audit;
    }

    /** True when the request asks for a past state rather than the live one. */
    static boolean asks(RoutingContext ctx) {
        return ctx.request().getParam(AS_OF) != null || ctx.request().getParam(AT_VERSION) != null;
    }

    void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        QueryParams q = new QueryParams(ctx);
        Instant asOf;
        Long atVersion;
        try {
            if (q.has(AS_OF) && q.has(AT_VERSION)) {
                throw new BadInputException(AT_VERSION, "give either asOf or atVersion, not both");
            }
            if (q.has("minVersion")) {
                throw new BadInputException("minVersion", "minVersion waits for the live state; it cannot be combined with asOf or atVersion");
            }
            asOf = q.instant(AS_OF);
            atVersion = q.number(AT_VERSION, 1);
            if (asOf == null && atVersion == null) {
                throw new BadInputException(q.has(AS_OF) ? AS_OF : AT_VERSION, "asOf or atVersion is empty; give a time or a version");
            }
        } catch (BadInputException e) {
            Replies.error(ctx, 400, e.getMessage(), e.field());
            return;
        }
        CompletionStage<Optional<ClusterState>> past = asOf != null ? audit.stateAsOf(id, asOf) : audit.stateAtVersion(id, atVersion);
        String when = asOf != null ? "as of " + asOf : "at version " + atVersion;
        AuditReplies.when(ctx, past, "GET /v1/clusters/" + id + " " + when, state -> {
            if (state.isEmpty()) {
                Replies.error(ctx, 404, asOf != null
                        ? "cluster " + id + " did not exist as of " + asOf + " (no accepted command for it was logged by then); see GET /v1/clusters/" + id + "/history"
                        : "cluster " + id + " never reached version " + atVersion + "; GET /v1/clusters/" + id + " shows its latest version", "id");
                return;
            }
            ObjectNode body = StateJson.node(state.get());
            ObjectNode historical = body.putObject("historical");
            if (asOf != null) {
                historical.put(AS_OF, asOf.toString());
            } else {
                historical.put(AT_VERSION, atVersion);
            }
            historical.put("source", "replay of the command log");
            Replies.json(ctx, 200, body);
        });
    }

    void diff(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        QueryParams q = new QueryParams(ctx);
        long from;
        long to;
        try {
            from = q.required("from", 0, "from=1&to=3");
            to = q.required("to", 0, "from=1&to=3");
            if (to < from) {
                throw new BadInputException("to", "to (" + to + ") must not be below from (" + from + "); swap them");
            }
        } catch (BadInputException e) {
            Replies.error(ctx, 400, e.getMessage(), e.field());
            return;
        }
        AuditReplies.when(ctx, audit.diff(id, from, to), "GET /v1/clusters/" + id + "/diff", d -> Replies.json(ctx, 200, d.toJson()));
    }
}
