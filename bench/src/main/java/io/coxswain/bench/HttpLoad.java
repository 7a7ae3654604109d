package io.coxswain.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The latency benchmark's HTTP client: a bounded pool of keep-alive HTTP/1.1 connections, as a
 * service in front of the gateway would hold, on an event loop of its own. (The JDK's HttpClient,
 * used before, opens a new connection whenever all are busy and has no bound on them.)
 */
final class HttpLoad implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final HttpClient client;
    private final String host;
    private final int port;

    HttpLoad(String baseUrl, int connections) {
        URI base = URI.create(baseUrl);
        this.host = base.getHost();
        this.port = base.getPort();
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /** Completes with the body of a 200 answer; exceptionally with the status and body otherwise. */
    CompletableFuture<String> send(HttpMethod method, String path, String json) {
        return send(method, path, json, null);
    }

    /** The same, handing the answer's {@code Server-Timing} header (or null) to {@code serverTiming} first. */
    CompletableFuture<String> send(HttpMethod method, String path, String json, Consumer<String> serverTiming) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path)
                .setTimeout(TimeUnit.SECONDS.toMillis(30));
        if (json != null) {
            options.putHeader("Content-Type", "application/json");
        }
        return client.request(options)
                .compose(request -> json == null ? request.send() : request.send(json))
                .compose(response -> response.body().map(body -> {
                    if (serverTiming != null) {
                        serverTiming.accept(response.getHeader("Server-Timing"));
                    }
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + body);
                    }
                    return body.toString();
                }))
                .toCompletionStage().toCompletableFuture();
    }

    @Override
    public void close() {
        client.close().await();
        vertx.close().await();
    }
}
