package io.coxswain.bench;

import io.coxswain.avro.Topics;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.commands.client.Outcome;
import io.coxswain.gateway.Gateway;
import io.coxswain.gateway.GatewayConfig;
import io.coxswain.gateway.auth.Authenticator;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command to readable: latency of {@code POST /v1/commands?wait=true} to its accepted reply, and of a
 * CommandClient send to the state being visible through {@code GET /v1/clusters/{id}}, at a steady
 * offered load, beside a produce-then-consume round trip on the same broker at the same load.
 */
final class LatencyBench {

    private static final Logger log = LoggerFactory.getLogger(LatencyBench.class);
    private static final int CLUSTERS = 100;

    private LatencyBench() {
    }

    static List<Result> run(String bootstrap, Path stateDir, int rate, int seconds) throws Exception {
        Topics topics = new Topics("bench-lat.");
        NodeConfig config = NodeConfig.defaults(bootstrap, stateDir).withTopics(topics).withApplicationId("bench-lat").withPartitions(6, (short) 1);
        int count = rate * seconds;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try (CoxswainNode node = CoxswainNode.start(config, Duration.ofMinutes(2));
             Gateway gateway = Gateway.start(node, GatewayConfig.defaults(Authenticator.insecureNoAuth()), Duration.ofMinutes(1));
             CommandClient client = CommandClient.builder(bootstrap).topics(topics).build()) {
            String base = gateway.url();
            for (int c = 0; c < CLUSTERS; c++) {
                post(http, base, "lat-" + c, "{\"clusterId\":\"lat-" + c + "\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\","
                        + "\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"}}}").join();
            }
            log.info("latency: POST ?wait=true at {}/s for {}s", rate, seconds);
            OpenLoop.Outcome posts = OpenLoop.run(rate, count, i -> post(http, base, "lat-" + (i % CLUSTERS),
                    "{\"clusterId\":\"lat-" + (i % CLUSTERS) + "\",\"type\":\"UpdateBrokerConfig\",\"payload\":{\"set\":{\"log.retention.ms\":\"" + (1000 + i) + "\"}}}"));
            log.info("latency: CommandClient send → GET visible at {}/s for {}s", rate, seconds);
            OpenLoop.Outcome visible = OpenLoop.run(rate, count, i -> client.send(Commands.on("lat-" + (i % CLUSTERS)).issuer("bench")
                            .updateBrokerConfig(Map.of("log.retention.ms", Integer.toString(10_000_000 + i)), List.of()))
                    .thenCompose(o -> get(http, base + "/v1/clusters/lat-" + (i % CLUSTERS) + "?minVersion=" + ((Outcome.Accepted) o).version())));
            log.info("latency: produce→consume anchor at {}/s for {}s", rate, seconds);
            OpenLoop.Outcome anchor = RoundTrip.run(bootstrap, topics.prefix() + "roundtrip", rate, count);

            Percentiles p = new Percentiles(posts.latencies());
            Percentiles v = new Percentiles(visible.latencies());
            Percentiles a = new Percentiles(anchor.latencies());
            String load = " at " + rate + "/s";
            List<Result> results = new ArrayList<>();
            results.add(new Result("POST ?wait=true → accepted, p50" + load, p.millis(50), a.millis(50), "ms", "produce→consume p50", false, "-"));
            results.add(new Result("POST ?wait=true → accepted, p99" + load, p.millis(99), a.millis(99), "ms", "produce→consume p99", false, "p99<50ms"));
            results.add(new Result("POST ?wait=true → accepted, p99.9" + load, p.millis(99.9), a.millis(99.9), "ms", "produce→consume p99.9", false, "-"));
            results.add(new Result("CommandClient send → GET visible, p50" + load, v.millis(50), a.millis(50), "ms", "produce→consume p50", false, "-"));
            results.add(new Result("CommandClient send → GET visible, p99" + load, v.millis(99), a.millis(99), "ms", "produce→consume p99", false, "p99<50ms"));
            results.add(new Result("CommandClient send → GET visible, p99.9" + load, v.millis(99.9), a.millis(99.9), "ms", "produce→consume p99.9", false, "-"));
            if (posts.failures() + visible.failures() + anchor.failures() > 0) {
                log.warn("latency: failures: POST {} (first: {}), visible {} (first: {}), anchor {}", posts.failures(), posts.firstFailure(),
                        visible.failures(), visible.firstFailure(), anchor.failures());
            }
            results.addAll(QueryBench.run(base, "lat-0", seconds));
            return results;
        }
    }

    private static CompletableFuture<String> post(HttpClient http, String base, String cluster, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/commands?wait=true"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST for " + cluster + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        });
    }

    private static CompletionStage<String> get(HttpClient http, String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + r.statusCode());
            }
            return r.body();
        });
    }
}
