package io.coxswain.orchestrator.executor.tls;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a cluster's CA without the nodes losing each other, as a resumable process whose state is
 * the entries of the CA Secret ({@code <cluster>-cluster-ca}) and nothing else:
 *
 * <pre>
 *   steady        ca.crt/ca.key sign; retired-ca.crt (if any) still trusted
 *     │ the CA expires within 180 days, or is unusable while pods run
 *     ▼
 *   1. trust both  next-ca.crt/next-ca.key made and added to every trust bundle; node certificates
 *                  unchanged; the bundle change counts as a renewal, so the pods roll to load it
 *     │ every pod was started at (or after) that renewal
 *     ▼
 *   2. re-issue    next-ca becomes ca (it signs), the old ca.crt moves to retired-ca.crt; a node
 *                  certificate the old key signed is re-issued under the new CA and the pods roll again:
 *                  old and new certificates interoperate because every node trusts both. An expiring
 *                  CA is renewed with its own key, so its node certificates stay valid: nothing re-issued
 *     │ the retired certificate expires and every pod runs the re-issued certificates
 *     ▼
 *   3. retire      retired-ca.crt drops it: no roll, the nodes present only new certificates by then
 * </pre>
 *
 * The old CA stays trusted until it expires (180 days after an automatic renewal) rather than being
 * dropped with a third roll: an expired CA vouches for nothing, and applications that mounted
 * {@code <cluster>-cluster-ca-cert} get that long to reload the bundle. An executor restarted at any
 * point reads the entries and carries on: each step's writes are repeated until they are all made.
 * A replacement a person asks for, with a new key and the old CA trusted nowhere at its end, is
 * {@link CaReplacement}'s: this class begins it and hands each of its steps over.
 */
final class CaRenewal {

    private static final Logger log = LoggerFactory.getLogger(CaRenewal.class);

    /** A checked roll (two for a replaced key), and time for applications to reload the bundle before the old CA certificate expires. */
    static final Duration RENEW_BEFORE = Duration.ofDays(180);
    static final String NEXT_CERT = "next-ca.crt";
    static final String NEXT_KEY = "next-ca.key";
    /** CA certificates no longer signing but still trusted, as a PEM bundle. */
    static final String RETIRED_CERTS = "retired-ca.crt";

    /**
     * What a check goes by: the CA that signs new node certificates, the CAs an existing node
     * certificate may be signed by and be kept, the trust bundle every reader of {@code ca.crt} gets,
     * the CA Secret's wanted entries (with why, when they change), whether a roll is awaited, and whether CA
     * certificates leaving the bundle must be dropped by a roll (a replaced CA is trusted nowhere, unlike a retired
     * certificate that merely expired).
     */
    record Plan(KeyMaterial signer, List<String> accepted, List<String> trusted, Map<String, String> caEntries, String caReason,
                boolean awaitingRoll, boolean distrusting) {

        Plan(KeyMaterial signer, List<String> accepted, List<String> trusted, Map<String, String> caEntries, String caReason, boolean awaitingRoll) {
            this(signer, accepted, trusted, caEntries, caReason, awaitingRoll, false);
        }
    }

    private final CertificateIssuer issuer;

    CaRenewal(CertificateIssuer issuer) {
        this.issuer = issuer;
    }

    /**
     * @param ca the CA Secret's entries (empty when it is missing)
     * @param nodes the node Secret's entries
     * @param renewals the node Secret's renewal count: the one pods started since it was written carry
     * @param pods read only when a step depends on them: the common steady pass reads no pod
     */
    Plan decide(ClusterNames names, Map<String, String> ca, Map<String, String> nodes, int renewals, Supplier<PodRenewals> pods, Instant now) {
        return decide(names, ca, nodes, renewals, pods, now, Optional.empty());
    }

