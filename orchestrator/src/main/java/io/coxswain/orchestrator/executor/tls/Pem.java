package io.coxswain.orchestrator.executor.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * PEM text as Kafka reads it ({@code ssl.keystore.type=PEM}): certificates, and private keys as
 * unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), which Kafka reads without a key password.
 */
public final class Pem {

    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";

    private Pem() {
    }

    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The first certificate of the text. */
    public static X509Certificate certificate(String pem) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Each certificate of a PEM bundle, re-encoded the way {@link #encode} writes it, so the same
     * certificate compares equal however it was spaced; unreadable text gives none. Order kept, repeats dropped.
     */
    public static List<String> certificates(String bundle) {
        Set<String> out = new LinkedHashSet<>();
        if (bundle == null || bundle.isBlank()) {
            return List.of();
        }
        try {
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bundle.getBytes(StandardCharsets.US_ASCII)))) {
                out.add(encode(CERTIFICATE, c.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            return List.of();
        }
        return new ArrayList<>(out);
    }

    /** Certificates one after the other: a bundle Kafka's PEM truststore and the JDK read whole. */
    public static String bundle(List<String> certificates) {
        return String.join("", new LinkedHashSet<>(certificates));
    }

    /**
     * SHA-256 of the certificate's DER encoding as colon-separated upper-case hex, what
     * {@code openssl x509 -fingerprint -sha256} prints: how a person compares a CA with the state's.
     */
    public static String fingerprint(String certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate(certificate).getEncoded());
        StringBuilder out = new StringBuilder();
        for (byte b : digest) {
            out.append(out.isEmpty() ? "" : ":").append(String.format("%02X", b));
        }
        return out.toString();
    }

    /** An EC private key (the only kind Coxswain issues). */
    public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String body = pem.replace("-----BEGIN " + PRIVATE_KEY + "-----", "").replace("-----END " + PRIVATE_KEY + "-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }
}
