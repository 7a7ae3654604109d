package io.coxswain.gateway.metrics;

import io.coxswain.avro.event.CommandAccepted;
import io.coxswain.avro.event.Decision;
import io.coxswain.gateway.readmodel.Freshness;
import io.coxswain.gateway.readmodel.ReadModel;
import java.time.Clock;
import java.time.Duration;

/** The gateway's series, named once here so that dashboards and tests agree on them. */
public final class GatewayMetrics {

    private final Metrics registry = new Metrics();
    private final Metrics.Counter requests;
    private final Metrics.Histogram latency;
    private final Metrics.Counter submitted;
    private final Metrics.Counter decisions;

    public GatewayMetrics() {
        requests = registry.counter("coxswain_http_requests_total", "HTTP requests answered, by method, route and status.", "method", "route", "status");
        latency = registry.histogram("coxswain_http_request_duration_seconds", "Time to answer an HTTP request, by method and route.", "method", "route");
        submitted = registry.counter("coxswain_gateway_commands_total",
                "Commands posted to this gateway, by type and result (accepted, rejected, pending, invalid, forbidden, nodes-behind, throttled, unavailable, dry-run).", "type", "result");
        decisions = registry.counter("coxswain_decisions_total",
                "Decisions read from the events topic since this gateway started (every producer's commands), by type and outcome.", "type", "outcome");
    }

    /** Read-model gauges: how far behind Kafka this instance is. */
    public void bind(ReadModel model, Clock clock) {
        model.onDecision(this::decision);
        registry.gauge("coxswain_readmodel_lag_records", "Committed records of the state, events and commands topics not yet read, at the last check.",
                () -> Math.max(0, model.freshness().lagRecords()));
        registry.gauge("coxswain_readmodel_staleness_seconds", "Seconds since the read model was last confirmed complete (NaN before the first catch-up).", () -> {
            Duration d = model.freshness().staleness(clock.instant());
            return d == null ? Double.NaN : Freshness.secondsOf(d);
        });
        registry.gauge("coxswain_readmodel_kafka_reachable", "1 when the last end-offset check reached Kafka.", () -> model.freshness().kafkaReachable() ? 1 : 0);
        registry.gauge("coxswain_readmodel_clusters", "Clusters known to the read model.", () -> model.clusters().all().size());
        registry.gauge("coxswain_watch_subscribers", "Open /watch streams.", () -> model.clusters().watcherCount());
        ClusterSeries.register(registry, () -> model.clusters().all());
    }

    /** The served certificate's expiry, for an alert such as {@code coxswain_gateway_tls_certificate_expiry_timestamp_seconds - time() < 14*86400}. */
    public void bindTls(java.util.function.LongSupplier notAfterSeconds) {
        registry.gauge("coxswain_gateway_tls_certificate_expiry_timestamp_seconds", "When the gateway's TLS certificate in use expires, in seconds since the epoch.",
                () -> notAfterSeconds.getAsLong());
    }

    public void request(String method, String route, int status, long nanos) {
        requests.inc(method, route, Integer.toString(status));
        latency.observe(nanos / 1e9, method, route);
    }

    public void submitted(String type, String result) {
        submitted.inc(type, result);
    }

    private void decision(Decision d) {
        if (!d.getDuplicate()) {
            decisions.inc(d.getCommandType(), d.getOutcome() instanceof CommandAccepted ? "accepted" : "rejected");
        }
    }

    public Metrics registry() {
        return registry;
    }
}
