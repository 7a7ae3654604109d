package io.coxswain.sandbox.kafkapods;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * What a Kafka Connect worker of the sandbox (a connect pod's, or a test's own) needs to run well on one machine, and
 * how to tell it is up: one place for both, so a pod's worker and a test's behave alike.
 */
public final class OneMachineConnect {

    /** Keys a worker's configuration may leave out that make a one-machine worker slow; its own values win. */
    public static final Map<String, String> DEFAULTS = Map.of(
            // sink tasks write out (FileStreamSink flushes) and offsets are committed every second, not every minute
            "offset.flush.interval.ms", "1000",
            // a worker gone away is not waited for 5 minutes before its connectors move: there is no other machine
            "scheduled.rebalance.max.delay.ms", "0",
            "offset.storage.partitions", "5",
            "status.storage.partitions", "1");

    private OneMachineConnect() {
    }

    /**
     * Whether the worker at {@code url} answers {@code GET /health} with 200: its REST API answers before it has joined its
     * group, its health only once it has.
     */
    public static boolean healthy(HttpClient http, String url) throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(5)).build();
        try {
            return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false; // not listening yet
        }
    }
}
