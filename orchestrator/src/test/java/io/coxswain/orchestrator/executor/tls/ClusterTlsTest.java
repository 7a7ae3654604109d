package io.coxswain.orchestrator.executor.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.sandbox.time.SettableClock;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CA step against fabric8's mock API server (CRUD): made once, kept, extended, renewed, never churned;
 * and the client certificates the cluster CA issues: Coxswain's own ({@code <cluster>-operator-tls}), kept and
 * renewed like a node's, and users' through {@link ClusterAccess}, which never hands out the CA's key.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterTlsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ReconcilePass pass = new ReconcilePass(TestStates.created("payments", 3, 3), "create-1");
    KubernetesClient client;
    private RecordingSink sink;
    private KubeObjects kube;

    @BeforeEach
    void setUp() {
        kube = new KubeObjects(client);
        sink = new RecordingSink();
    }

    private ClusterTls at(Instant now) {
        return new ClusterTls(kube, new ActionRecorder(sink, c -> true), new CertificateIssuer(), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void makesTheCaAndEveryNodeCertificateOnceAndAsecondPassChangesNothing() throws Exception {
        assertThat(at(T0).ensure(pass, names, ClusterTls.Shape.internal(3, 3, 3))).isZero();

        assertThat(sink.actions(ResourceAction.CREATE)).extracting(a -> a.getKind() + "/" + a.getName())
                .containsExactly("Secret/payments-cluster-ca", "Secret/payments-cluster-ca-cert", "Secret/payments-kafka-tls",
                        "Secret/payments-operator-tls");
        // references only: no key material in what the command log receives
        assertThat(sink.actions(ResourceAction.CREATE)).allSatisfy(a -> {
            assertThat(a.getDetail()).isNull();
            assertThat(a.getReason()).doesNotContain("BEGIN");
        });
        Map<String, String> ca = entries("payments-cluster-ca");
        assertThat(ca).containsOnlyKeys("ca.crt", "ca.key");
        assertThat(entries("payments-cluster-ca-cert")).containsExactly(Map.entry("ca.crt", ca.get("ca.crt")));
        Map<String, String> nodes = entries("payments-kafka-tls");
        List<String> pods = List.of("payments-controller-0", "payments-controller-1", "payments-controller-2",
                "payments-broker-0", "payments-broker-1", "payments-broker-2");
        assertThat(nodes.keySet()).hasSize(13).contains("ca.crt").containsAll(pods.stream().flatMap(p -> java.util.stream.Stream.of(p + ".crt", p + ".key")).toList());
        assertThat(nodes.get("ca.crt")).isEqualTo(ca.get("ca.crt"));
        assertThat(client.secrets().inNamespace("payments").withName("payments-kafka-tls").get().getMetadata().getLabels())
                .containsAllEntriesOf(names.clusterSelector());

        X509Certificate caCert = Pem.certificate(ca.get("ca.crt"));
        assertThat(caCert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(caCert.getNotAfter().toInstant()).isAfter(T0.plus(Duration.ofDays(4 * 365)));
        for (String pod : pods) {
            X509Certificate cert = Pem.certificate(nodes.get(pod + ".crt"));
            cert.verify(caCert.getPublicKey()); // chains to the cluster CA
            assertThat(cert.getNotAfter().toInstant()).isBetween(T0.plus(Duration.ofDays(364)), T0.plus(Duration.ofDays(366)));
            assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // server and client auth
            String role = pod.contains("controller") ? "payments-controller" : "payments-broker";
            assertThat(dnsNames(cert)).contains(pod + "." + role + ".payments.svc", pod + "." + role + ".payments.svc.cluster.local");
            if (role.equals("payments-broker")) {
                assertThat(dnsNames(cert)).contains("payments-kafka-bootstrap.payments.svc", "payments-kafka-bootstrap.payments.svc.cluster.local");
            }
            assertThat(nodes.get(pod + ".key")).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(pairs(Pem.privateKey(nodes.get(pod + ".key")), cert)).as(pod + " key matches its certificate").isTrue();
        }

        Map<String, String> versions = resourceVersions();
        sink.clear();
        assertThat(at(T0.plus(Duration.ofDays(1))).ensure(pass, names, ClusterTls.Shape.internal(3, 3, 3))).isZero();
        assertThat(sink.all()).as("actions of a second pass").isEmpty();
        assertThat(resourceVersions()).isEqualTo(versions);
        assertThat(entries("payments-kafka-tls")).isEqualTo(nodes);
    }

    @Test
    void oneExecutorChecksAnUnchangedClusterAgainOnlyAfterTheRecheckIntervalButAtOnceWhenItsShapeChanges() {
        SettableClock moving = new SettableClock(T0);
        ClusterTls tls = new ClusterTls(kube, new ActionRecorder(sink, c -> true), new CertificateIssuer(), moving);
        tls.ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1));
        client.secrets().inNamespace("payments").withName("payments-kafka-tls").delete();
        sink.clear();

        // an idle resync soon after: nothing read, nothing written (a hand deletion waits for the next check)
        moving.set(T0.plus(Duration.ofMinutes(1)));
        tls.ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1));
        assertThat(sink.all()).isEmpty();

        // a scale-out is checked at once: its new pod needs a certificate before it starts
        tls.ensure(pass, names, ClusterTls.Shape.internal(1, 2, 2));
        assertThat(sink.actions(ResourceAction.CREATE)).extracting(ResourceActionObserved::getName).containsExactly("payments-kafka-tls");
        assertThat(entries("payments-kafka-tls")).containsKeys("payments-broker-0.crt", "payments-broker-1.crt");

        client.secrets().inNamespace("payments").withName("payments-kafka-tls").delete();
        sink.clear();
        moving.set(T0.plus(Duration.ofMinutes(1)).plus(ClusterTls.RECHECK_EVERY));
        tls.ensure(pass, names, ClusterTls.Shape.internal(1, 2, 2));
        assertThat(sink.actions(ResourceAction.CREATE)).as("put back by the next full check").extracting(ResourceActionObserved::getName)
                .containsExactly("payments-kafka-tls");
    }

    @Test
    void aScaleOutAddsTheNewPodsCertificatesAndKeepsTheCaAndTheOthers() throws Exception {
        at(T0).ensure(pass, names, ClusterTls.Shape.internal(3, 3, 3));
        Map<String, String> before = entries("payments-kafka-tls");
        Map<String, String> versions = resourceVersions();
        sink.clear();

        assertThat(at(T0).ensure(pass, names, ClusterTls.Shape.internal(3, 5, 3))).as("no renewal: nobody rolls").isZero();

        assertThat(sink.all()).hasSize(1);
        ResourceActionObserved update = sink.actions(ResourceAction.UPDATE).get(0);
        assertThat(update.getName()).isEqualTo("payments-kafka-tls");
        assertThat(update.getReason()).contains("payments-broker-3", "payments-broker-4");
        Map<String, String> after = entries("payments-kafka-tls");
        assertThat(after).containsAllEntriesOf(before).containsKeys("payments-broker-3.crt", "payments-broker-4.key");
        assertThat(resourceVersions().get("payments-cluster-ca")).isEqualTo(versions.get("payments-cluster-ca"));
        assertThat(resourceVersions().get("payments-cluster-ca-cert")).isEqualTo(versions.get("payments-cluster-ca-cert"));
        Pem.certificate(after.get("payments-broker-4.crt")).verify(Pem.certificate(after.get("ca.crt")).getPublicKey());
    }

    @Test
    void aScaleInsRemovedBrokersLoseTheirCertificatesOnlyOnceTheStatefulSetNoLongerRunsThemAndNothingIsReissued() {
        ClusterTls tls = at(T0);
        tls.ensure(pass, names, ClusterTls.Shape.internal(3, 5, 5));
        client.secrets().inNamespace("payments").withName("payments-kafka-tls")
                .edit(s -> new SecretBuilder(s).editMetadata().addToAnnotations(TlsSecrets.RENEWALS_ANNOTATION, "2").endMetadata().build());
        Map<String, String> five = entries("payments-kafka-tls");
        Map<String, String> versions = resourceVersions();
        sink.clear();

        // the pass that lets the drained brokers go: 3 wanted, but the StatefulSet still runs 5 pods, and they may restart
        assertThat(tls.ensure(pass, names, ClusterTls.Shape.internal(3, 3, 5))).isEqualTo(2);
        assertThat(sink.all()).as("actions while the StatefulSet runs 5").isEmpty();
        assertThat(entries("payments-kafka-tls")).isEqualTo(five);

        // the StatefulSet has 3 replicas: brokers 3 and 4 never start again (checked at once: the shape changed)
        assertThat(tls.ensure(pass, names, ClusterTls.Shape.internal(3, 3, 3))).as("no renewal, so no roll of the remaining pods").isEqualTo(2);

        assertThat(sink.all()).hasSize(1);
        ResourceActionObserved update = sink.actions(ResourceAction.UPDATE).get(0);
        assertThat(update.getName()).isEqualTo("payments-kafka-tls");
        assertThat(update.getReason()).contains("removes the certificates of pods payments-broker-3, payments-broker-4", "3 replicas")
                .doesNotContain("issues certificates");
        Map<String, String> three = new java.util.TreeMap<>(five);
        three.keySet().removeIf(k -> k.startsWith("payments-broker-3.") || k.startsWith("payments-broker-4."));
        assertThat(three).hasSize(13);
        assertThat(entries("payments-kafka-tls")).as("exactly the remaining pods' certificates, unchanged").isEqualTo(three);
        assertThat(TlsSecrets.renewals(client.secrets().inNamespace("payments").withName("payments-kafka-tls").get())).isEqualTo(2);
        assertThat(resourceVersions()).as("the CA's Secrets untouched").containsEntry("payments-cluster-ca", versions.get("payments-cluster-ca"))
                .containsEntry("payments-cluster-ca-cert", versions.get("payments-cluster-ca-cert"));

        sink.clear();
        assertThat(at(T0).ensure(pass, names, ClusterTls.Shape.internal(3, 3, 3))).as("a fresh executor's full check").isEqualTo(2);
        assertThat(sink.all()).isEmpty();
    }

    @Test
    void certificatesExpiringWithin30DaysAreReissuedUnderTheSameCaAndCountedAsARenewal() throws Exception {
        at(T0).ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1));
        Map<String, String> before = entries("payments-kafka-tls");
        String caBefore = entries("payments-cluster-ca").get("ca.crt");
        sink.clear();

        Instant late = T0.plus(Duration.ofDays(340));
        assertThat(at(late).ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1))).as("the renewal count goes into the pods' config hash").isEqualTo(1);

        assertThat(sink.actions(ResourceAction.UPDATE)).extracting(ResourceActionObserved::getName)
                .as("Coxswain's own client certificate is renewed with the nodes'").containsExactly("payments-kafka-tls", "payments-operator-tls");
        assertThat(sink.actions(ResourceAction.UPDATE).get(0).getReason()).contains("re-issues", "expires within 30 days");
        Map<String, String> after = entries("payments-kafka-tls");
        assertThat(entries("payments-cluster-ca").get("ca.crt")).isEqualTo(caBefore);
        for (String pod : List.of("payments-controller-0", "payments-broker-0")) {
            assertThat(after.get(pod + ".crt")).isNotEqualTo(before.get(pod + ".crt"));
            X509Certificate renewed = Pem.certificate(after.get(pod + ".crt"));
            renewed.verify(Pem.certificate(caBefore).getPublicKey());
            assertThat(renewed.getNotAfter().toInstant()).isAfter(late.plus(Duration.ofDays(364)));
        }
        sink.clear();
        assertThat(at(late).ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1))).isEqualTo(1);
        assertThat(sink.all()).isEmpty();
    }

    @Test
    void aNodeCertificateNotSignedByTheCaIsReplaced() throws Exception {
        at(T0).ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1));
        KeyMaterial stranger = new CertificateIssuer().newCa("stranger", T0);
        Secret nodes = client.secrets().inNamespace("payments").withName("payments-kafka-tls").get();
        Map<String, String> data = new java.util.TreeMap<>(nodes.getData());
        data.put("payments-broker-0.crt", java.util.Base64.getEncoder().encodeToString(stranger.certificate().getBytes()));
        nodes.setData(data);
        client.resource(nodes).update();
        sink.clear();

        assertThat(at(T0).ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1))).isEqualTo(1);
        assertThat(sink.actions(ResourceAction.UPDATE).get(0).getReason()).contains("payments-broker-0 (not signed by the cluster CA)");
        Map<String, String> after = entries("payments-kafka-tls");
        Pem.certificate(after.get("payments-broker-0.crt")).verify(Pem.certificate(after.get("ca.crt")).getPublicKey());
    }

    @Test
    void coxswainsOwnCertificateIsIssuedOnceForClientAuthenticationAndKeptInItsOwnSecret() throws Exception {
        ClusterTls tls = at(T0);
        tls.ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1));
        ClusterAccess access = tls.access("payments").orElseThrow();
        Map<String, String> secret = entries("payments-operator-tls");
        assertThat(secret).containsOnlyKeys("user.crt", "user.key", "ca.crt");
        assertThat(secret.get("user.crt")).isEqualTo(access.operator().certificate());
        assertThat(secret.get("ca.crt")).isEqualTo(access.caCertificate());
        X509Certificate cert = Pem.certificate(secret.get("user.crt"));
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=coxswain-operator,O=coxswain");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // client authentication only
        cert.verify(Pem.certificate(access.caCertificate()).getPublicKey());
        assertThat(client.secrets().inNamespace("payments").withName("payments-operator-tls").get().getMetadata().getLabels())
                .containsAllEntriesOf(names.clusterSelector());
        assertThat(sink.all()).allSatisfy(a -> assertThat(a.toString()).doesNotContain("BEGIN"));
        assertThat(access.toString()).doesNotContain("BEGIN");

        sink.clear();
        at(T0.plus(Duration.ofDays(1))).ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1));
        assertThat(sink.all()).as("a second pass keeps it").isEmpty();

        at(T0.plus(Duration.ofDays(340))).ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1));
        assertThat(sink.actions(ResourceAction.UPDATE)).filteredOn(a -> a.getName().equals("payments-operator-tls")).singleElement()
                .satisfies(a -> assertThat(a.getReason()).contains("coxswain-operator", "expires within 30 days"));
        assertThat(entries("payments-operator-tls").get("user.crt")).isNotEqualTo(secret.get("user.crt"));
    }

    @Test
    void aUsersCertificateIsKeptWhileItIsTheClusterCasForItsNameAndNotExpiring() throws Exception {
        ClusterTls tls = at(T0);
        tls.ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1));
        ClusterAccess access = tls.access("payments").orElseThrow();
        KeyMaterial orders = access.issueClient("orders-app", T0);
        assertThat(Pem.certificate(orders.certificate()).getSubjectX500Principal().getName()).isEqualTo("CN=orders-app,O=coxswain");

        assertThat(access.whyReissue(Optional.of(orders), "orders-app", T0.plus(Duration.ofDays(100)))).isEmpty();
        assertThat(access.whyReissue(Optional.empty(), "orders-app", T0)).contains("missing");
        assertThat(access.whyReissue(Optional.of(orders), "billing", T0)).contains("issued to another name");
        assertThat(access.whyReissue(Optional.of(orders), "orders-app", T0.plus(Duration.ofDays(340)))).contains("expires within 30 days");
        KeyMaterial stranger = new CertificateIssuer().client(new CertificateIssuer().newCa("stranger", T0), "orders-app", T0);
        assertThat(access.whyReissue(Optional.of(stranger), "orders-app", T0)).contains("not signed by the cluster CA");
    }

    private Map<String, String> entries(String secret) {
        return TlsSecrets.decoded(client.secrets().inNamespace("payments").withName(secret).get());
    }

    private Map<String, String> resourceVersions() {
        return client.secrets().inNamespace("payments").list().getItems().stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> Objects.requireNonNull(s.getMetadata().getResourceVersion())));
    }

    private static List<String> dnsNames(X509Certificate cert) throws GeneralSecurityException {
        return cert.getSubjectAlternativeNames().stream().filter(san -> Integer.valueOf(2).equals(san.get(0)))
                .map(san -> (String) san.get(1)).toList();
    }

    private static boolean pairs(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {1, 2, 3});
        byte[] signature = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1, 2, 3});
        return s.verify(signature);
    }
}
