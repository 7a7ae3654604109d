package io.coxswain.orchestrator.executor.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Whether the key material found in the Secrets (a node's, or a client's) can still be used, and if not, why. Pure: the time is given. */
final class NodeCertificateCheck {

    /** Renewed this long before expiry: time for a checked rolling restart, and for a paused cluster to be resumed. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    enum Verdict {
        VALID(""), MISSING("missing"), EXPIRING("expires within " + RENEW_BEFORE.toDays() + " days"),
        FOREIGN("not signed by the cluster CA"), NAMES_CHANGED("lacks one of the pod's DNS names or addresses"), UNREADABLE("unreadable"),
        OTHER_SUBJECT("issued to another name");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private NodeCertificateCheck() {
    }

    /** The CA of the Secret's entries, when both parts are readable and it has not expired. */
    static Optional<KeyMaterial> usableCa(Map<String, String> entries, Instant now) {
        return usableCa(entries, TlsSecrets.CA_CERT, TlsSecrets.CA_KEY, now);
    }

    /** The CA held under the given keys, when both parts are readable and it has not expired. */
    static Optional<KeyMaterial> usableCa(Map<String, String> entries, String certKey, String keyKey, Instant now) {
        String cert = entries.get(certKey);
        String key = entries.get(keyKey);
        if (cert == null || key == null) {
            return Optional.empty();
        }
        try {
            Pem.privateKey(key);
            return Pem.certificate(cert).getNotAfter().toInstant().isAfter(now) ? Optional.of(new KeyMaterial(cert, key)) : Optional.empty();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @param hostNames DNS names and IP addresses the certificate must carry (empty: any) */
    static Verdict of(Map<String, String> entries, String pod, KeyMaterial ca, List<String> hostNames, Instant now) {
        return of(entries, pod, List.of(ca.certificate()), hostNames, now);
    }

    /**
     * @param cas the CA certificates (PEM) a kept certificate may be signed by: the signing CA, and while a
     *     new CA is being trusted ({@link CaRenewal}) the others every node trusts too
     */
    static Verdict of(Map<String, String> entries, String pod, List<String> cas, List<String> hostNames, Instant now) {
        return of(TlsSecrets.nodeMaterial(entries, pod), null, cas, hostNames, now);
    }

    /**
     * A client certificate (Coxswain's own, or a user's): kept while the cluster CA signed it for
     * {@code commonName} and it is not about to expire.
     */
    static Verdict ofClient(Optional<KeyMaterial> material, String commonName, List<String> cas, Instant now) {
        return of(material, "CN=" + commonName + ",O=coxswain", cas, List.of(), now);
    }

    /** @param subject the RFC 2253 subject the certificate must have, or null for any */
    private static Verdict of(Optional<KeyMaterial> material, String subject, List<String> cas, List<String> hostNames, Instant now) {
        if (material.isEmpty()) {
            return Verdict.MISSING;
        }
        try {
            Pem.privateKey(material.get().key());
            X509Certificate c = Pem.certificate(material.get().certificate());
            if (!signedByAny(c, cas)) {
                return Verdict.FOREIGN;
            }
            if (subject != null && !subject.equals(c.getSubjectX500Principal().getName())) {
                return Verdict.OTHER_SUBJECT;
            }
            if (!SubjectNames.in(c).containsAll(hostNames.stream().map(SubjectNames::canonical).toList())) {
                return Verdict.NAMES_CHANGED;
            }
            return c.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE)) ? Verdict.VALID : Verdict.EXPIRING;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Verdict.UNREADABLE;
        }
    }

    static boolean signedByAny(X509Certificate c, List<String> cas) {
        for (String ca : cas) {
            try {
                c.verify(Pem.certificate(ca).getPublicKey());
                return true;
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this one
            }
        }
        return false;
    }

}
