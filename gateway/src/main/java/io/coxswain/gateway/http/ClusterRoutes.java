package io.coxswain.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.ClusterLabels;
import io.coxswain.gateway.GatewayConfig;
import io.coxswain.gateway.json.BadInputException;
import io.coxswain.gateway.readmodel.CommandView;
import io.coxswain.gateway.readmodel.Freshness;
import io.coxswain.gateway.readmodel.ReadModel;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** {@code GET /v1/clusters}, {@code /v1/clusters/{id}}, {@code /history} and {@code /watch}: answered from the read model only. */
final class ClusterRoutes {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    private final ReadModel model;
    private final GatewayConfig config;
    private final Clock clock;
    private final ClusterDocuments documents = new ClusterDocuments();
    private volatile StaleText lastStale;

    private record StaleText(long millis, String text) {
    }

    // names prepared once (hash and validation) rather than per response
    private static final CharSequence AS_OF = HttpHeaders.createOptimized("Coxswain-As-Of");
    private static final CharSequence STALE_SECONDS = HttpHeaders.createOptimized("Coxswain-Stale-Seconds");
    private static final CharSequence KAFKA_REACHABLE = HttpHeaders.createOptimized("Coxswain-Kafka-Reachable");

    private final ReadScope reads;

    ClusterRoutes(ReadModel model, GatewayConfig config, Clock clock, ReadScope reads) {
        this.model = model;
        this.config = config;
        this.clock = clock;
        this.reads = reads;
    }

