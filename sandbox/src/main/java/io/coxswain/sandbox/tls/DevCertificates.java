package io.coxswain.sandbox.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA and a server certificate for {@code localhost} and {@code 127.0.0.1}, as PEM files,
 * for a gateway with TLS on a development machine ({@code coxswain dev --tls}) and in tests. Kept in
 * a directory and reused while the server certificate has more than a day to run, so that a client
 * that trusts the CA keeps trusting it across restarts. The CA's private key is not kept: it signs
 * once, and a new set replaces the old one when it expires.
 *
 * @param ca          the CA certificate, for clients to trust ({@code cox --cacert})
 * @param certificate the server certificate (PEM)
 * @param key         the server's private key (PKCS#8 PEM), readable by the owner only
 */
public record DevCertificates(Path ca, Path certificate, Path key) {

    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The set in {@code dir}, made if it is missing or expires within a day. */
    public static DevCertificates ensure(Path dir) {
        DevCertificates files = new DevCertificates(dir.resolve("ca.pem"), dir.resolve("gateway.pem"), dir.resolve("gateway-key.pem"));
        try {
            if (Files.exists(files.ca) && Files.exists(files.certificate) && Files.exists(files.key)
                    && read(files.certificate).getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(1)))) {
                return files;
            }
            Files.createDirectories(dir);
            files.write();
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the development certificates in " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the development certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void write() throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        KeyPair caKeys = ecKeys();
        X500Name caName = new X500Name("CN=Coxswain development CA " + now.getEpochSecond());
        X509v3CertificateBuilder caCert = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(VALIDITY)), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate caCertificate = sign(caCert, caKeys.getPrivate());

        KeyPair serverKeys = ecKeys();
        X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(VALIDITY)), new X500Name("CN=localhost"), serverKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}));
        X509Certificate serverCertificate = sign(server, caKeys.getPrivate());

        Files.writeString(ca, pem("CERTIFICATE", caCertificate.getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(certificate, pem("CERTIFICATE", serverCertificate.getEncoded()), StandardCharsets.US_ASCII);
        Files.deleteIfExists(key);
        Files.createFile(key);
        try {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the key keeps the default permissions
        }
        Files.writeString(key, pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate read(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The server certificate's public key, to tell one generated set from another. */
    public PublicKey serverKey() {
        try {
            return read(certificate).getPublicKey();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + certificate + ": " + e.getMessage(), e);
        }
    }
}
