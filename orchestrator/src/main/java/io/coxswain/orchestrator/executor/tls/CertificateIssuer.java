package io.coxswain.orchestrator.executor.tls;

import io.coxswain.commands.shape.UserShape;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes key pairs and signs certificates: the only place TLS randomness comes from, so the model
 * builders stay pure. EC P-256 keys, SHA-256 ECDSA signatures: small, fast, and read by every
 * Kafka and Confluent client without extra providers.
 */
public final class CertificateIssuer {

    /** A cluster CA outlives many node certificates; replacing it means every client trusting it must be told. */
    public static final Duration CA_VALIDITY = Duration.ofDays(5 * 365);
    public static final Duration NODE_VALIDITY = Duration.ofDays(365);
    /** A client certificate's: DECIDE keeps a deleted user's name from new users for as long (see UserShape). */
    public static final Duration CLIENT_VALIDITY = UserShape.CERTIFICATE_VALIDITY;
    /** Certificates start a little in the past, so a node whose clock runs behind accepts them at once. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private final SecureRandom random;

    public CertificateIssuer() {
        this(new SecureRandom());
    }

    CertificateIssuer(SecureRandom random) {
        this.random = random;
    }

    /** A self-signed CA for one cluster: it signs that cluster's nodes only. */
    public KeyMaterial newCa(String clusterId, Instant now) {
        try {
            KeyPair keys = keyPair();
            return selfSigned(new X500Name("O=coxswain, CN=" + clusterId + " cluster CA"), keys.getPublic(), keys.getPrivate(), now);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make the CA of cluster " + clusterId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The CA's certificate renewed: the same name and key pair, a new validity. A certificate the key
     * signed verifies under either certificate, so an application that loaded only the old one keeps
     * trusting the cluster until that one expires, with no re-issue of node certificates.
     */
    public KeyMaterial renewCa(KeyMaterial ca, Instant now) {
        try {
            X509Certificate old = Pem.certificate(ca.certificate());
            X500Name name = X500Name.getInstance(old.getSubjectX500Principal().getEncoded());
            return selfSigned(name, old.getPublicKey(), Pem.privateKey(ca.key()), now);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot renew the CA certificate: " + e.getMessage(), e);
        }
    }

    private KeyMaterial selfSigned(X500Name name, PublicKey publicKey, PrivateKey privateKey, Instant now)
            throws GeneralSecurityException, OperatorCreationException, java.io.IOException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(CA_VALIDITY)), name, publicKey)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey));
        return material(sign(b, privateKey), privateKey);
    }

    /**
     * A node certificate signed by {@code ca}, for both ends of a connection: nodes authenticate each
     * other with it (mutual TLS between brokers and controllers) and serve clients with it.
     */
    public KeyMaterial node(KeyMaterial ca, String commonName, List<String> hostNames, Instant now) {
        return leaf(ca, commonName, hostNames, new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}, "certificate",
                NODE_VALIDITY, now);
    }

    /**
     * A client certificate signed by {@code ca}: subject {@code O=coxswain, CN=<commonName>}, which the
     * brokers of a cluster that authenticates clients map to the principal {@code User:<commonName>}.
     * For the client end of a connection only: no host names, client authentication its only use.
     */
    public KeyMaterial client(KeyMaterial ca, String commonName, Instant now) {
        return leaf(ca, commonName, List.of(), new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, "client certificate", CLIENT_VALIDITY, now);
    }

    /** A certificate {@code ca} signs for {@code O=coxswain, CN=<commonName>}, naming the hosts given (none: no SAN extension). */
    private KeyMaterial leaf(KeyMaterial ca, String commonName, List<String> hostNames, KeyPurposeId[] uses, String what, Duration validity,
                             Instant now) {
        try {
            X509Certificate caCert = Pem.certificate(ca.certificate());
            KeyPair keys = keyPair();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(now.minus(BACKDATE)),
                    Date.from(now.plus(validity)), new X500Name("O=coxswain, CN=" + commonName), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(uses));
            if (!hostNames.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(hostNames.stream().map(SubjectNames::of).toArray(GeneralName[]::new)));
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return material(sign(b, Pem.privateKey(ca.key())), keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue the " + what + " of " + commonName + ": " + e.getMessage(), e);
        }
    }

    private KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    /** Positive and unpredictable, as RFC 5280 asks (at most 20 bytes). */
    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static KeyMaterial material(X509Certificate certificate, PrivateKey key) throws GeneralSecurityException {
        return new KeyMaterial(Pem.encode(Pem.CERTIFICATE, certificate.getEncoded()), Pem.encode(Pem.PRIVATE_KEY, key.getEncoded()));
    }
}
