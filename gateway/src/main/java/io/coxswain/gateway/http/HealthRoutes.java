package io.coxswain.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coxswain.gateway.GatewayConfig;
import io.coxswain.gateway.metrics.GatewayMetrics;
import io.coxswain.gateway.readmodel.Freshness;
import io.coxswain.gateway.readmodel.ReadModel;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Supplier;

/** {@code /health/live}, {@code /health/ready}, {@code /metrics} and {@code /openapi.yaml}: unauthenticated, for probes and scrapers. */
final class HealthRoutes {

    private static final String OPENAPI = load("/io/coxswain/gateway/openapi.yaml");

    private final ReadModel model;
    private final Supplier<String> topologyState;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final Clock clock;

    HealthRoutes(ReadModel model, Supplier<String> topologyState, GatewayMetrics metrics, GatewayConfig config, Clock clock) {
        this.model = model;
        this.topologyState = topologyState;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    void live(RoutingContext ctx) {
        Replies.json(ctx, 200, Replies.object().put("status", "UP"));
    }

    /** Ready = the topology is RUNNING and this instance's read model is caught up with a reachable Kafka. */
    void ready(RoutingContext ctx) {
        String topology = topologyState.get();
        Freshness f = model.freshness();
        boolean running = "RUNNING".equals(topology);
        boolean fresh = f.fresh(clock.instant(), config.readyStaleness());
        ObjectNode body = Replies.object().put("status", running && fresh ? "UP" : "DOWN").put("topology", topology);
        body.set("readModel", Views.freshness(f, clock.instant()).put("lagRecords", f.lagRecords()));
        if (!running) {
            body.put("reason", "the Kafka Streams topology is " + topology + ", not RUNNING");
        } else if (!fresh) {
            body.put("reason", f.asOf() == null ? "the read model has not caught up with Kafka yet"
                    : !f.kafkaReachable() ? "Kafka is unreachable; reads serve the state as of " + f.asOf()
                    : "the read model is more than " + config.readyStaleness().toSeconds() + "s behind Kafka");
        }
        Replies.json(ctx, running && fresh ? 200 : 503, body);
    }

    void metrics(RoutingContext ctx) {
        Replies.send(ctx, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.registry().scrape());
    }

    void openapi(RoutingContext ctx) {
        Replies.send(ctx, 200, "application/yaml", OPENAPI);
    }

    private static String load(String resource) {
        try (InputStream in = HealthRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
