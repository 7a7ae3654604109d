package io.coxswain.orchestrator.operations.connect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Connect worker slow to answer a change, as one is during a long rebalance: in front of a real worker, it passes every
 * call on at once, and holds the worker's answer to a change (anything but a GET) until {@link #release released}. The
 * change is made on the worker all the same; the caller may have given up waiting by then.
 */
public final class SlowConnect implements AutoCloseable {

    private final String target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();

    private SlowConnect(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads); // a held answer does not hold up the reads beside it
        server.createContext("/", this::pass);
        server.start();
    }

    public static SlowConnect before(ConnectWorker worker) {
        try {
            return new SlowConnect(worker.url());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many changes it passed on and held the answer of. */
    public int held() {
        return held.get();
    }

    /** Answers what it holds and what comes after at once. */
    public void release() {
        released.countDown();
    }

    private void pass(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Accept", "application/json");
            if (body.length > 0) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (!"GET".equals(exchange.getRequestMethod())) {
                held.incrementAndGet();
                released.await(60, TimeUnit.SECONDS);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gaveUp) {
            // the caller stopped waiting: what it asked is made on the worker all the same
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
