package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coxswain.commands.tls.TrustedCas;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** The gateway's REST API over {@code java.net.http}: what {@code cox} talks to. */
final class GatewayClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer; {@code json} is null when the body was not JSON. */
    record Response(int status, JsonNode json, String body) {
        String error() {
            return json != null && json.hasNonNull("error") ? json.get("error").asText() : body;
        }
    }

    /** How long the gateway gets to accept a connection: an address where nothing answers is reported this soon. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long one request, and over HTTPS the TLS handshake before it, may take. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String base;
    private final String token;
    private final HttpClient http;
    private final Duration connectTimeout;
    /** Over HTTPS, whether the gateway's port is known to accept connections (see {@link #reachable}). */
    private boolean reached;

    /** @param caCert a PEM file of CA certificates to trust besides the JVM's own, or null */
    GatewayClient(String base, String token, Path caCert) {
        this(base, token, caCert, CONNECT_TIMEOUT);
    }

    GatewayClient(String base, String token, Path caCert, Duration connectTimeout) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.connectTimeout = connectTimeout;
        this.reached = !this.base.startsWith("https://");
        // The JDK client's connect timeout runs until the TLS handshake is over, and a first handshake (a new JVM, a busy
        // gateway) can take seconds: over HTTPS the connection is tried on its own first (reachable), within the connect
        // timeout, and the handshake gets a request's time.
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(reached ? connectTimeout : REQUEST_TIMEOUT);
        if (caCert != null) {
            try {
                b.sslContext(TrustedCas.sslContext(caCert, "--cacert"));
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.BAD_INPUT, e.getMessage());
            }
        }
        this.http = b.build();
    }

    Response get(String path) {
        return send(request(path).GET().build());
    }

    Response post(String path, JsonNode body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /** Reads server-sent events, calling {@code onData} with each event's data, until the stream ends. */
    int stream(String path, Consumer<String> onData) {
        try {
            reachable();
            HttpResponse<InputStream> r = http.send(request(path).timeout(Duration.ofDays(365)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
                throw CliException.of(r.statusCode(), parse(body) == null ? body : parse(body).path("error").asText(body));
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        onData.accept(line.substring(6));
                    }
                }
            }
            return 0;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response send(HttpRequest request) {
        try {
            reachable();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), parse(r.body()), r.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(130, "interrupted");
        }
    }

    /**
     * Over HTTPS, once: a TCP connection to the gateway's address within the connect timeout, closed at once. Throws what
     * {@link #unreachable} makes of a failure; a port that accepts is left to the request.
     */
    private void reachable() throws IOException {
        if (reached) {
            return;
        }
        URI uri = URI.create(base);
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(uri.getHost(), uri.getPort() == -1 ? 443 : uri.getPort()), (int) connectTimeout.toMillis());
        }
        reached = true;
    }

    private CliException unreachable(IOException e) {
        if (e instanceof SSLHandshakeException && untrusted(e)) {
            return new CliException(CliException.UNAVAILABLE, "the gateway at " + base + " presented a certificate this machine does not trust ("
                    + e.getMessage() + "); pass --cacert FILE (env COX_CACERT) with the CA that signed it ('coxswain dev --tls' prints it as ca=...)");
        }
        if (e instanceof SSLException) {
            return new CliException(CliException.UNAVAILABLE, "TLS with the gateway at " + base + " failed (" + e.getMessage()
                    + "); check that --gateway has the right scheme (https:// for a gateway started with TLS, http:// without)");
        }
        String why = e instanceof ConnectException ? "connection refused"
                : e instanceof SocketTimeoutException ? "no connection within " + connectTimeout.toSeconds() + " s"
                : e instanceof HttpTimeoutException ? "timed out" : e.toString();
        // a TLS server closes a plain-HTTP connection without a byte of answer
        String scheme = base.startsWith("http://") && String.valueOf(e.getMessage()).contains("received no bytes")
                ? "; if the gateway serves HTTPS, use https://" : "";
        return new CliException(CliException.UNAVAILABLE, "cannot reach the gateway at " + base + " (" + why
                + "); set --gateway or COX_GATEWAY to the URL printed in the 'Coxswain ready:' line" + scheme);
    }

    /** A handshake refused for the gateway's certificate, rather than cut short (a closed connection, a protocol mismatch). */
    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
