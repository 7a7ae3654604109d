package io.coxswain.orchestrator.executor.tls;

import io.coxswain.avro.state.CaReplacementRequest;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.OperationStatus;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster CA replaced with one of a new key because a person asked ({@code ReplaceClusterCa}): a key
 * that may be compromised, or a policy's rotation. Unlike {@link CaRenewal}'s renewal of an expiring
 * CA, which keeps the old certificate trusted until it expires, a replacement ends with the old CA
 * (and every older one still trusted) trusted nowhere. Its state is the CA Secret's entries:
 *
 * <pre>
 *   1. trust-new-ca          next-ca.crt/next-ca.key, a new key, trusted beside ca.crt; the pods roll to load both
 *   2. reissue-certificates  the new CA signs: node, operator and user certificates are re-issued under it; the old
 *                            CA and any retired ones wait in distrusted-ca.crt, still trusted; the pods roll again
 *   3. distrust-old-ca       distrusted-ca.crt leaves every trust bundle; the pods roll so no node trusts it
 *   done                     replacement-step gone; replacement-request names the request carried out
 * </pre>
 *
 * A step advances only while the request's operation runs (the fold shows it RUNNING): an abandoned
 * replacement stays where it stood, every certificate issued so far still working, until a new
 * request carries it on. Each step waits until every pod started with the previous step's files.
 */
public final class CaReplacement {

    private static final Logger log = LoggerFactory.getLogger(CaReplacement.class);

    /** The operation's name in {@code status.operation.operation}, as the fold and the drivers know it. */
    public static final String OPERATION = "ReplaceClusterCa";
    /** The ReplaceClusterCa a replacement under way, or the last one done, was made for. */
    static final String REQUEST = "replacement-request";
    /** The step under way; absent once the replacement is done. */
    static final String STEP = "replacement-step";
    /** CA certificates still trusted during step 2, trusted nowhere from step 3 on. */
    static final String DISTRUSTED_CERTS = "distrusted-ca.crt";

    /** Where a requested replacement stands, as the CA Secret says: the drivers' view of it. */
    public enum Progress {
        /** Not begun for this request: the reconcile step begins it (or carries on one begun for an earlier request). */
        NOT_STARTED("trust-new-ca"),
        TRUST_NEW("trust-new-ca"),
        REISSUE("reissue-certificates"),
        DISTRUST("distrust-old-ca"),
        DONE("distrust-old-ca");

        private final String step;

        Progress(String step) {
            this.step = step;
        }

        /** The operation step this phase is recorded as. */
        public String step() {
            return step;
        }
    }

    private CaReplacement() {
    }

    /** @param ca the CA Secret's entries */
    public static Progress progress(Map<String, String> ca, String requestId) {
        if (!requestId.equals(ca.get(REQUEST))) {
            return Progress.NOT_STARTED;
        }
        return ca.get(STEP) == null ? Progress.DONE : stepOf(ca.get(STEP));
    }

    private static Progress stepOf(String step) {
        return Progress.REISSUE.step().equals(step) ? Progress.REISSUE : Progress.DISTRUST.step().equals(step) ? Progress.DISTRUST : Progress.TRUST_NEW;
    }

    /** The request whose operation the log shows RUNNING: only then does a replacement advance. */
    static Optional<String> underWay(ClusterState state) {
        CaReplacementRequest request = state.getSpec().getCaReplacement();
        OperationStatus op = state.getStatus().getOperation();
        boolean running = request != null && op != null && OPERATION.equals(op.getOperation()) && "RUNNING".equals(op.getState())
                && request.getCommandId().equals(op.getCauseCommandId());
        return running ? Optional.of(request.getCommandId()) : Optional.empty();
    }

