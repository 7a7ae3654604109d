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
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntFunction;
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
    /**
     * Offered load before each measurement, discarded, at least this long and then until the JIT has
     * settled ({@link WarmUp}): JIT compilation and connection set-up are not what a running gateway
     * pays. Run alone ({@code --only latency}) the stage begins cold, and with 3 s its POST p50 was
     * 113-212 ms against 43-62 ms in full runs, after the fold stage; but even there the JIT still
     * compiled the gateway's and the broker's transaction paths through the measured window.
     */
    static final int WARM_UP_SECONDS_AFTER_FOLD = 3;
    static final int WARM_UP_SECONDS_COLD = 15;
    /** Past this the window is measured whatever the JIT still does ({@link WarmUp}). */
    static final int WARM_UP_SECONDS_MAX = 60;
    /**
     * The same for {@code --quick}, which is for a fast look, not for figures to quote: its two windows could wait 60 s each
     * for the JIT, which took the run past its 5 minutes.
     */
    static final int WARM_UP_SECONDS_MAX_QUICK = 20;

    private LatencyBench() {
    }

    /**
     * With {@code latency} false only the query stage runs (bench/run --only queries), on the same node and gateway.
     *
     * @param warmUpMax the most seconds each latency window waits for the JIT to settle
     */
    static List<Result> run(String bootstrap, Path stateDir, int rate, int seconds, int warmUpSeconds, int warmUpMax, boolean latency)
            throws Exception {
        Topics topics = new Topics("bench-lat.");
        NodeConfig config = NodeConfig.defaults(bootstrap, stateDir).withTopics(topics).withApplicationId("bench-lat").withPartitions(6, (short) 1)
                .withStreamsOverrides(FoldThroughputBench.streamsOverrides());
        int count = rate * seconds;
        try (CoxswainNode node = CoxswainNode.start(config, Duration.ofMinutes(2));
             Gateway gateway = Gateway.start(node, GatewayConfig.defaults(Authenticator.insecureNoAuth()), Duration.ofMinutes(1));
             CommandClient client = CommandClient.builder(bootstrap).topics(topics).foldGroup(config.applicationId()).build();
             HttpLoad http = new HttpLoad(gateway.url(), OpenLoop.MAX_IN_FLIGHT)) {
            String base = gateway.url();
            for (int c = 0; c < CLUSTERS; c++) {
                post(http, "{\"clusterId\":\"lat-" + c + "\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\","
                        + "\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"}}}").join();
            }
            if (!latency) {
                return QueryBench.run(base, "lat-0", seconds);
            }
            IntFunction<String> command = i -> "{\"clusterId\":\"lat-" + (i % CLUSTERS)
                    + "\",\"type\":\"UpdateBrokerConfig\",\"payload\":{\"set\":{\"log.retention.ms\":\"" + (1000 + i) + "\"}}}";
            IntFunction<CompletionStage<?>> postOne = i -> post(http, command.apply(i));
            IntFunction<CompletionStage<?>> sendAndRead = i -> client.send(Commands.on("lat-" + (i % CLUSTERS)).issuer("bench")
                            .updateBrokerConfig(Map.of("log.retention.ms", Integer.toString(10_000_000 + i)), List.of()))
                    .thenCompose(o -> get(http, "/v1/clusters/lat-" + (i % CLUSTERS) + "?minVersion=" + ((Outcome.Accepted) o).version()));
            log.info("latency: POST ?wait=true at {}/s for {}s (after at least {}s of warm-up at that rate)", rate, seconds, warmUpSeconds);
            int warm = WarmUp.run("latency: POST ?wait=true", rate, warmUpSeconds, warmUpMax, postOne).requests();
            ServerTimings timings = new ServerTimings();
            long postCpu = MemoryProbe.processCpuNanos();
            OpenLoop.Outcome posts = OpenLoop.run(rate, count, i -> post(http, command.apply(warm + i), timings::add));
            postCpu = MemoryProbe.processCpuNanos() - postCpu;
            // The hops get a window of their own: their watcher fetches every millisecond, and while it
            // watched the measured window, POST p50/p99 were 71-96/237-346 ms against 47-52/116-171 (bench/).
            log.info("latency: POST ?wait=true at {}/s for {}s more, split into hops by a watching consumer", rate, seconds);
            List<long[]> hops;
            try (LatencyHops watch = new LatencyHops(bootstrap, topics.commands(), topics.events(), node.codecs())) {
                OpenLoop.run(rate, count, i -> postOne.apply(warm + count + i));
                hops = watch.stop();
            }
            log.info("latency: CommandClient send → GET visible at {}/s for {}s (after at least {}s of warm-up)", rate, seconds, warmUpSeconds);
            int warmVisible = WarmUp.run("latency: send → visible", rate, warmUpSeconds, warmUpMax, sendAndRead).requests();
            long visibleCpu = MemoryProbe.processCpuNanos();
            OpenLoop.Outcome visible = OpenLoop.run(rate, count, i -> sendAndRead.apply(warmVisible + i));
            visibleCpu = MemoryProbe.processCpuNanos() - visibleCpu;
            log.info("latency: produce→consume anchor at {}/s for {}s", rate, seconds);
            OpenLoop.Outcome anchor = RoundTrip.run(bootstrap, topics.prefix() + "roundtrip", rate, count, false);
            log.info("latency: transactional produce→read_committed consume anchor at {}/s for {}s", rate, seconds);
            OpenLoop.Outcome txAnchor = RoundTrip.run(bootstrap, topics.prefix() + "roundtrip-tx", rate, count, true);

            Percentiles p = new Percentiles(posts.latencies());
            Percentiles v = new Percentiles(visible.latencies());
            Percentiles a = new Percentiles(anchor.latencies());
            Percentiles t = new Percentiles(txAnchor.latencies());
            String load = " at " + rate + "/s";
            List<Result> results = new ArrayList<>();
            results.add(new Result("POST ?wait=true → accepted, p50" + load, p.millis(50), a.millis(50), "ms", "produce→consume p50", false, "-"));
            results.add(new Result("POST ?wait=true → accepted, p99" + load, p.millis(99), a.millis(99), "ms", "produce→consume p99", false, "p99<50ms"));
            results.add(new Result("POST ?wait=true → accepted, p99.9" + load, p.millis(99.9), a.millis(99.9), "ms", "produce→consume p99.9", false, "-"));
            results.add(new Result("POST ?wait=true → accepted, p50" + load + " vs one exactly-once hop", p.millis(50), t.millis(50), "ms",
                    "transactional produce→read_committed p50", false, "-"));
            results.add(new Result("POST ?wait=true → accepted, p99" + load + " vs one exactly-once hop", p.millis(99), t.millis(99), "ms",
                    "transactional produce→read_committed p99", false, "-"));
            for (String phase : ServerTimings.PHASES) {
                Percentiles ph = timings.of(phase);
                for (int pct : new int[] {50, 99}) {
                    results.add(new Result("  POST phase (gateway's Server-Timing): " + phase + ", p" + pct, ph.millis(pct), a.millis(pct), "ms",
                            "produce→consume p" + pct, false, "-"));
                }
            }
            for (int h = 0; h < LatencyHops.NAMES.length; h++) {
                Percentiles hop = new Percentiles(hops.get(h));
                for (int pct : new int[] {50, 99}) {
                    results.add(new Result("  POST hop: " + LatencyHops.NAMES[h] + ", p" + pct, hop.millis(pct), a.millis(pct), "ms",
                            "produce→consume p" + pct, false, "-"));
                }
            }
            results.add(new Result("CommandClient send → GET visible, p50" + load, v.millis(50), a.millis(50), "ms", "produce→consume p50", false, "-"));
            results.add(new Result("CommandClient send → GET visible, p99" + load, v.millis(99), a.millis(99), "ms", "produce→consume p99", false, "p99<50ms"));
            results.add(new Result("CommandClient send → GET visible, p99.9" + load, v.millis(99.9), a.millis(99.9), "ms", "produce→consume p99.9", false, "-"));
            // on 2 cores the load generators share the machine with broker, node and gateway: what a
            // window costs in CPU says how much its own load slows the path it measures
            results.add(new Result("CPU per command, POST window (whole process, load generator included)", postCpu / 1e3 / count,
                    visibleCpu / 1e3 / count, "µs CPU", "same, send → visible window", false, "-"));
            if (posts.failures() + visible.failures() + anchor.failures() + txAnchor.failures() > 0) {
                log.warn("latency: failures: POST {} (first: {}), visible {} (first: {}), anchor {}, transactional anchor {}", posts.failures(),
                        posts.firstFailure(), visible.failures(), visible.firstFailure(), anchor.failures(), txAnchor.failures());
            }
            results.addAll(QueryBench.run(base, "lat-0", seconds));
            return results;
        }
    }

    private static CompletableFuture<String> post(HttpLoad http, String json) {
        return post(http, json, null);
    }

    private static CompletableFuture<String> post(HttpLoad http, String json, Consumer<String> serverTiming) {
        return http.send(HttpMethod.POST, "/v1/commands?wait=true", json, serverTiming);
    }

    private static CompletionStage<String> get(HttpLoad http, String path) {
        return http.send(HttpMethod.GET, path, null);
    }
}
