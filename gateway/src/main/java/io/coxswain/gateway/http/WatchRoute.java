package io.coxswain.gateway.http;

import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.audit.StateJson;
import io.coxswain.gateway.readmodel.ReadModel;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /v1/clusters/{id}/watch}: server-sent events, one {@code state} event per new version
 * (the current state first, if there is one). A cluster that does not exist yet may be watched: the
 * first event comes when it is created. A comment line every 15 s keeps proxies from closing an
 * idle stream.
 */
final class WatchRoute {

    private static final long HEARTBEAT_MS = 15_000;

    private final ReadModel model;
    private final Clock clock;

    WatchRoute(ReadModel model, Clock clock) {
        this.model = model;
        this.clock = clock;
    }

    void watch(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        HttpServerResponse response = ctx.response();
        response.setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.write(": watching cluster " + id + "\n\n");
        Context context = ctx.vertx().getOrCreateContext();
        AtomicLong lastSent = new AtomicLong(-1);
        // the consumer thread calls back; writes happen on this request's context, in order
        Runnable stop = model.clusters().watch(id, state -> context.runOnContext(v -> send(response, state, model.clusters().note(state), lastSent)));
        model.clusters().get(id).ifPresent(state -> send(response, state, model.clusters().note(state), lastSent));
        long timer = ctx.vertx().setPeriodic(HEARTBEAT_MS, t -> {
            if (!response.closed()) {
                response.write(": heartbeat " + clock.instant() + "\n\n");
            }
        });
        response.closeHandler(v -> {
            stop.run();
            ctx.vertx().cancelTimer(timer);
        });
    }

    /** @param note why the state is not all its writer wrote ({@code ClusterViews.note}); null when it is */
    private static void send(HttpServerResponse response, ClusterState state, String note, AtomicLong lastSent) {
        if (response.closed() || state.getVersion() <= lastSent.get()) { // never repeat a version, never go back
            return;
        }
        lastSent.set(state.getVersion());
        String json = note == null ? StateJson.toJson(state) : StateJson.node(state).put("note", note).toString();
        response.write("event: state\nid: " + state.getVersion() + "\ndata: " + json + "\n\n");
    }
}
