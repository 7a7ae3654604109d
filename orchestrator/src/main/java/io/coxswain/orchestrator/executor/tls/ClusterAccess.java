package io.coxswain.orchestrator.executor.tls;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Coxswain's own work on a managed cluster gets from the TLS step ({@link ClusterTls#access}):
 * the CA certificate(s) to trust, Coxswain's client certificate to present ({@code CN=coxswain-operator}),
 * and client certificates issued for users by the cluster CA. The CA's key stays inside: whoever holds
 * this can have a client certificate issued, never take the key itself. Never logged ({@link #toString}).
 */
public final class ClusterAccess {

    private final String caCertificate;
    private final KeyMaterial operator;
    private final KeyMaterial signer;
    private final List<String> accepted;
    private final CertificateIssuer issuer;

    /** Made by {@link ClusterTls} from its last check; {@code signer} and {@code accepted} as {@link CaRenewal} planned them. */
    public ClusterAccess(String caCertificate, KeyMaterial operator, KeyMaterial signer, List<String> accepted, CertificateIssuer issuer) {
        this.caCertificate = caCertificate;
        this.operator = operator;
        this.signer = signer;
        this.accepted = List.copyOf(accepted);
        this.issuer = issuer;
    }

    /** The CA certificate (PEM) to trust: one, or while the CA is renewed a bundle of both. */
    public String caCertificate() {
        return caCertificate;
    }

    /** Coxswain's own client certificate and key, as {@code <cluster>-operator-tls} holds them. */
    public KeyMaterial operator() {
        return operator;
    }

    /** Client settings presenting Coxswain's certificate: see {@link ClusterTrust#clientConfig(ClusterAccess, boolean)}. */
    public Map<String, Object> clientConfig(boolean verifyHostnames) {
        return ClusterTrust.clientConfig(this, verifyHostnames);
    }

    /** A new client certificate for {@code name} ({@code CN=<name>, O=coxswain}), signed by the cluster CA. */
    public KeyMaterial issueClient(String name, Instant now) {
        return issuer.client(signer, name, now);
    }

    /**
     * Why a client certificate kept for {@code name} must be issued again: missing, unreadable, not
     * signed by the cluster CA, issued to another name, or near its expiry; empty while it is good.
     */
    public Optional<String> whyReissue(Optional<KeyMaterial> kept, String name, Instant now) {
        NodeCertificateCheck.Verdict verdict = NodeCertificateCheck.ofClient(kept, name, accepted, now);
        return verdict == NodeCertificateCheck.Verdict.VALID ? Optional.empty() : Optional.of(verdict.reason());
    }

    /** Same trust and same identity: an Admin client made with the one serves the other. */
    public boolean sameClientAs(ClusterAccess other) {
        return other != null && caCertificate.equals(other.caCertificate) && operator.equals(other.operator);
    }

    @Override
    public String toString() {
        return "ClusterAccess[certificates and keys withheld]";
    }
}