    /**
     * The clusters the caller may read (all of them unless the roles file says {@code reads by-role}),
     * or only those in the phases named by {@code ?phase=Degraded,Failed} and whose labels meet
     * {@code ?label=team=payments,env!=dev} (kubectl's equality-based selector; both when both are given).
     */
    void list(RoutingContext ctx) {
        List<ClusterLabels.Requirement> selector;
        try {
            selector = new QueryParams(ctx).selector("label");
        } catch (BadInputException e) {
            Replies.error(ctx, 400, e.getMessage(), e.field());
            return;
        }
        String phaseParam = ctx.request().getParam("phase");
        // case-insensitive: 'degraded' finds Degraded; an unknown phase simply matches no cluster
        Set<String> phases = phaseParam == null ? null
                : Arrays.stream(phaseParam.split(",")).map(p -> p.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        freshnessHeaders(ctx);
        ArrayNode list = Replies.JSON.createArrayNode();
        var visible = reads.visible(ctx);
        model.clusters().all().forEach(s -> {
            if (visible.test(s.getClusterId()) && (phases == null || phases.contains(s.getStatus().getPhase().toLowerCase(Locale.ROOT)))
                    && ClusterLabels.matches(selector, s.getSpec().getLabels())) {
                list.add(Views.summary(s, model.clusters().note(s)));
            }
        });
        Replies.json(ctx, 200, list);
    }

    void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String minParam = ctx.request().getParam("minVersion");
        if (minParam == null) {
            reply(ctx, id, model.clusters().get(id));
            return;
        }
        long min;
        try {
            min = Long.parseLong(minParam);
        } catch (NumberFormatException e) {
            Replies.error(ctx, 400, "minVersion must be a whole number, got '" + minParam + "'", "minVersion");
            return;
        }
        Future.fromCompletionStage(model.clusters().awaitVersion(id, min, config.readWaitTimeout()), ctx.vertx().getOrCreateContext())
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        reply(ctx, id, Optional.of(ar.result()));
                        return;
                    }
                    Optional<ClusterState> have = model.clusters().get(id);
                    String has = have.map(s -> "version " + s.getVersion()).orElse("no state at all");
                    freshnessHeaders(ctx);
                    Replies.json(ctx, 503, Replies.error("this gateway has cluster " + id + " at " + has + ", not yet version " + min
                                    + " after waiting " + config.readWaitTimeout().toSeconds() + "s; retry, or check /health/ready of this instance", "minVersion")
                            .put("clusterId", id).put("version", have.map(ClusterState::getVersion).orElse(0L)).put("minVersion", min));
                });
    }

    private void reply(RoutingContext ctx, String id, Optional<ClusterState> state) {
        // one reading of the freshness and the clock for the headers and the body, so that they agree
        Freshness f = model.freshness();
        Instant now = clock.instant();
        freshnessHeaders(ctx, f, now);
        if (state.isEmpty()) {
            Replies.error(ctx, 404, "cluster " + id + " is not known; list the clusters with GET /v1/clusters", "id");
            return;
        }
        Replies.json(ctx, 200, documents.document(state.get(), model.clusters().note(state.get()), f, now));
    }

    /**
     * A page of the cluster's log entries from {@code fromOffset} (a Link to the next), or with {@code last=N} its latest N;
     * {@code observations=false} leaves out the executor's records, which outnumber what anyone asked many times over.
     */
    void history(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        QueryParams q = new QueryParams(ctx);
        long from;
        long limit;
        Long last;
        boolean observations;
        try {
            from = Optional.ofNullable(q.number("fromOffset", 0)).orElse(0L);
            limit = Optional.ofNullable(q.number("limit", 1)).orElse((long) DEFAULT_PAGE);
            last = q.number("last", 1);
            observations = q.flag("observations", true);
            if (limit > MAX_PAGE) {
                throw new BadInputException("limit", "limit must be between 1 and " + MAX_PAGE + ", got " + limit);
            }
            if (last != null && last > MAX_PAGE) {
                throw new BadInputException("last", "last must be between 1 and " + MAX_PAGE + ", got " + last);
            }
            if (last != null && (q.has("fromOffset") || q.has("limit"))) {
                throw new BadInputException("last", "last (the latest N entries) does not go with fromOffset or limit (a page from an offset)");
            }
        } catch (BadInputException e) {
            Replies.error(ctx, 400, e.getMessage(), e.field());
            return;
        }
        if (!model.commands().hasHistory(id) && model.clusters().get(id).isEmpty()) {
            Replies.error(ctx, 404, "cluster " + id + " has no commands in the log", "id");
            return;
        }
        ArrayNode out = Replies.JSON.createArrayNode();
        Optional<ClusterState> state = model.clusters().get(id);
        Consumer<CommandView> add = v -> {
            ObjectNode entry = Views.command(v);
            ProposalViews.describeEntry(entry, state, v);
            out.add(entry);
        };
        if (last != null) {
            model.commands().last(id, last.intValue(), observations).forEach(add);
        } else {
            // one more than asked tells whether there is a next page
            List<CommandView> page = model.commands().history(id, from, (int) limit + 1, observations);
            page.stream().limit(limit).forEach(add);
            if (page.size() > limit) {
                long next = page.get((int) limit).offset();
                ctx.response().putHeader("Link", "</v1/clusters/" + id + "/history?fromOffset=" + next + "&limit=" + limit
                        + (observations ? "" : "&observations=false") + ">; rel=\"next\"");
                ctx.response().putHeader("Coxswain-Next-Offset", Long.toString(next));
            }
        }
        freshnessHeaders(ctx);
        Replies.json(ctx, 200, out);
    }

    void freshnessHeaders(RoutingContext ctx) {
        freshnessHeaders(ctx, model.freshness(), clock.instant());
    }

    private void freshnessHeaders(RoutingContext ctx, Freshness f, Instant now) {
        if (f.asOf() != null) {
            ctx.response().putHeader(AS_OF, f.asOfText());
            ctx.response().putHeader(STALE_SECONDS, staleText(f.staleness(now)));
        }
        if (!f.kafkaReachable()) {
            ctx.response().putHeader(KAFKA_REACHABLE, "false");
        }
    }

    /** Under load many requests in a row share a staleness to the millisecond: its text is written once. */
    private String staleText(Duration stale) {
        StaleText last = lastStale;
        long millis = stale.toMillis();
        if (last == null || last.millis() != millis) {
            last = new StaleText(millis, Freshness.seconds(stale));
            lastStale = last;
        }
        return last.text();
    }
}