    /**
     * @param replacing the ReplaceClusterCa whose operation runs ({@link CaReplacement#underWay}): a replacement begins,
     *     or one under way advances, only then
     */
    Plan decide(ClusterNames names, Map<String, String> ca, Map<String, String> nodes, int renewals, Supplier<PodRenewals> pods, Instant now,
                Optional<String> replacing) {
        Plan plan = planFor(names, ca, nodes, renewals, pods, now, replacing);
        String lastReplacement = ca.get(CaReplacement.REQUEST);
        // a replacement under way that the ordinary renewal had to take over (its CA unusable) is not done: it begins anew
        boolean interrupted = ca.containsKey(CaReplacement.STEP);
        if (lastReplacement != null && !interrupted && !plan.caEntries().containsKey(CaReplacement.REQUEST)) {
            // kept whatever happens next: the request carried out is known as done, and never begun again
            Map<String, String> entries = new TreeMap<>(plan.caEntries());
            entries.put(CaReplacement.REQUEST, lastReplacement);
            return new Plan(plan.signer(), plan.accepted(), plan.trusted(), entries, plan.caReason(), plan.awaitingRoll(), plan.distrusting());
        }
        return plan;
    }

    private Plan planFor(ClusterNames names, Map<String, String> ca, Map<String, String> nodes, int renewals, Supplier<PodRenewals> pods, Instant now,
                         Optional<String> replacing) {
        if (ca.containsKey(CaReplacement.STEP)) {
            Optional<Plan> step = CaReplacement.carryOn(names, ca, nodes, renewals, replacing, pods, now);
            if (step.isPresent()) {
                return step.get();
            }
        }
        Optional<KeyMaterial> current = NodeCertificateCheck.usableCa(ca, now);
        Optional<KeyMaterial> next = NodeCertificateCheck.usableCa(ca, NEXT_CERT, NEXT_KEY, now);
        List<String> retired = Pem.certificates(ca.get(RETIRED_CERTS));
        if (next.isPresent()) {
            return trustingBoth(names, current, next.get(), retired, nodes, renewals, pods.get());
        }
        if (current.isEmpty()) {
            return replaceUnusable(names, ca, nodes, retired, pods.get(), now);
        }
        if (replacing.isPresent() && !replacing.get().equals(ca.get(CaReplacement.REQUEST))) {
            return CaReplacement.begin(names, current.get(), issuer.newCa(names.clusterId(), now), retired, replacing.get());
        }
        Instant expiry = notAfter(current.get().certificate());
        if (expiry.isBefore(now.plus(RENEW_BEFORE))) {
            // the same key: what it signed verifies under the old certificate and the new, so applications that
            // loaded only the old one keep working until it expires, and no node certificate needs re-issuing
            KeyMaterial fresh = issuer.renewCa(current.get(), now);
            log.info("cluster {}: CA renewal step 1 of 2: the CA certificate expires at {}; a renewed certificate of the same key is"
                    + " trusted beside it and the pods roll to load both. Applications mounting Secret {} see both certificates: they"
                    + " must reload it before {}", names.clusterId(), expiry, names.clusterCaCertSecret(), expiry);
            return startRenewal(current, fresh, retired, "CA renewal, step 1 of 2: the CA certificate expires at " + expiry + " (within "
                    + RENEW_BEFORE.toDays() + " days); it is renewed with the same key and trusted beside the old one");
        }
        return steady(names, current.get(), retired, renewals, pods, now);
    }

