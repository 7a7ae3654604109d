package io.coxswain.gateway.auth.jwt;

import io.coxswain.commands.tls.TrustedCas;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the JWT signing keys come from, kept current: a JWKS file (a mounted ConfigMap or Secret; re-read
 * when it changes) or an http(s) URL (an identity provider's {@code jwks_uri}; fetched in the background
 * every {@link #REFRESH_EVERY}, and soon after a token names a key id the set does not have, which is how
 * a provider's key rotation shows). Requests never wait for a fetch: a key not there yet is refused, and
 * the refusal says a refresh is under way.
 */
public final class JwksSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JwksSource.class);
    static final Duration REFRESH_EVERY = Duration.ofMinutes(5);
    /** An unknown key id asks for a fetch at most this often: a stream of made-up key ids must not become a stream of fetches. */
    public static final Duration UNKNOWN_KID_REFETCH = Duration.ofSeconds(30);
    /** How often a file's modification time is looked at, from the request path. */
    private static final long FILE_CHECK_NANOS = Duration.ofSeconds(2).toNanos();

    private final String location;
    private final Path file;
    private final URI url;
    private final HttpClient http;
    private final ScheduledExecutorService refresher;
    private final long refetchNanos;
    private final AtomicLong lastFetchNanos;
    private volatile JsonWebKeys keys;
    private volatile String problem;
    private volatile long fileCheckedNanos;
    private volatile String fileStamp;

    private JwksSource(String location, Path file, URI url, SSLContext tls, Duration unknownKidRefetch) {
        this.location = location;
        this.refetchNanos = unknownKidRefetch.toNanos();
        this.lastFetchNanos = new AtomicLong(System.nanoTime() - refetchNanos);
        this.file = file;
        this.url = url;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            client.sslContext(tls);
        }
        this.http = url == null ? null : client.build();
        this.refresher = url == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coxswain-jwks-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A file is read now, and a broken one stops the start (naming the problem); a URL is fetched now, and
     * one that cannot be reached is retried in the background with a warning: an identity provider that is
     * briefly down must not keep the gateway from starting.
     */
    public static JwksSource of(String location) {
        return of(location, null, UNKNOWN_KID_REFETCH);
    }

    /**
     * @param caCertificates a PEM file of CA certificates to trust, besides the JVM's own, for an https URL
     *     whose server has a private CA's certificate (an identity provider inside the cluster); or null
     * @param unknownKidRefetch the least time between two fetches asked for by unknown key ids
     */
    public static JwksSource of(String location, Path caCertificates, Duration unknownKidRefetch) {
        boolean url = isUrl(location);
        if (caCertificates != null && !location.startsWith("https://")) {
            throw new IllegalArgumentException("--jwt-keys-cacert is for an https:// --jwt-keys URL; " + location + " is " + (url ? "plain http" : "a file"));
        }
        if (url) {
            SSLContext tls = caCertificates == null ? null : TrustedCas.sslContext(caCertificates, "--jwt-keys-cacert");
            JwksSource source = new JwksSource(location, null, URI.create(location), tls, unknownKidRefetch);
            source.fetch();
            source.refresher.scheduleWithFixedDelay(source::fetch, REFRESH_EVERY.toMillis(), REFRESH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            return source;
        }
        Path path = Path.of(location);
        JwksSource source = new JwksSource(location, path, null, null, unknownKidRefetch);
        try {
            source.fileStamp = source.stamp();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the JWT keys file " + path + ": " + e.getMessage());
        }
        source.fileCheckedNanos = System.nanoTime();
        source.keys = JsonWebKeys.parse(source.readFile(), path.toString());
        return source;
    }

    static boolean isUrl(String location) {
        return location.startsWith("https://") || location.startsWith("http://");
    }

    public String location() {
        return location;
    }

    /** The keys, or empty while a URL has never been fetched. */
    public Optional<JsonWebKeys> current() {
        if (file != null) {
            recheckFile();
        }
        return Optional.ofNullable(keys);
    }

    /** Why there are no keys (or why the last refresh failed), for a refusal's message. */
    public String problem() {
        return problem;
    }

    /** A token named a key the set does not hold: fetch again soon, if this source can (a file is re-read when it changes anyway). */
    public boolean refreshForUnknownKey() {
        if (url == null) {
            return false;
        }
        long last = lastFetchNanos.get();
        long now = System.nanoTime();
        if (now - last >= refetchNanos && lastFetchNanos.compareAndSet(last, now)) {
            refresher.execute(this::fetch);
        }
        return true;
    }

    private void fetch() {
        lastFetchNanos.set(System.nanoTime());
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            JsonWebKeys fetched = JsonWebKeys.parse(response.body(), url.toString());
            if (keys == null || problem != null) {
                log.info("gateway: JWT keys from {}: {} signature keys", url, fetched.size());
            }
            keys = fetched;
            problem = null;
        } catch (IOException | IllegalArgumentException e) {
            problem = "the JWT keys could not be fetched from " + url + ": " + e.getMessage() + (e instanceof SSLHandshakeException
                    ? " (a provider whose certificate comes from a private CA needs that CA's certificate: --jwt-keys-cacert FILE)" : "");
            log.warn("gateway: {}; {}", problem, keys == null ? "JWTs are refused until they can be, retrying in 30 s"
                    : "the keys fetched before stay in use");
            if (keys == null) {
                refresher.schedule(this::fetch, 30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void recheckFile() {
        long now = System.nanoTime();
        if (now - fileCheckedNanos < FILE_CHECK_NANOS) {
            return;
        }
        fileCheckedNanos = now;
        try {
            String stamp = stamp();
            if (stamp.equals(fileStamp)) {
                return;
            }
            fileStamp = stamp; // a broken file is reported once, and read again when it changes again
            JsonWebKeys read = JsonWebKeys.parse(readFile(), file.toString());
            log.info("gateway: JWT keys re-read from {}: {} signature keys", file, read.size());
            keys = read;
            problem = null;
        } catch (IOException | IllegalArgumentException e) {
            problem = "the JWT keys file " + file + " could not be re-read: " + e.getMessage();
            log.warn("gateway: {}; the keys read before stay in use", problem);
        }
    }

    private String stamp() throws IOException {
        return Files.getLastModifiedTime(file) + "/" + Files.size(file);
    }

    private String readFile() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the JWT keys file " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