    /** Step 1 begins: {@code fresh}, of a new key, trusted beside the current CA; until every pod loaded both, the current one signs. */
    static CaRenewal.Plan begin(ClusterNames names, KeyMaterial current, KeyMaterial fresh, List<String> retired, String request) {
        log.info("cluster {}: CA replacement (ReplaceClusterCa {}), step 1 of 3: a CA of a new key is trusted beside the old one and the pods"
                + " roll to load both. Applications mounting Secret {} must reload it before step 2's roll", names.clusterId(), request,
                names.clusterCaCertSecret());
        List<String> trusted = CaRenewal.trust(Optional.of(current.certificate()), fresh.certificate(), retired);
        return new CaRenewal.Plan(current, trusted, trusted, entries(Optional.of(current), Optional.of(fresh), retired, request, Progress.TRUST_NEW),
                stepOne(request), true, false);
    }

    /**
     * A step under way: carried on under {@code replacing} (the request now asking, which adopts one
     * begun for an earlier request), or kept as it is. Empty when the Secret lacks what the step needs
     * (a CA unreadable or expired): then the ordinary renewal takes over, and a request still pending
     * begins anew.
     */
    static Optional<CaRenewal.Plan> carryOn(ClusterNames names, Map<String, String> ca, Map<String, String> nodes, int renewals,
                                            Optional<String> replacing, Supplier<PodRenewals> pods, Instant now) {
        Optional<KeyMaterial> current = NodeCertificateCheck.usableCa(ca, now);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        String request = replacing.orElse(ca.get(REQUEST));
        List<String> retired = Pem.certificates(ca.get(CaRenewal.RETIRED_CERTS));
        List<String> distrusted = Pem.certificates(ca.get(DISTRUSTED_CERTS));
        boolean advance = replacing.isPresent();
        return switch (stepOf(ca.get(STEP))) {
            case TRUST_NEW -> NodeCertificateCheck.usableCa(ca, CaRenewal.NEXT_CERT, CaRenewal.NEXT_KEY, now)
                    .map(next -> trustingBoth(names, current.get(), next, retired, nodes, renewals, request, advance, pods));
            case REISSUE -> Optional.of(reissuing(names, current.get(), distrusted, nodes, renewals, request, advance, pods));
            default -> Optional.of(distrusting(names, current.get(), nodes, renewals, request, advance, pods));
        };
    }

    private static CaRenewal.Plan trustingBoth(ClusterNames names, KeyMaterial current, KeyMaterial next, List<String> retired,
                                               Map<String, String> nodes, int renewals, String request, boolean advance, Supplier<PodRenewals> pods) {
        List<String> trusted = CaRenewal.trust(Optional.of(current.certificate()), next.certificate(), retired);
        boolean loaded = Pem.certificates(nodes.get(TlsSecrets.CA_CERT)).containsAll(trusted) && pods.get().allStartedAtLeast(renewals);
        if (!advance || !loaded) {
            return new CaRenewal.Plan(current, trusted, trusted, entries(Optional.of(current), Optional.of(next), retired, request, Progress.TRUST_NEW),
                    stepOne(request), advance, false);
        }
        // the old CA and every older one still trusted: a replacement trusts none of them at its end
        List<String> distrusted = new ArrayList<>();
        distrusted.add(current.certificate());
        distrusted.addAll(retired);
        log.info("cluster {}: CA replacement (ReplaceClusterCa {}), step 2 of 3: every pod trusts the new CA; it now signs, node, operator and user"
                + " certificates are re-issued under it and the pods roll again", names.clusterId(), request);
        return new CaRenewal.Plan(next, List.of(next.certificate()), CaRenewal.trust(Optional.of(next.certificate()), null, distrusted),
                entries(Optional.of(next), Optional.empty(), distrusted, request, Progress.REISSUE),
                "CA replacement (ReplaceClusterCa " + request + "), step 2 of 3: every pod was restarted trusting both CAs; the new CA now"
                        + " signs, so node, operator and user certificates are re-issued under it (the old CA stays trusted until step 3)",
                true, false);
    }

