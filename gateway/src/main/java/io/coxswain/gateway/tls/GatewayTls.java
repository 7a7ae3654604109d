package io.coxswain.gateway.tls;

import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * The gateway's certificate and private key, as PEM files: what cert-manager or any Kubernetes TLS
 * Secret ({@code tls.crt}, {@code tls.key}) provides. Checked when the gateway is configured, so a
 * wrong path or file stops start-up with a message saying which; re-read when the files change (see
 * {@link CertificateReloader}), so a renewed certificate needs no restart.
 *
 * @param reloadEvery how often the files are checked for a change
 */
public record GatewayTls(Path certificate, Path key, Duration reloadEvery) {

    public static final Duration DEFAULT_RELOAD = Duration.ofSeconds(30);

    /** Checks both files now; the message of a failure names the file and what is wrong with it. */
    public static GatewayTls of(Path certificate, Path key, Duration reloadEvery) {
        GatewayTls tls = new GatewayTls(certificate, key, reloadEvery);
        tls.read();
        String keyText = text(key, "--tls-key");
        if (!keyText.contains("PRIVATE KEY-----")) {
            throw new IllegalArgumentException("--tls-key " + key + " holds no PEM private key (a '-----BEGIN PRIVATE KEY-----' block, "
                    + "or RSA/EC PRIVATE KEY); give the key that belongs to " + certificate);
        }
        return tls;
    }

    /** The server certificate, first of the PEM file (a chain may follow it). */
    public X509Certificate read() {
        text(certificate, "--tls-cert");
        try (InputStream in = Files.newInputStream(certificate)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls-cert " + certificate + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private static String text(Path file, String option) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + " cannot be read: " + e, e);
        }
    }

    /** What the log says about the certificate in the file: subject, issuer, expiry. */
    public String describe() {
        return describe(read());
    }

    static String describe(X509Certificate c) {
        Instant until = c.getNotAfter().toInstant();
        String warning = until.isBefore(Instant.now().plus(Duration.ofDays(14))) ? " — EXPIRES WITHIN 14 DAYS: renew it" : "";
        return "'" + c.getSubjectX500Principal().getName() + "' issued by '" + c.getIssuerX500Principal().getName() + "', valid until " + until + warning;
    }

    /** Changes when either file is replaced or rewritten (a Kubernetes Secret volume swaps a symlink, which this follows). */
    long stamp() {
        try {
            return Files.getLastModifiedTime(certificate).toMillis() * 31 + Files.size(certificate) * 17
                    + Files.getLastModifiedTime(key).toMillis() + Files.size(key);
        } catch (IOException e) {
            return -1; // mid-swap or gone: compare again at the next check
        }
    }

    public PemKeyCertOptions keyCertOptions() {
        return new PemKeyCertOptions().setCertPath(certificate.toString()).setKeyPath(key.toString());
    }
}