    /** Step 1 under way: wait until every pod loaded the bundle, then let the new CA sign (step 2). */
    private Plan trustingBoth(ClusterNames names, Optional<KeyMaterial> current, KeyMaterial next, List<String> retired,
                              Map<String, String> nodes, int renewals, PodRenewals pods) {
        List<String> trusted = trust(current.map(KeyMaterial::certificate), next.certificate(), retired);
        boolean written = Pem.certificates(nodes.get(TlsSecrets.CA_CERT)).containsAll(trusted);
        if (!written || !pods.allStartedAtLeast(renewals)) {
            log.debug("cluster {}: CA renewal step 1 of 2: waiting for pods {} to restart with both CAs trusted", names.clusterId(),
                    written ? pods.behind(renewals) : "(all)");
            return new Plan(current.orElse(next), trusted, trusted, entries(current, Optional.of(next), retired), stepOne(), true);
        }
        List<String> stillTrusted = new ArrayList<>(retired);
        current.ifPresent(c -> stillTrusted.add(c.certificate()));
        log.info("cluster {}: CA renewal step 2 of 2: every pod trusts the new CA; it now signs, node certificates are re-issued and the"
                + " pods roll again. The old CA stays trusted until it expires", names.clusterId());
        return new Plan(next, List.of(next.certificate()), trust(Optional.of(next.certificate()), null, stillTrusted),
                entries(Optional.of(next), Optional.empty(), stillTrusted),
                "CA renewal, step 2 of 2: every pod was restarted trusting both CAs; the new CA now signs, so node certificates are"
                        + " re-issued under it (the old CA stays trusted until it expires)", false);
    }

    /**
     * No usable CA. With pods running on certificates of the old one, its certificate (from the CA
     * Secret, or from the node Secret's {@code ca.crt} when the CA Secret is gone) stays trusted
     * through the staged renewal; its key is not needed for that. With no pod running, or nothing
     * of the old CA left to trust, a new CA is made and used at once.
     */
    private Plan replaceUnusable(ClusterNames names, Map<String, String> ca, Map<String, String> nodes, List<String> retired,
                                 PodRenewals pods, Instant now) {
        KeyMaterial fresh = issuer.newCa(names.clusterId(), now);
        List<String> old = oldTrust(ca, nodes);
        if (!pods.anyRunning() || old.isEmpty()) {
            boolean first = ca.isEmpty() && nodes.isEmpty();
            if (!first) {
                log.warn("cluster {}: Secret {} holds no usable CA ({}) and {}; a new CA is made and used at once. Applications must trust"
                        + " the new ca.crt of Secret {}", names.clusterId(), names.clusterCaSecret(), why(ca, now),
                        pods.anyRunning() ? "no certificate of the old CA is left to keep trusting" : "no pod runs", names.clusterCaCertSecret());
            }
            return new Plan(fresh, List.of(fresh.certificate()), List.of(fresh.certificate()), entries(Optional.of(fresh), Optional.empty(), List.of()),
                    first ? "cluster " + names.clusterId() + " needs its own CA to sign its nodes' certificates"
                            : "holds no usable CA (" + why(ca, now) + "); a new CA is made", false);
        }
        List<String> stillTrusted = new ArrayList<>(retired);
        stillTrusted.addAll(old);
        log.warn("cluster {}: Secret {} holds no usable CA ({}) while pods run; CA renewal step 1 of 2: the old CA certificate stays"
                + " trusted, a new CA is trusted beside it and the pods roll to load both, then node certificates are re-issued."
                + " Applications mounting Secret {} must reload it", names.clusterId(), names.clusterCaSecret(), why(ca, now),
                names.clusterCaCertSecret());
        return startRenewal(Optional.empty(), fresh, stillTrusted, "CA renewal, step 1 of 2: the Secret held no usable CA ("
                + why(ca, now) + "); the old CA certificate stays trusted and a new CA is made and trusted beside it");
    }

    /** Until every pod loaded the bundle, node certificates are kept and new ones signed by the old CA while its key is known. */
    private static Plan startRenewal(Optional<KeyMaterial> current, KeyMaterial fresh, List<String> retired, String why) {
        List<String> trusted = trust(current.map(KeyMaterial::certificate), fresh.certificate(), retired);
        return new Plan(current.orElse(fresh), trusted, trusted, entries(current, Optional.of(fresh), retired),
                why + "; the pods roll to load both, node certificates are re-issued once every pod has restarted", true);
    }

