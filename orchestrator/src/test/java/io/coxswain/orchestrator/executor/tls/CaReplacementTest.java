package io.coxswain.orchestrator.executor.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.CaObserved;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.reconcile.ActionRecorder;
import io.coxswain.orchestrator.executor.reconcile.KubeObjects;
import io.coxswain.orchestrator.executor.reconcile.ReconcilePass;
import io.coxswain.orchestrator.executor.tls.CaReplacement.Progress;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.sandbox.time.SettableClock;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A requested CA replacement's steps against fabric8's mock API server (CRUD): trust both, re-issue
 * under the new key, distrust the old CA; each taken only while the request's operation runs and
 * once the pods rolled, by whichever executor reads the Secrets.
 */
@EnableKubernetesMockClient(crud = true)
class CaReplacementTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> PODS = List.of("payments-controller-0", "payments-broker-0");
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final ClusterState created = TestStates.created("payments", 1, 1);
    private final ClusterState asked = Evolve.apply(created, Commands.on("payments").commandId("ca-1").replaceClusterCa("key leaked"));
    private final ClusterState running = observed(asked, "ca-1", OperationState.RUNNING);
    KubernetesClient client;
    private RecordingSink sink;
    private KubeObjects kube;
    private SettableClock clock;
    private ClusterTls tls;

    @BeforeEach
    void setUp() {
        kube = new KubeObjects(client);
        sink = new RecordingSink();
        clock = new SettableClock(T0);
    }

    private static ClusterState observed(ClusterState state, String request, OperationState op) {
        return Evolve.apply(state, Commands.on("payments").observation("exec",
                new OperationObserved("ReplaceClusterCa/" + request, "ReplaceClusterCa", op, request, null)));
    }

    /** A new executor each time: nothing carried over but what the Secrets and pods say. */
    private int ensure(ClusterState state) {
        tls = new ClusterTls(kube, new ActionRecorder(sink, c -> true), new CertificateIssuer(), clock);
        return tls.ensure(new ReconcilePass(state, "ca-1"), names, ClusterTls.Shape.internal(1, 1, 1));
    }

    /** What the last check would report as status.ca: the signing CA's fingerprint, then every trusted one's. */
    private List<String> observedCa() {
        CaObserved ca = tls.caObserved("payments").orElseThrow();
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(ca.getFingerprint()), ca.getTrusted().stream()).toList();
    }

    @Test
    void aRequestedReplacementTrustsBothThenReissuesUnderTheNewKeyThenTrustsTheOldCaNowhereWithThreeRolls() throws Exception {
        assertThat(ensure(created)).isZero();
        PODS.forEach(p -> started(p, 0));
        String oldCa = entries("payments-cluster-ca").get("ca.crt");
        String oldOperator = entries(names.operatorTlsSecret()).get(TlsSecrets.CLIENT_CERT);
        assertThat(ensure(asked)).as("asked, its operation not started (a maintenance window, say): nothing begins").isZero();
        assertThat(entries("payments-cluster-ca")).containsOnlyKeys("ca.crt", "ca.key");

        // step 1: a CA of a new key beside the old one; the pods roll to load both
        clock.set(T0.plus(Duration.ofMinutes(1)));
        assertThat(ensure(running)).isEqualTo(1);
        Map<String, String> ca = entries("payments-cluster-ca");
        String newCa = ca.get("next-ca.crt");
        assertThat(Pem.certificate(newCa).getPublicKey()).as("a new key, not a renewed certificate").isNotEqualTo(key(oldCa));
        assertThat(CaReplacement.progress(ca, "ca-1")).isEqualTo(Progress.TRUST_NEW);
        assertThat(CaReplacement.progress(ca, "ca-2")).isEqualTo(Progress.NOT_STARTED);
        assertThat(Pem.certificates(entries("payments-cluster-ca-cert").get("ca.crt"))).containsExactly(oldCa, newCa);
        assertThat(reasons()).anySatisfy(r -> assertThat(r).contains("payments-cluster-ca", "ReplaceClusterCa ca-1", "step 1 of 3"));
        assertThat(observedCa()).as("the old CA signs, both are trusted").containsExactly(Pem.fingerprint(oldCa), Pem.fingerprint(oldCa),
                Pem.fingerprint(newCa));
        assertThat(ensure(running)).as("pods not rolled yet").isEqualTo(1);

        // abandoned: whatever the pods do, it stays where it stood, both CAs trusted
        PODS.forEach(p -> started(p, 1));
        sink.clear();
        ClusterState abandoned = Evolve.apply(running, Commands.on("payments").abandonOperation("ReplaceClusterCa/ca-1", null));
        assertThat(ensure(abandoned)).isEqualTo(1);
        assertThat(sink.all()).isEmpty();
        assertThat(CaReplacement.progress(entries("payments-cluster-ca"), "ca-1")).isEqualTo(Progress.TRUST_NEW);

        // step 2, carried on by a newer request: the new CA signs; node and operator certificates are re-issued under it
        ClusterState again = observed(Evolve.apply(abandoned, Commands.on("payments").commandId("ca-2").replaceClusterCa(null)), "ca-2",
                OperationState.RUNNING);
        assertThat(ensure(again)).isEqualTo(2);
        ca = entries("payments-cluster-ca");
        assertThat(CaReplacement.progress(ca, "ca-2")).isEqualTo(Progress.REISSUE);
        assertThat(ca).containsEntry("ca.crt", newCa).containsEntry("distrusted-ca.crt", oldCa).doesNotContainKeys("next-ca.crt", "retired-ca.crt");
        Map<String, String> nodes = entries("payments-kafka-tls");
        assertThat(Pem.certificates(nodes.get("ca.crt"))).containsExactlyInAnyOrder(newCa, oldCa);
        for (String pod : PODS) {
            Pem.certificate(nodes.get(pod + ".crt")).verify(key(newCa));
        }
        String operator = entries(names.operatorTlsSecret()).get(TlsSecrets.CLIENT_CERT);
        assertThat(operator).isNotEqualTo(oldOperator);
        Pem.certificate(operator).verify(key(newCa));

        // step 3: the old CA leaves every bundle, and the pods roll for that
        PODS.forEach(p -> started(p, 2));
        sink.clear();
        assertThat(ensure(again)).isEqualTo(3);
        assertThat(CaReplacement.progress(entries("payments-cluster-ca"), "ca-2")).isEqualTo(Progress.DISTRUST);
        assertThat(entries("payments-cluster-ca")).doesNotContainKey("distrusted-ca.crt");
        assertThat(Pem.certificates(entries("payments-kafka-tls").get("ca.crt"))).containsExactly(newCa);
        assertThat(Pem.certificates(entries("payments-cluster-ca-cert").get("ca.crt"))).containsExactly(newCa);
        assertThat(Pem.certificates(entries(names.operatorTlsSecret()).get("ca.crt"))).containsExactly(newCa);
        assertThat(reasons()).anySatisfy(r -> assertThat(r).contains("payments-kafka-tls", "drops the replaced CA's 1 certificate(s)", "roll"));

        // done once every pod restarted without the old CA; never begun again for that request
        assertThat(ensure(again)).isEqualTo(3);
        PODS.forEach(p -> started(p, 3));
        assertThat(ensure(again)).isEqualTo(3);
        assertThat(CaReplacement.progress(entries("payments-cluster-ca"), "ca-2")).isEqualTo(Progress.DONE);
        assertThat(entries("payments-cluster-ca")).containsOnlyKeys("ca.crt", "ca.key", "replacement-request");
        assertThat(observedCa()).as("the new CA signs and is the only one trusted").containsExactly(Pem.fingerprint(newCa), Pem.fingerprint(newCa));
        assertThat(tls.caObserved("payments").orElseThrow().getNotAfter()).isEqualTo(Pem.certificate(newCa).getNotAfter().toInstant());
        clock.set(T0.plus(Duration.ofHours(1)));
        assertThat(ensure(again)).as("the fold not caught up yet: still RUNNING in the state").isEqualTo(3);
        assertThat(ensure(observed(again, "ca-2", OperationState.SUCCEEDED))).isEqualTo(3);
        assertThat(entries("payments-cluster-ca")).containsEntry("ca.crt", newCa).containsEntry("replacement-request", "ca-2");
    }

    @Test
    void aReplacementWhoseCaBecameUnusableMidWayIsNeverTakenAsDone() {
        assertThat(ensure(created)).isZero();
        PODS.forEach(p -> started(p, 0));
        assertThat(ensure(running)).isEqualTo(1);
        Secret secret = client.secrets().inNamespace("payments").withName("payments-cluster-ca").get();
        Map<String, String> data = new TreeMap<>(secret.getData());
        data.put("ca.key", Base64.getEncoder().encodeToString("not a key".getBytes()));
        secret.setData(data);
        client.resource(secret).update();

        ensure(running);
        assertThat(CaReplacement.progress(entries("payments-cluster-ca"), "ca-1")).as("the renewal of an unusable CA took over; the request"
                + " begins anew once it is done").isEqualTo(Progress.NOT_STARTED);
    }

    private static PublicKey key(String certificate) throws Exception {
        return Pem.certificate(certificate).getPublicKey();
    }

    /** The pod as its StatefulSet makes it, with the renewal count of the template it was made from, and Ready. */
    private void started(String pod, int renewal) {
        KafkaRole role = pod.contains("controller") ? KafkaRole.CONTROLLER : KafkaRole.BROKER;
        client.pods().inNamespace("payments").resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace("payments")
                .withLabels(names.labels(role.component()))
                .withAnnotations(renewal == 0 ? Map.of() : Map.of(TlsSecrets.RENEWALS_ANNOTATION, String.valueOf(renewal))).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build()).createOr(existing -> existing.update());
    }

    private List<String> reasons() {
        return sink.of(ResourceActionObserved.class).stream().map(a -> a.getName() + ": " + a.getReason()).toList();
    }

    private Map<String, String> entries(String secret) {
        return TlsSecrets.decoded(client.secrets().inNamespace("payments").withName(secret).get());
    }
}
