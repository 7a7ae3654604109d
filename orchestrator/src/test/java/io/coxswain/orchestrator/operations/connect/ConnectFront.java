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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in in front of a real Connect worker, for the answers a worker gives only in bad moments: it passes every call on
 * and answers what the worker answers, but when told to it holds the answer to a change (anything but a GET) until
 * {@link #release released}, as a worker does during a long rebalance, or answers calls of a method and path as asked
 * (Connect's own time-out, an older worker's "Unrecognized field"), with or without passing them on. A change passed on is
 * made on the worker, whatever the caller hears, or whether it still waits.
 */
public final class ConnectFront implements AutoCloseable {

    /** An answer given in the worker's stead to calls of this method and path. */
    private record Answer(String method, String path, int status, String message, boolean passedOn) {
    }

    private final String target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private volatile boolean holding;
    private volatile Consumer<String> onChange = c -> { };

    private ConnectFront(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads); // a held answer does not hold up the reads beside it
        server.createContext("/", this::pass);
        server.start();
    }

    /** Passes every call on and answers as the worker does, until told otherwise. */
    public static ConnectFront before(ConnectWorker worker) {
        try {
            return new ConnectFront(worker.url());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Holds the worker's answer to each change from now on, until {@link #release}. */
    public ConnectFront holdingChanges() {
        holding = true;
        return this;
    }

    /**
     * Answers calls of the method and path with {@code {"error_code": status, "message": message}} in the
     * worker's stead.
     *
     * @param passedOn whether the worker gets the call all the same (Connect timing out a request it carries on with)
     */
    public ConnectFront answering(String method, String path, int status, String message, boolean passedOn) {
        answers.add(new Answer(method, path, status, message, passedOn));
        return this;
    }

    /** Told of each change ("PUT /connectors/x/stop") as it arrives, before it is passed on or answered. */
    public ConnectFront onChange(Consumer<String> listener) {
        onChange = listener;
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many changes it passed on and held the answer of. */
    public int held() {
        return held.get();
    }

    /** Every change asked of it, in order: "POST /connectors/x/restart". */
    public List<String> changes() {
        return List.copyOf(changes);
    }

    /** Answers what it holds and what comes after at once. */
    public void release() {
        released.countDown();
    }

    private void pass(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"GET".equals(method)) {
                changes.add(method + " " + path);
                onChange.accept(method + " " + path);
            }
            Answer instead = answers.stream().filter(a -> a.method().equals(method) && path.equals(a.path())).findFirst().orElse(null);
            if (instead != null) {
                if (instead.passedOn()) {
                    passOn(exchange, body);
                }
                byte[] error = ("{\"error_code\":" + instead.status() + ",\"message\":\"" + instead.message().replace("\"", "\\\"") + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                answer(exchange, instead.status(), error);
                return;
            }
            HttpResponse<byte[]> answer = passOn(exchange, body);
            if (holding && !"GET".equals(method)) {
                held.incrementAndGet();
                released.await(60, TimeUnit.SECONDS);
            }
            answer(exchange, answer.statusCode(), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gaveUp) {
            // the caller stopped waiting: what it asked is made on the worker all the same
        }
    }

    private HttpResponse<byte[]> passOn(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Accept", "application/json");
        if (body.length > 0) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