    private static CaRenewal.Plan reissuing(ClusterNames names, KeyMaterial current, List<String> distrusted, Map<String, String> nodes,
                                            int renewals, String request, boolean advance, Supplier<PodRenewals> pods) {
        List<String> trusted = CaRenewal.trust(Optional.of(current.certificate()), null, distrusted);
        boolean loaded = allSignedBy(nodes, current.certificate()) && pods.get().allStartedAtLeast(renewals);
        if (!advance || !loaded) {
            return new CaRenewal.Plan(current, List.of(current.certificate()), trusted,
                    entries(Optional.of(current), Optional.empty(), distrusted, request, Progress.REISSUE), reissue(request), advance, false);
        }
        log.info("cluster {}: CA replacement (ReplaceClusterCa {}), step 3 of 3: every pod runs certificates of the new CA; the old CA's {} certificate(s)"
                + " leave every trust bundle and the pods roll so no node trusts them. A client still presenting a certificate of the old"
                + " CA is refused from now on", names.clusterId(), request, distrusted.size());
        return new CaRenewal.Plan(current, List.of(current.certificate()), List.of(current.certificate()),
                entries(Optional.of(current), Optional.empty(), List.of(), request, Progress.DISTRUST),
                "CA replacement (ReplaceClusterCa " + request + "), step 3 of 3: every pod runs certificates of the new CA; the old CA's "
                        + distrusted.size() + " certificate(s) are trusted nowhere, and the pods roll so no node trusts them", true, true);
    }

    private static CaRenewal.Plan distrusting(ClusterNames names, KeyMaterial current, Map<String, String> nodes, int renewals, String request,
                                              boolean advance, Supplier<PodRenewals> pods) {
        List<String> trusted = List.of(current.certificate());
        boolean loaded = Pem.certificates(nodes.get(TlsSecrets.CA_CERT)).equals(trusted) && pods.get().allStartedAtLeast(renewals);
        if (!advance || !loaded) {
            return new CaRenewal.Plan(current, trusted, trusted, entries(Optional.of(current), Optional.empty(), List.of(), request, Progress.DISTRUST),
                    "CA replacement (ReplaceClusterCa " + request + "), step 3 of 3: the old CA is trusted nowhere", advance, true);
        }
        log.info("cluster {}: CA replacement (ReplaceClusterCa {}) done: every pod runs certificates of the new CA and trusts no other", names.clusterId(), request);
        return new CaRenewal.Plan(current, trusted, trusted, entries(Optional.of(current), Optional.empty(), List.of(), request, Progress.DONE),
                "CA replacement (ReplaceClusterCa " + request + ") done: every pod runs certificates of the new CA and trusts no other", false, false);
    }

    /** Every node certificate of the node Secret is signed by {@code ca}: the re-issue of step 2 was written. */
    private static boolean allSignedBy(Map<String, String> nodes, String ca) {
        for (String pod : TlsSecrets.podsIn(nodes)) {
            try {
                if (!NodeCertificateCheck.signedByAny(Pem.certificate(nodes.get(TlsSecrets.certificateKey(pod))), List.of(ca))) {
                    return false;
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param others during step 1, the retired certificates (still retired); from step 2, the certificates waiting to be
     *     distrusted (the old CA and the retired ones)
     */
    private static Map<String, String> entries(Optional<KeyMaterial> current, Optional<KeyMaterial> next, List<String> others, String request,
                                               Progress step) {
        Map<String, String> entries = CaRenewal.entries(current, next, step == Progress.TRUST_NEW ? others : List.of());
        entries.put(REQUEST, request);
        if (step != Progress.TRUST_NEW && !others.isEmpty()) {
            entries.put(DISTRUSTED_CERTS, Pem.bundle(others));
        }
        if (step != Progress.DONE) {
            entries.put(STEP, step.step());
        }
        return entries;
    }

    private static String stepOne(String request) {
        return "CA replacement (ReplaceClusterCa " + request + "), step 1 of 3: a CA of a new key is trusted beside the old one; the pods roll"
                + " to load both";
    }

    private static String reissue(String request) {
        return "CA replacement (ReplaceClusterCa " + request + "), step 2 of 3: the new CA signs; node, operator and user certificates are"
                + " re-issued under it";
    }
}
