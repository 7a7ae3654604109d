package io.coxswain.gateway.tls;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ServerSSLOptions;
import java.security.cert.X509Certificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the gateway's certificate and key when their files change, so that a renewed
 * certificate (cert-manager, a rotated Secret) is served to new connections without a restart.
 * Connections already open keep the certificate they were made with. A change is applied once the
 * files have stood still for one check, so that a certificate copied a moment before its key is not
 * served with the old key. A file that does not load leaves the current certificate in place, and the
 * log says why.
 */
public final class CertificateReloader {

    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

    private final GatewayTls tls;
    private final HttpServer server;
    private long stamp;
    private long pending = -1;
    private volatile long notAfterSeconds;

    private CertificateReloader(GatewayTls tls, HttpServer server) {
        this.tls = tls;
        this.server = server;
        this.stamp = tls.stamp();
        this.notAfterSeconds = tls.read().getNotAfter().toInstant().getEpochSecond();
    }

    public static CertificateReloader watch(Vertx vertx, HttpServer server, GatewayTls tls) {
        CertificateReloader reloader = new CertificateReloader(tls, server);
        vertx.setPeriodic(tls.reloadEvery().toMillis(), id -> reloader.check());
        return reloader;
    }

    /** When the certificate being served expires, in seconds since the epoch: what an expiry alert watches. */
    public long notAfterSeconds() {
        return notAfterSeconds;
    }

    private void check() {
        long now = tls.stamp();
        if (now == stamp || now == -1) {
            pending = -1;
            return;
        }
        if (now != pending) {
            pending = now; // changed since the last check: wait until it stands still
            return;
        }
        stamp = now;
        pending = -1;
        X509Certificate read;
        try {
            read = tls.read(); // once: the file may change again between two reads
        } catch (IllegalArgumentException e) {
            log.warn("The gateway's TLS files changed but do not load ({}); still serving the previous certificate", e.getMessage());
            return;
        }
        // force: the paths are the same as before, only the files' contents changed
        server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(tls.keyCertOptions()), true).onComplete(ar -> {
            if (ar.succeeded()) {
                notAfterSeconds = read.getNotAfter().toInstant().getEpochSecond();
                log.info("The gateway's TLS certificate changed on disk: now serving {}", GatewayTls.describe(read));
            } else {
                log.warn("The gateway's TLS files changed but do not load ({}); still serving the previous certificate", ar.cause().toString());
            }
        });
    }
}
