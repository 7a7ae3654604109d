package io.coxswain.gateway.http;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.gateway.json.BadInputException;
import io.coxswain.orchestrator.audit.AuditQuery;
import io.coxswain.orchestrator.audit.AuditResult;
import io.coxswain.orchestrator.audit.AuditService;
import io.coxswain.orchestrator.audit.StateJson;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.avro.Schema;

/**
 * {@code GET /v1/audit} (the log entries matching a query, as JSON or as JSON lines for export) and
 * {@code GET /v1/audit/verify} (replay the log and compare with the live state topic).
 */
final class AuditRoutes {

    static final String NDJSON = "application/x-ndjson";
    /** Command types, observation types, and "Undecodable" for dead-lettered records: what {@code type=} accepts. */
    static final Set<String> TYPES = types();

    private final AuditService audit;
    private final ReadScope reads;

    AuditRoutes(AuditService audit, ReadScope reads) {
        this.audit = audit;
        this.reads = reads;
    }

    void audit(RoutingContext ctx) {
        AuditQuery query;
        boolean lines;
        try {
            query = query(new QueryParams(ctx));
            lines = jsonLines(ctx);
        } catch (BadInputException e) {
            Replies.error(ctx, 400, e.getMessage(), e.field());
            return;
        }
        if (query.clusterId() != null) {
            if (!reads.allows(ctx, query.clusterId())) {
                return;
            }
        } else if (!reads.readsAll(ctx)) {
            // across the clusters the caller may read, as GET /v1/clusters lists them: by their labels now, each asked once
            Predicate<String> visible = reads.visible(ctx);
            Map<String, Boolean> asked = new ConcurrentHashMap<>();
            query = query.readableBy(id -> id != null && asked.computeIfAbsent(id, visible::test));
        }
        // rendered on the audit thread too: a large export must not hold the event loop
        AuditReplies.when(ctx, audit.audit(query).thenApply(r -> new Rendered(r, lines ? r.toJsonLines() : StateJson.write(r.toJson(), false))),
                "GET /v1/audit", out -> {
                    ctx.response().putHeader("Coxswain-Matched", Long.toString(out.result().matched()))
                            .putHeader("Coxswain-Truncated", Boolean.toString(out.result().truncated()));
                    Replies.send(ctx, 200, lines ? NDJSON : Replies.APPLICATION_JSON, out.text());
                });
    }

    private record Rendered(AuditResult result, String text) {
    }

    void verify(RoutingContext ctx) {
        String cluster = new QueryParams(ctx).text("cluster");
        if (!reads.allowsQuery(ctx, cluster, "cluster")) {
            return;
        }
        AuditReplies.when(ctx, audit.verify(cluster), "GET /v1/audit/verify", report -> Replies.json(ctx, 200, report.toJson()));
    }

    static AuditQuery query(QueryParams q) {
        String type = q.text("type");
        if (type != null && !TYPES.contains(type)) {
            throw new BadInputException("type", "unknown type '" + type + "'; one of " + String.join(", ", TYPES));
        }
        Long limit = q.number("limit", 1);
        if (limit != null && limit > AuditQuery.MAX_LIMIT) {
            throw new BadInputException("limit", "limit must be at most " + AuditQuery.MAX_LIMIT + ", got " + limit
                    + "; narrow the query with from/to/cluster instead");
        }
        var from = q.instant("from");
        var to = q.instant("to");
        if (from != null && to != null && from.isAfter(to)) {
            throw new BadInputException("to", "the range is empty: from " + from + " is after to " + to);
        }
        return new AuditQuery(from, to, q.text("issuer"), type, q.text("cluster"), limit == null ? 0 : limit.intValue(), q.selector("label"),
                null);
    }

    /** JSON lines when {@code ?format=jsonl} (or ndjson), or, without format, when Accept names application/x-ndjson. */
    static boolean jsonLines(RoutingContext ctx) {
        String format = new QueryParams(ctx).text("format");
        if (format != null) {
            return switch (format.toLowerCase()) {
                case "json" -> false;
                case "jsonl", "ndjson", "jsonlines" -> true;
                default -> throw new BadInputException("format", "format must be json or jsonl, got '" + format + "'");
            };
        }
        String accept = ctx.request().getHeader("Accept");
        return accept != null && (accept.contains(NDJSON) || accept.contains("application/jsonl"));
    }

    private static Set<String> types() {
        Set<String> out = new TreeSet<>();
        Command.getClassSchema().getField("payload").schema().getTypes().forEach(s -> out.add(s.getName()));
        RecordObservation.getClassSchema().getField("observation").schema().getTypes().stream()
                .filter(s -> s.getType() == Schema.Type.RECORD).forEach(s -> out.add(s.getName()));
        out.add("Undecodable");
        return out;
    }
}