    /** Retired certificates leave once expired and every pod runs the certificates of the last re-issue: no roll needed. */
    private static Plan steady(ClusterNames names, KeyMaterial current, List<String> retired, int renewals, Supplier<PodRenewals> pods, Instant now) {
        List<String> expired = retired.stream().filter(c -> !notAfter(c).isAfter(now)).toList();
        List<String> keep = retired;
        String reason = null;
        if (!expired.isEmpty() && pods.get().allStartedAtLeast(renewals)) {
            keep = retired.stream().filter(c -> !expired.contains(c)).toList();
            reason = "retires " + expired.size() + " expired CA certificate(s): every pod runs certificates of the current CA";
            log.info("cluster {}: CA renewal done: {} expired CA certificate(s) leave the trust bundles (no roll); Secret {} holds the current"
                    + " CA{}", names.clusterId(), expired.size(), names.clusterCaCertSecret(), keep.isEmpty() ? " only" : " and " + keep.size() + " more");
        }
        List<String> accepted = List.of(current.certificate());
        return new Plan(current, accepted, trust(Optional.of(current.certificate()), null, keep), entries(Optional.of(current), Optional.empty(), keep),
                reason, false);
    }

    private static String stepOne() {
        return "CA renewal, step 1 of 2: a new CA is trusted beside the old one; the pods roll to load both";
    }

    /** The signing CA first, then the next, then the retired ones: the same inputs always give the same bundle. */
    static List<String> trust(Optional<String> current, String next, List<String> retired) {
        Set<String> all = new LinkedHashSet<>();
        current.ifPresent(all::add);
        if (next != null) {
            all.add(next);
        }
        all.addAll(retired);
        return List.copyOf(all);
    }

    static Map<String, String> entries(Optional<KeyMaterial> current, Optional<KeyMaterial> next, List<String> retired) {
        Map<String, String> entries = new TreeMap<>();
        current.ifPresent(c -> {
            entries.put(TlsSecrets.CA_CERT, c.certificate());
            entries.put(TlsSecrets.CA_KEY, c.key());
        });
        next.ifPresent(n -> {
            entries.put(NEXT_CERT, n.certificate());
            entries.put(NEXT_KEY, n.key());
        });
        if (!retired.isEmpty()) {
            entries.put(RETIRED_CERTS, Pem.bundle(retired));
        }
        return entries;
    }

    /**
     * The certificates of the CA being replaced that the nodes need to keep trusting: those, of the CA
     * Secret's {@code ca.crt} and the node Secret's bundle, that signed a node certificate there.
     */
    private static List<String> oldTrust(Map<String, String> ca, Map<String, String> nodes) {
        Set<String> candidates = new LinkedHashSet<>(Pem.certificates(ca.get(TlsSecrets.CA_CERT)));
        candidates.addAll(Pem.certificates(nodes.get(TlsSecrets.CA_CERT)));
        List<X509Certificate> nodeCertificates = new ArrayList<>();
        for (String pod : TlsSecrets.podsIn(nodes)) {
            try {
                nodeCertificates.add(Pem.certificate(nodes.get(TlsSecrets.certificateKey(pod))));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // unreadable: vouches for no CA
            }
        }
        return candidates.stream().filter(c -> nodeCertificates.stream().anyMatch(n -> NodeCertificateCheck.signedByAny(n, List.of(c)))).toList();
    }

    private static String why(Map<String, String> ca, Instant now) {
        if (ca.isEmpty()) {
            return "the Secret is missing";
        }
        try {
            Instant expiry = notAfter(ca.get(TlsSecrets.CA_CERT));
            return expiry.isAfter(now) ? "its key is missing or unreadable" : "expired at " + expiry;
        } catch (IllegalStateException e) {
            return "unreadable";
        }
    }

    private static Instant notAfter(String certificate) {
        try {
            return Pem.certificate(certificate).getNotAfter().toInstant();
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("unreadable certificate", e);
        }
    }
}
