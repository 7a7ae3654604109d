package io.coxswain.orchestrator.executor.tls;

import io.coxswain.avro.command.CaObserved;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.shape.UserShape;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaClientAuthProperties;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.fabric8.kubernetes.api.model.Secret;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile step that keeps a cluster's CA, its node certificates and Coxswain's own client
 * certificate: observe the four Secrets,
 * decide what is missing or about to expire, write only that. The CA is made once and reused until
 * it nears its expiry or becomes unusable; then {@link CaRenewal} replaces it in steps the pods roll
 * through without losing each other. A node certificate is kept until it is within {@link NodeCertificateCheck#RENEW_BEFORE}
 * of expiry. So a pass over a cluster whose certificates are fine writes nothing, a scale-out
 * adds the new pods' certificates without touching the others, and a finished scale-in takes the
 * removed pods' out. Actions are recorded by name and reason only: key material never reaches the
 * command log or the logs.
 */
public final class ClusterTls {

    private static final Logger log = LoggerFactory.getLogger(ClusterTls.class);

    /**
     * How long a cluster whose Secrets were found in order is trusted to stay so without reading them
     * again, while its shape is unchanged. Reading and parsing the Secrets (three then) on every resync tripled
     * the CPU of an idle pass over 1,000 clusters (5.8 → 16.9 s, bench/); certificates are renewed 30
     * days ahead, so a check every few minutes loses nothing. A Secret deleted or edited by hand is
     * put back within this interval (pods already running keep the files they mounted).
     */
    public static final Duration RECHECK_EVERY = Duration.ofMinutes(5);

    /**
     * The pods certificates are wanted for, and the addresses clients outside Kubernetes reach brokers
     * at. A check is made for one shape: any change is checked at once, not after {@link #RECHECK_EVERY}.
     *
     * @param brokers the brokers the pass runs: the spec's, or more while a scale-in drains them
     * @param brokerReplicas the brokers StatefulSet's replicas as they are now (0 before it exists);
     *     its pods keep their certificates even when fewer brokers are wanted (see {@link #keepStillRun})
     * @param externalHosts broker ordinal → the host name or IP address its load balancer was given:
     *     a client that verifies host names (Kafka's clients do by default) connects to that name
     */
    public record Shape(int controllers, int brokers, int brokerReplicas, Map<Integer, String> externalHosts) {
        public Shape {
            externalHosts = Map.copyOf(externalHosts);
        }

        /** A cluster no client reaches from outside Kubernetes by a name of its own. */
        public static Shape internal(int controllers, int brokers, int brokerReplicas) {
            return new Shape(controllers, brokers, brokerReplicas, Map.of());
        }
    }

    /**
     * The last full check of a cluster, with the access it found or made: the CA certificate(s) Coxswain's
     * own clients of the cluster trust, and the certificate they present. Not settled while a CA renewal waits for a roll.
     */
    private record Checked(Shape shape, Optional<String> replacing, Instant at, int renewals, ClusterAccess access, boolean settled,
                           Optional<CaObserved> ca) {
    }

    private final KubeObjects kube;
    private final ActionRecorder recorder;
    private final CertificateIssuer issuer;
    private final CaRenewal renewal;
    private final Clock clock;
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();

    public ClusterTls(KubeObjects kube, ActionRecorder recorder, CertificateIssuer issuer, Clock clock) {
        this.kube = kube;
        this.recorder = recorder;
        this.issuer = issuer;
        this.renewal = new CaRenewal(issuer);
        this.clock = clock;
    }

    /**
     * Makes the Secrets hold a usable CA and a certificate for every controller and broker pod, and
     * no certificate of a broker pod that can no longer start.
     *
     * @return how many times node certificates were renewed: part of the pods' config hash, so a
     *     renewal rolls them through the ordinary, checked rolling restart
     */
    public int ensure(ReconcilePass pass, ClusterNames names, Shape shape) {
        Instant now = clock.instant();
        Checked last = checked.get(names.clusterId());
        Optional<String> replacing = CaReplacement.underWay(pass.state());
        // a CA renewal waiting for a roll is checked every pass: its next step follows the roll's last pod at once;
        // so is a CA replacement's operation starting
        if (last != null && last.settled() && last.shape().equals(shape) && last.replacing().equals(replacing)
                && now.isBefore(last.at().plus(RECHECK_EVERY))) {
            return last.renewals();
        }
        Checked done = check(pass, names, shape, replacing, now);
        checked.put(names.clusterId(), done);
        return done.renewals();
    }

    /**
     * The cluster CA's certificate (PEM) as the last {@link #ensure} found or made it, and wrote to
     * {@code <cluster>-cluster-ca-cert}: what the operation drivers' Admin client trusts. While the
     * CA is renewed, a bundle of the old and the new one, so the drivers reach brokers presenting
     * either. Kept here and nowhere else, so a change reaches the drivers in the pass that made it.
     * Empty until this executor has checked the cluster once.
     */
    public Optional<String> caCertificate(String clusterId) {
        return access(clusterId).map(ClusterAccess::caCertificate);
    }

    /**
     * Per platform component of the state, the certificate of the user it connects as, where the
     * cluster requires client certificates and the user's Secret exists (the drivers issue it): what
     * {@link io.coxswain.orchestrator.executor.model.DesiredCluster.Inputs#componentIdentities} wants.
     */
    public Map<String, String> componentIdentities(ClusterState state, ClusterNames names) {
        Map<String, String> identities = new TreeMap<>();
        if (!UserShape.authenticatesClients(state.getSpec().getClientAuthentication())) {
            return identities;
        }
        for (String component : state.getSpec().getComponents().keySet()) {
            Secret secret = kube.secret(names.namespace(), names.userSecret(component));
            // one of that name Coxswain did not make for this component is not its identity (UserSync leaves it alone and says so)
            String certificate = secret == null || !TlsSecrets.isUserSecretOf(secret, names, component) ? null
                    : TlsSecrets.decoded(secret).get(TlsSecrets.CLIENT_CERT);
            if (certificate != null) {
                identities.put(component, certificate);
            }
        }
        return identities;
    }

    /**
     * What Coxswain's own clients of the cluster use, as the last {@link #ensure} found or made it:
     * the CA certificate(s) of {@link #caCertificate}, Coxswain's client certificate (the Secret
     * {@code <cluster>-operator-tls}), and the issuing of users' certificates by the CA. Empty until
     * this executor has checked the cluster once.
     */
    public Optional<ClusterAccess> access(String clusterId) {
        return Optional.ofNullable(checked.get(clusterId)).map(Checked::access);
    }

    /**
     * The cluster CA as the last {@link #ensure} found or made it, for {@code status.ca}: the signing CA's
     * fingerprint and expiry, and the fingerprints of every CA trusted. Empty until this executor has checked the cluster once.
     */
    public Optional<CaObserved> caObserved(String clusterId) {
        return Optional.ofNullable(checked.get(clusterId)).flatMap(Checked::ca);
    }

    /** Forgets what was checked of a cluster (it is deleted, or no longer this executor's). */
    public void forget(String clusterId) {
        checked.remove(clusterId);
    }

    private Checked check(ReconcilePass pass, ClusterNames names, Shape shape, Optional<String> replacing, Instant now) {
        Secret caSecret = kube.secret(names.namespace(), names.clusterCaSecret());
        Secret nodesLive = kube.secret(names.namespace(), names.kafkaTlsSecret());
        Map<String, String> entries = TlsSecrets.decoded(nodesLive);
        int liveRenewals = TlsSecrets.renewals(nodesLive);
        CaRenewal.Plan plan = renewal.decide(names, TlsSecrets.decoded(caSecret), entries, liveRenewals,
                () -> PodRenewals.read(kube, names, shape.controllers(), Math.max(shape.brokers(), shape.brokerReplicas())), now, replacing);
        Secret caWanted = TlsSecrets.ca(names, plan.caEntries());
        if (!sameContent(caSecret, caWanted)) {
            write(pass, caSecret, caWanted, plan.caReason() != null ? plan.caReason() : "puts back the cluster CA's Secret as Coxswain wrote it");
        }
        String bundle = Pem.bundle(plan.trusted());
        Secret caCertWanted = TlsSecrets.caCertificate(names, bundle);
        Secret caCertLive = kube.secret(names.namespace(), names.clusterCaCertSecret());
        if (!sameContent(caCertLive, caCertWanted)) {
            write(pass, caCertLive, caCertWanted, "applications and platform components trust the cluster through the CA certificate"
                    + (plan.trusted().size() > 1 ? "s in it (" + plan.trusted().size() + " while the CA is renewed)" : ""));
        }
        Map<String, KeyMaterial> certificates = new TreeMap<>();
        List<String> added = new ArrayList<>();
        List<String> renewed = new ArrayList<>();
        TlsSecrets.nodes(names, shape.controllers(), shape.brokers(), shape.externalHosts()).forEach((pod, hostNames) -> {
            NodeCertificateCheck.Verdict verdict = NodeCertificateCheck.of(entries, pod, plan.accepted(), hostNames, now);
            switch (verdict) {
                case VALID -> certificates.put(pod, TlsSecrets.nodeMaterial(entries, pod).orElseThrow());
                case MISSING -> {
                    certificates.put(pod, issuer.node(plan.signer(), pod, hostNames, now));
                    added.add(pod);
                }
                default -> {
                    certificates.put(pod, issuer.node(plan.signer(), pod, hostNames, now));
                    renewed.add(pod + " (" + verdict.reason() + ")");
                }
            }
        });
        keepStillRun(names, shape, entries, certificates);
        List<String> removed = TlsSecrets.podsIn(entries).stream().filter(pod -> !certificates.containsKey(pod)).toList();
        // a node reads its trust bundle at start only: a CA added to it is a renewal too, so the pods roll to load it;
        // removing certificates, or a retired CA, re-issues nothing: the renewal count, and so the pods' config hash, stays.
        // A replaced CA dropped is the exception: no node may go on trusting it, so the pods roll
        List<String> liveBundle = Pem.certificates(entries.get(TlsSecrets.CA_CERT));
        boolean trustGained = !liveBundle.isEmpty() && !liveBundle.containsAll(plan.trusted());
        long dropped = liveBundle.stream().filter(c -> !plan.trusted().contains(c)).count();
        boolean distrusted = plan.distrusting() && dropped > 0;
        int renewals = liveRenewals + (renewed.isEmpty() && !trustGained && !distrusted ? 0 : 1);
        Secret nodesWanted = TlsSecrets.nodes(names, bundle, certificates, renewals);
        if (!sameContent(nodesLive, nodesWanted)) {
            String trustChange = trustGained ? "ca.crt now holds " + plan.trusted().size() + " CA certificates (a CA renewal); the pods roll to load them"
                    : distrusted ? "ca.crt drops the replaced CA's " + dropped + " certificate(s); the pods roll so no node trusts them"
                    : dropped > 0 ? "ca.crt drops " + dropped + " retired CA certificate(s); no pod rolls for that" : null;
            write(pass, nodesLive, nodesWanted, nodesReason(shape, added, renewed, removed, trustChange));
        }
        KeyMaterial operator = ensureOperator(pass, names, plan, bundle, now);
        return new Checked(shape, replacing, now, renewals, new ClusterAccess(bundle, operator, plan.signer(), plan.accepted(), issuer), !plan.awaitingRoll(),
                observed(plan));
    }

    /** What the state's {@code status.ca} should say of the plan: empty if a certificate is unreadable (nothing sure to report). */
    private static Optional<CaObserved> observed(CaRenewal.Plan plan) {
        try {
            List<String> trusted = new ArrayList<>();
            for (String certificate : plan.trusted()) {
                trusted.add(Pem.fingerprint(certificate));
            }
            return Optional.of(new CaObserved(Pem.fingerprint(plan.signer().certificate()),
                    Pem.certificate(plan.signer().certificate()).getNotAfter().toInstant(), trusted));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Coxswain's own client certificate ({@code CN=coxswain-operator}), kept in a Secret of its own and
     * renewed like a node's: the Admin client presents it to every cluster, so one that requires client
     * certificates knows it as the super user {@code User:coxswain-operator}.
     */
    private KeyMaterial ensureOperator(ReconcilePass pass, ClusterNames names, CaRenewal.Plan plan, String bundle, Instant now) {
        Secret live = kube.secret(names.namespace(), names.operatorTlsSecret());
        Optional<KeyMaterial> kept = TlsSecrets.clientMaterial(live);
        NodeCertificateCheck.Verdict verdict = NodeCertificateCheck.ofClient(kept, KafkaClientAuthProperties.OPERATOR_PRINCIPAL, plan.accepted(), now);
        KeyMaterial operator = verdict == NodeCertificateCheck.Verdict.VALID ? kept.orElseThrow()
                : issuer.client(plan.signer(), KafkaClientAuthProperties.OPERATOR_PRINCIPAL, now);
        Secret wanted = TlsSecrets.client(names, null, bundle, operator);
        if (!sameContent(live, wanted)) {
            String who = "Coxswain's own client certificate (CN=" + KafkaClientAuthProperties.OPERATOR_PRINCIPAL + ")";
            write(pass, live, wanted, switch (verdict) {
                case VALID -> "puts back the Secret of " + who + " as Coxswain wrote it";
                case MISSING -> who + ", which its Admin client presents to the cluster";
                default -> "re-issues " + who + " (" + verdict.reason() + ")";
            });
        }
        return operator;
    }

    /**
     * Broker pods beyond the wanted ones that the StatefulSet still runs keep the certificate they
     * have, as it is: the pass that lets a drained scale-in shrink the StatefulSet asks for fewer
     * brokers while their pods still run, and a pod reads its certificate from the mounted Secret
     * whenever it starts. A pod at or beyond the StatefulSet's replicas is never started again (the
     * StatefulSet removes it), so its certificate leaves the Secret with the next check.
     */
    private static void keepStillRun(ClusterNames names, Shape shape, Map<String, String> entries, Map<String, KeyMaterial> certificates) {
        for (int ordinal = shape.brokers(); ordinal < shape.brokerReplicas(); ordinal++) {
            String pod = names.pod(KafkaRole.BROKER, ordinal);
            TlsSecrets.nodeMaterial(entries, pod).ifPresent(m -> certificates.put(pod, m));
        }
    }

    private static String nodesReason(Shape shape, List<String> added, List<String> renewed, List<String> removed, String trustChange) {
        List<String> parts = new ArrayList<>();
        if (trustChange != null) {
            parts.add(trustChange);
        }
        if (!added.isEmpty()) {
            parts.add("issues certificates for pods " + String.join(", ", added));
        }
        if (!renewed.isEmpty()) {
            parts.add("re-issues certificates of " + String.join(", ", renewed) + "; the pods roll to load them");
        }
        if (!removed.isEmpty()) {
            parts.add("removes the certificates of pods " + String.join(", ", removed) + ": the cluster wants " + shape.controllers()
                    + " controllers and " + shape.brokers() + " brokers, and the brokers StatefulSet has " + shape.brokerReplicas()
                    + " replicas, so none of these pods starts again");
        }
        return parts.isEmpty() ? "puts back the node certificates' Secret as Coxswain wrote it" : String.join("; ", parts);
    }

    /** Same entries, renewal count and cluster labels: the labels are how deleting the cluster finds the Secret. */
    private static boolean sameContent(Secret live, Secret wanted) {
        if (live == null) {
            return false;
        }
        Map<String, String> labels = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
        return Objects.equals(live.getData(), wanted.getData()) && TlsSecrets.renewals(live) == TlsSecrets.renewals(wanted)
                && labels.entrySet().containsAll(wanted.getMetadata().getLabels().entrySet());
    }

    private void write(ReconcilePass pass, Secret live, Secret wanted, String reason) {
        String name = "Secret " + wanted.getMetadata().getName();
        if (live == null) {
            recorder.before(pass.clusterId(), ResourceAction.CREATE, wanted, "cluster state v" + pass.version() + " asks for " + name + ": " + reason,
                    pass.cause(), null);
            kube.create(wanted);
            return;
        }
        recorder.before(pass.clusterId(), ResourceAction.UPDATE, wanted, name + ": " + reason, pass.cause(), null);
        // the resourceVersion read above: a write racing another writer fails and the next pass decides again
        wanted.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        kube.replace(wanted);
    }
}
