package io.coxswain.orchestrator.executor.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.sandbox.time.SettableClock;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CA renewal's steps against fabric8's mock API server (CRUD): trust both, re-issue, retire;
 * each step taken only once the pods have rolled, by whichever executor reads the Secrets.
 */
@EnableKubernetesMockClient(crud = true)
class CaRenewalTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Node certificates re-issued here are good beyond the CA's renewal; the CA is 200 days from expiry. */
    private static final Instant T1 = T0.plus(CertificateIssuer.CA_VALIDITY).minus(Duration.ofDays(200));
    /** 170 days before the CA expires: within {@link CaRenewal#RENEW_BEFORE}. */
    private static final Instant T2 = T1.plus(Duration.ofDays(30));
    private static final List<String> PODS = List.of("payments-controller-0", "payments-broker-0");
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ReconcilePass pass = new ReconcilePass(TestStates.created("payments", 1, 1), "create-1");
    KubernetesClient client;
    private RecordingSink sink;
    private KubeObjects kube;
    private SettableClock clock;

    @BeforeEach
    void setUp() {
        kube = new KubeObjects(client);
        sink = new RecordingSink();
        clock = new SettableClock(T0);
    }

    /** A new executor each time: nothing carried over but what the Secrets and pods say. */
    private int ensure() {
        return executor().ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1));
    }

    private ClusterTls executor() {
        return new ClusterTls(kube, new ActionRecorder(sink, c -> true), new CertificateIssuer(), clock);
    }

    @Test
    void aCaNearItsExpiryIsRenewedWithItsOwnKeyTrustBothThenSignThenRetireWithOneRoll() throws Exception {
        runningAtT1WithOneRenewal();
        String oldCa = entries("payments-cluster-ca").get("ca.crt");
        Map<String, String> nodesBefore = entries("payments-kafka-tls");

        // step 1: a new CA is trusted beside the old one; node certificates stay; one renewal rolls the pods
        clock.set(T2);
        assertThat(ensure()).isEqualTo(2);
        Map<String, String> ca = entries("payments-cluster-ca");
        assertThat(ca).containsOnlyKeys("ca.crt", "ca.key", "next-ca.crt", "next-ca.key").containsEntry("ca.crt", oldCa);
        String newCa = ca.get("next-ca.crt");
        assertThat(Pem.certificates(entries("payments-cluster-ca-cert").get("ca.crt"))).containsExactly(oldCa, newCa);
        Map<String, String> nodes = entries("payments-kafka-tls");
        assertThat(Pem.certificates(nodes.get("ca.crt"))).containsExactly(oldCa, newCa);
        assertThat(withoutBundle(nodes)).as("node certificates untouched in step 1").isEqualTo(withoutBundle(nodesBefore));
        assertThat(reasons()).anySatisfy(r -> assertThat(r).contains("payments-cluster-ca", "step 1 of 2", "expires"))
                .anySatisfy(r -> assertThat(r).contains("payments-kafka-tls", "ca.crt now holds 2 CA certificates", "roll"));

        // while pods still run the old bundle: nothing written, no renewal, nothing re-issued, whoever checks
        sink.clear();
        assertThat(ensure()).isEqualTo(2);
        started("payments-controller-0", 2);
        assertThat(ensure()).as("one pod of two rolled").isEqualTo(2);
        deletePod("payments-broker-0");
        assertThat(ensure()).as("the last pod being re-created").isEqualTo(2);
        started("payments-broker-0", 2, false);
        assertThat(ensure()).as("the last pod re-created, not Ready yet: the roll is not over").isEqualTo(2);
        assertThat(sink.all()).isEmpty();
        assertThat(entries("payments-kafka-tls")).isEqualTo(nodes);

        // the renewed certificate has the old one's name and key: what either signs verifies under both
        assertThat(Pem.certificate(newCa).getPublicKey()).isEqualTo(Pem.certificate(oldCa).getPublicKey());
        assertThat(Pem.certificate(newCa).getSubjectX500Principal()).isEqualTo(Pem.certificate(oldCa).getSubjectX500Principal());
        assertThat(Pem.certificate(newCa).getNotAfter()).isAfter(Pem.certificate(oldCa).getNotAfter());

        // step 2: every pod loaded both: the renewed certificate signs; the node certificates, signed by the same key, stay; no roll
        started("payments-broker-0", 2);
        assertThat(ensure()).isEqualTo(2);
        ca = entries("payments-cluster-ca");
        assertThat(ca).containsOnlyKeys("ca.crt", "ca.key", "retired-ca.crt").containsEntry("ca.crt", newCa).containsEntry("retired-ca.crt", oldCa);
        assertThat(Pem.certificates(entries("payments-cluster-ca-cert").get("ca.crt"))).containsExactly(newCa, oldCa);
        nodes = entries("payments-kafka-tls");
        assertThat(Pem.certificates(nodes.get("ca.crt"))).containsExactly(newCa, oldCa);
        assertThat(withoutBundle(nodes)).as("nothing re-issued").isEqualTo(withoutBundle(nodesBefore));
        for (String pod : PODS) {
            // an application that loaded only the old certificate keeps trusting the nodes
            Pem.certificate(nodes.get(pod + ".crt")).verify(Pem.certificate(oldCa).getPublicKey());
        }
        assertThat(reasons()).anySatisfy(r -> assertThat(r).contains("payments-cluster-ca", "step 2 of 2"));
        // a certificate issued from now on (a scale-out's) is signed by the renewed certificate's key, the same
        KeyMaterial signer = new KeyMaterial(newCa, ca.get("ca.key"));
        Pem.certificate(new CertificateIssuer().node(signer, "payments-broker-9", List.of("payments-broker-9"), T2).certificate())
                .verify(Pem.certificate(oldCa).getPublicKey());
        sink.clear();
        assertThat(ensure()).isEqualTo(2);
        assertThat(sink.all()).isEmpty();

        // step 3: once the old certificate has expired it leaves the bundles; no roll
        clock.set(T0.plus(CertificateIssuer.CA_VALIDITY).plus(Duration.ofDays(1)));
        assertThat(ensure()).isEqualTo(2);
        assertThat(entries("payments-cluster-ca")).containsOnlyKeys("ca.crt", "ca.key").containsEntry("ca.crt", newCa);
        assertThat(entries("payments-cluster-ca-cert")).containsExactly(Map.entry("ca.crt", newCa));
        assertThat(entries("payments-kafka-tls").get("ca.crt")).isEqualTo(newCa);
        assertThat(withoutBundle(entries("payments-kafka-tls"))).isEqualTo(withoutBundle(nodes));
        assertThat(reasons()).anySatisfy(r -> assertThat(r).contains("payments-cluster-ca", "retires 1 expired CA certificate"))
                .anySatisfy(r -> assertThat(r).contains("payments-kafka-tls", "drops 1 retired CA certificate"));
        sink.clear();
        assertThat(ensure()).isEqualTo(2);
        assertThat(sink.all()).isEmpty();
    }

    @Test
    void oneExecutorWaitingForTheRollChecksEveryPassAndHandsTheDriversTheBundle() {
        runningAtT1WithOneRenewal();
        clock.set(T2);
        ClusterTls tls = executor();
        assertThat(tls.ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1))).isEqualTo(2);
        assertThat(Pem.certificates(tls.caCertificate("payments").orElseThrow())).as("what the drivers' Admin trusts").hasSize(2);
        started("payments-controller-0", 2);
        started("payments-broker-0", 2);

        // well within RECHECK_EVERY: a renewal awaiting a roll is not cached as settled
        clock.set(T2.plus(Duration.ofSeconds(5)));
        assertThat(tls.ensure(pass, names, ClusterTls.Shape.internal(1, 1, 1))).as("step 2 of a renewal with the same key re-issues nothing").isEqualTo(2);
        assertThat(entries("payments-cluster-ca")).containsKey("retired-ca.crt");
        assertThat(Pem.certificates(tls.caCertificate("payments").orElseThrow())).hasSize(2)
                .first().isEqualTo(entries("payments-cluster-ca").get("ca.crt"));
    }

    @Test
    void aDeletedCaSecretOnARunningClusterKeepsTrustingTheOldCaFromTheNodeSecretAndGoesThroughTheSameSteps() throws Exception {
        clock.set(T0);
        assertThat(ensure()).isZero();
        String oldCa = entries("payments-cluster-ca").get("ca.crt");
        Map<String, String> nodesBefore = entries("payments-kafka-tls");
        PODS.forEach(p -> started(p, 0));
        client.secrets().inNamespace("payments").withName("payments-cluster-ca").delete();
        sink.clear();

        assertThat(ensure()).isEqualTo(1);
        Map<String, String> ca = entries("payments-cluster-ca");
        assertThat(ca).as("the old key is gone: its certificate is kept as retired, the new CA waits").containsOnlyKeys("next-ca.crt", "next-ca.key", "retired-ca.crt")
                .containsEntry("retired-ca.crt", oldCa);
        String newCa = ca.get("next-ca.crt");
        assertThat(Pem.certificates(entries("payments-cluster-ca-cert").get("ca.crt"))).containsExactly(newCa, oldCa);
        assertThat(withoutBundle(entries("payments-kafka-tls"))).isEqualTo(withoutBundle(nodesBefore));
        assertThat(reasons()).anySatisfy(r -> assertThat(r).contains("step 1 of 2", "the Secret is missing", "old CA certificate stays trusted"));

        PODS.forEach(p -> started(p, 1));
        assertThat(ensure()).isEqualTo(2);
        assertThat(entries("payments-cluster-ca")).containsOnlyKeys("ca.crt", "ca.key", "retired-ca.crt").containsEntry("ca.crt", newCa);
        Map<String, String> nodes = entries("payments-kafka-tls");
        for (String pod : PODS) {
            Pem.certificate(nodes.get(pod + ".crt")).verify(Pem.certificate(newCa).getPublicKey());
        }
    }

    @Test
    void anUnusableCaOfAClusterWithNoPodsIsReplacedAtOnce() throws Exception {
        assertThat(ensure()).isZero();
        String oldCa = entries("payments-cluster-ca").get("ca.crt");
        Secret secret = client.secrets().inNamespace("payments").withName("payments-cluster-ca").get();
        Map<String, String> data = new TreeMap<>(secret.getData());
        data.put("ca.key", Base64.getEncoder().encodeToString("not a key".getBytes()));
        secret.setData(data);
        client.resource(secret).update();

        assertThat(ensure()).as("certificates re-issued: counted, though no pod runs to roll").isEqualTo(1);
        Map<String, String> ca = entries("payments-cluster-ca");
        assertThat(ca).containsOnlyKeys("ca.crt", "ca.key");
        assertThat(ca.get("ca.crt")).isNotEqualTo(oldCa);
        assertThat(entries("payments-cluster-ca-cert")).containsExactly(Map.entry("ca.crt", ca.get("ca.crt")));
        Map<String, String> nodes = entries("payments-kafka-tls");
        assertThat(nodes.get("ca.crt")).isEqualTo(ca.get("ca.crt"));
        for (String pod : PODS) {
            Pem.certificate(nodes.get(pod + ".crt")).verify(Pem.certificate(ca.get("ca.crt")).getPublicKey());
        }
    }

    /** The cluster ran from T0; at T1 its node certificates were renewed (count 1) and every pod rolled to them. */
    private void runningAtT1WithOneRenewal() {
        clock.set(T0);
        assertThat(ensure()).isZero();
        PODS.forEach(p -> started(p, 0));
        clock.set(T1);
        assertThat(ensure()).isEqualTo(1);
        assertThat(entries("payments-cluster-ca")).as("200 days left: no CA renewal yet").containsOnlyKeys("ca.crt", "ca.key");
        PODS.forEach(p -> started(p, 1));
        sink.clear();
    }

    /** The pod as its StatefulSet makes it, with the renewal count of the template it was made from, and Ready. */
    private void started(String pod, int renewal) {
        started(pod, renewal, true);
    }

    private void started(String pod, int renewal, boolean ready) {
        KafkaRole role = pod.contains("controller") ? KafkaRole.CONTROLLER : KafkaRole.BROKER;
        client.pods().inNamespace("payments").resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace("payments")
                .withLabels(names.labels(role.component()))
                .withAnnotations(renewal == 0 ? Map.of() : Map.of(TlsSecrets.RENEWALS_ANNOTATION, String.valueOf(renewal))).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus()
                .build()).createOr(existing -> existing.update());
    }

    private void deletePod(String pod) {
        client.pods().inNamespace("payments").withName(pod).delete();
    }

    private List<String> reasons() {
        return sink.of(ResourceActionObserved.class).stream().map(a -> a.getName() + ": " + a.getReason()).toList();
    }

    private Map<String, String> entries(String secret) {
        return TlsSecrets.decoded(client.secrets().inNamespace("payments").withName(secret).get());
    }

    private static Map<String, String> withoutBundle(Map<String, String> entries) {
        Map<String, String> out = new TreeMap<>(entries);
        out.remove("ca.crt");
        return out;
    }
}
