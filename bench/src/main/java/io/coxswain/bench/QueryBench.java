package io.coxswain.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queries: {@code GET /v1/clusters/{id}} under load from wrk (a separate process), beside a bare
 * Vert.x server in the same JVM answering a fixed JSON body of the same size. The two servers take
 * turns, {@link #ROUNDS} times, so that a slow spell of the machine falls on both rather than on
 * one (two full runs half an hour apart had given 0.54 and 0.74 with one turn each).
 */
final class QueryBench {

    private static final Logger log = LoggerFactory.getLogger(QueryBench.class);

    /** One wrk run, with the CPU this JVM (gateway and bare server live here, wrk does not) spent answering it. */
    record WrkRun(double requestsPerSecond, double p99Millis, long requests, long cpuNanos) {
        double cpuMicrosPerRequest() {
            return requests == 0 ? Double.NaN : cpuNanos / 1000.0 / requests;
        }

        /** Runs of equal length as one: mean rate, worst p99, requests and CPU summed. */
        static WrkRun of(List<WrkRun> runs) {
            return new WrkRun(runs.stream().mapToDouble(WrkRun::requestsPerSecond).average().orElse(Double.NaN),
                    runs.stream().mapToDouble(WrkRun::p99Millis).max().orElse(Double.NaN),
                    runs.stream().mapToLong(WrkRun::requests).sum(), runs.stream().mapToLong(WrkRun::cpuNanos).sum());
        }
    }

    /** Turns each server takes; each measured run lasts the stage's seconds divided by this. */
    static final int ROUNDS = 2;

    private static final int WARM_UP_SECONDS = 10;

    private QueryBench() {
    }

    static List<Result> run(String gatewayUrl, String clusterId, int seconds) throws Exception {
        String url = gatewayUrl + "/v1/clusters/" + clusterId;
        HttpResponse<String> sample = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        byte[] body = sample.body().getBytes(StandardCharsets.UTF_8);
        if (!wrkAvailable()) {
            log.warn("queries: wrk is not installed (bench/run installs it with apt-get); skipping");
            return List.of();
        }
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer bare = vertx.createHttpServer().requestHandler(req -> req.response()
                    .putHeader("Content-Type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(body)))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String bareUrl = "http://127.0.0.1:" + bare.actualPort() + "/";
            // Each server first takes the same load for a while, discarded: JIT compilation is not
            // what a running server pays, and the bare server, with far less code, is hot sooner
            // (quick run, same machine: 0.35 of the bare server cold, 0.66 after 5 s of warm-up).
            int warmUp = Math.min(seconds, WARM_UP_SECONDS);
            wrk(bareUrl, warmUp);
            wrk(url, warmUp);
            int each = Math.max(2, seconds / ROUNDS);
            List<WrkRun> bareRuns = new ArrayList<>();
            List<WrkRun> coxswainRuns = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                WrkRun bareTurn = wrk(bareUrl, each);
                WrkRun gatewayTurn = wrk(url, each);
                bareRuns.add(bareTurn);
                coxswainRuns.add(gatewayTurn);
                log.info("queries: turn {} of {}: {} req/s vs bare {} req/s ({}), CPU per request {} vs {} µs", round, ROUNDS,
                        Math.round(gatewayTurn.requestsPerSecond()), Math.round(bareTurn.requestsPerSecond()),
                        String.format("%.2f", gatewayTurn.requestsPerSecond() / bareTurn.requestsPerSecond()),
                        String.format("%.1f", gatewayTurn.cpuMicrosPerRequest()), String.format("%.1f", bareTurn.cpuMicrosPerRequest()));
            }
            WrkRun anchor = WrkRun.of(bareRuns);
            WrkRun coxswain = WrkRun.of(coxswainRuns);
            // a consistent read waits for a question to Kafka (its end offsets) and the catch-up: what read-your-writes
            // behind a load balancer costs, beside the plain read measured just before (reads in flight share a question)
            WrkRun consistent = wrk(url + "?consistent=true", each);
            log.info("queries: ?consistent=true {} req/s, p99 {} ms", Math.round(consistent.requestsPerSecond()),
                    String.format("%.2f", consistent.p99Millis()));
            return List.of(
                    new Result("GET /v1/clusters/{id} (" + body.length + " B) throughput", coxswain.requestsPerSecond(),
                            anchor.requestsPerSecond(), "req/s", "bare Vert.x", true, ">= 0.60"),
                    new Result("GET /v1/clusters/{id} p99 under wrk load", coxswain.p99Millis(), anchor.p99Millis(), "ms",
                            "bare Vert.x p99", false, "-"),
                    // CPU per request holds up on a noisy machine where rates do not (wrk shares the 2 cores)
                    new Result("GET /v1/clusters/{id} CPU per request (whole process)", coxswain.cpuMicrosPerRequest(), anchor.cpuMicrosPerRequest(),
                            "µs CPU", "bare Vert.x CPU per request", false, "-"),
                    new Result("GET /v1/clusters/{id}?consistent=true throughput", consistent.requestsPerSecond(),
                            coxswain.requestsPerSecond(), "req/s", "the same GET, not consistent", true, "-"),
                    new Result("GET /v1/clusters/{id}?consistent=true p99 under wrk load", consistent.p99Millis(), coxswain.p99Millis(), "ms",
                            "the same GET's p99, not consistent", false, "-"));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static boolean wrkAvailable() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    static WrkRun wrk(String url, int seconds) throws Exception {
        long cpu = MemoryProbe.processCpuNanos();
        Process p = new ProcessBuilder("wrk", "-t1", "-c32", "-d" + seconds + "s", "--latency", url).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            r.lines().forEach(l -> out.append(l).append('\n'));
        }
        p.waitFor();
        cpu = MemoryProbe.processCpuNanos() - cpu;
        Matcher requests = Pattern.compile("([0-9]+) requests in").matcher(out);
        Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher p99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!rps.find() || !p99.find() || !requests.find()) {
            throw new IllegalStateException("could not read wrk's output:\n" + out);
        }
        double v = Double.parseDouble(p99.group(1));
        double millis = switch (p99.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
        return new WrkRun(Double.parseDouble(rps.group(1)), millis, Long.parseLong(requests.group(1)), cpu);
    }
}
