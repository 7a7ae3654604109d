package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.SetMirror;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.MirrorSecret;
import io.coxswain.orchestrator.fold.Evolve;
import io.coxswain.orchestrator.operations.connect.MirrorConnectors;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The target's mirror Secret as the executor writes it on a Kubernetes API server (CRUD), and when a mirror's connectors
 * may be made: only once the connect pods run with what the Secret holds, since Kubernetes refreshes mounted files late and
 * a connector reads them when it starts.
 */
@EnableKubernetesMockClient(crud = true)
class MirrorsTest {

    KubernetesClient kube;
    private final ClusterNames names = ClusterNames.of("dr", "{cluster}");
    private ClusterState target = Evolve.apply(Evolve.apply(TestStates.created("dr", 1, 1),
                    Commands.on("dr").issuer("a").setComponent("connect", 1, null, null, Map.of())),
            Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("m").setSourceCluster("east").build()));
    private final ClusterState east = TestStates.created("east", 1, 1);
    private Mirrors mirrors;

    @BeforeEach
    void mirrors() {
        mirrors = new Mirrors(kube, new OperationRecorder(new RecordingSink()), (s, n) -> n.bootstrapServers(), "{cluster}", true);
    }

    @Test
    void aMirrorWhoseCopiedCertificatesChangeGetsItsConnectorsOnlyOnceTheConnectPodsCarryTheNewContent() {
        mirrors.see(id -> id.equals("east") ? Optional.of(east) : Optional.empty());
        caSecret("dr", "CA-DR");
        connectPod("dr-connect-0", "made before any mirror");

        MirrorConnectors first = mirrors.connectors(target, names, "c-1");
        assertThat(first.connectors()).as("east's CA Secret not made yet").isEmpty();
        assertThat(first.leftAlone()).as("managed while it waits").contains("m-source");
        assertThat(first.notRunnable().get("m")).contains("east/east-cluster-ca-cert");

        caSecret("east", "CA-EAST");
        MirrorConnectors copied = mirrors.connectors(target, names, "c-1");
        String hash = annotationWanted();
        assertThat(copied.connectors()).as("copied in this pass: the pods do not have it yet").isEmpty();
        assertThat(copied.notRunnable().get("m")).contains("dr-connect-0", "dr/dr-mirrors");

        connectPod("dr-connect-0", hash); // the roll the new annotation makes
        MirrorConnectors rolled = mirrors.connectors(target, names, "c-1");
        assertThat(rolled.connectors()).containsOnlyKeys("m-source", "m-heartbeat");
        assertThat(rolled.notRunnable()).isEmpty();

        caSecret("east", "CA-EAST-REPLACED"); // ReplaceClusterCa on the source
        MirrorConnectors replaced = mirrors.connectors(target, names, "c-1");
        assertThat(annotationWanted()).as("the content changed: the pods are to roll").isNotEqualTo(hash);
        assertThat(replaced.connectors()).as("held until they did").isEmpty();
        assertThat(replaced.leftAlone()).contains("m-source");
    }

    @Test
    void aMirrorWhoseSourceUserAppearsAfterTheSetMirrorGetsItsConnectorsOnceThePodsCarryTheUsersCertificate() {
        ClusterState tlsEast = Evolve.apply(TestStates.created("east", TestStates.create(1, 1)
                .setClientAuthentication(io.coxswain.avro.command.ClientAuthentication.TLS).build()),
                Commands.on("east").issuer("a").createUser("mirror-dr", java.util.List.of()));
        target = Evolve.apply(target, Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("m").setSourceCluster("east")
                .setSourceUser("mirror-dr").build()));
        mirrors.see(id -> id.equals("east") ? Optional.of(tlsEast) : Optional.empty());
        caSecret("dr", "CA-DR");
        caSecret("east", "CA-EAST");
        mirrors.connectors(target, names, "c-1");
        connectPod("dr-connect-0", annotationWanted()); // running with the CAs only
        MirrorConnectors before = mirrors.connectors(target, names, "c-1");
        assertThat(before.connectors()).isEmpty();
        assertThat(before.notRunnable().get("m")).contains("east/east-user-mirror-dr");

        kube.resource(new SecretBuilder().withNewMetadata().withName("east-user-mirror-dr").withNamespace("east").endMetadata()
                .withData(Map.of("user.crt", "Q0VSVA==", "user.key", "S0VZ", "user.pem", "S0VZQ0VSVA==")).build()).create(); // CreateUser's Secret, made late
        MirrorConnectors copied = mirrors.connectors(target, names, "c-1");
        assertThat(kube.secrets().inNamespace("dr").withName("dr-mirrors").get().getData()).containsKeys("m.source-user.crt", "m.source-user.key",
                "m.source-user.pem");
        assertThat(copied.connectors()).as("not in the pass that copied the user's keys: the pods read the files late").isEmpty();

        connectPod("dr-connect-0", annotationWanted());
        assertThat(mirrors.connectors(target, names, "c-1").connectors().get("m-source").getConfig())
                .containsEntry("source.cluster.ssl.keystore.key", "${directory:/mnt/secrets/dr-mirrors:m.source-user.key}");
    }

    @Test
    void whatWasCopiedForAMirrorWhoseSourceIsNotKnownYetIsKept() {
        mirrors.see(id -> id.equals("east") ? Optional.of(east) : Optional.empty());
        caSecret("dr", "CA-DR");
        caSecret("east", "CA-EAST");
        mirrors.connectors(target, names, "c-1");
        Map<String, String> copied = kube.secrets().inNamespace("dr").withName("dr-mirrors").get().getData();
        assertThat(copied).containsOnlyKeys("m.source-ca.crt", "target-ca.crt");

        mirrors.see(id -> Optional.empty()); // after a restart, east's partition not read yet
        MirrorConnectors unknown = mirrors.connectors(target, names, "c-1");
        assertThat(kube.secrets().inNamespace("dr").withName("dr-mirrors").get().getData())
                .as("the files its running tasks read stay, and the pods do not roll").isEqualTo(copied);
        assertThat(unknown.leftAlone()).contains("m-source");

        mirrors.see(id -> id.equals("east") ? Optional.of(east) : Optional.empty());
        target = Evolve.apply(target, Commands.on("dr").issuer("a").deleteMirror("m"));
        target = Evolve.apply(target, Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("m.b").setSourceCluster("east").build()));
        mirrors.connectors(target, names, "c-1");
        mirrors.see(id -> Optional.empty());
        target = Evolve.apply(target, Commands.on("dr").issuer("a").setMirror(SetMirror.newBuilder().setName("m").setSourceCluster("west").build()));
        target = Evolve.apply(target, Commands.on("dr").issuer("a").deleteMirror("m.b"));
        mirrors.connectors(target, names, "c-1");
        assertThat(kube.secrets().inNamespace("dr").withName("dr-mirrors").get().getData()).as("only m's own keys are m's")
                .doesNotContainKey("m.b.source-ca.crt");
    }

    /** What the connect pod template is annotated with for the Secret as written (as the reconciler reads it). */
    private String annotationWanted() {
        return MirrorSecret.contentHash(kube.secrets().inNamespace("dr").withName("dr-mirrors").get().getData());
    }

    private void caSecret(String cluster, String ca) {
        ClusterNames n = ClusterNames.of(cluster, "{cluster}");
        kube.resource(new SecretBuilder().withNewMetadata().withName(n.clusterCaCertSecret()).withNamespace(n.namespace()).endMetadata()
                .withData(Map.of("ca.crt", Base64.getEncoder().encodeToString(ca.getBytes()))).build()).createOr(r -> r.update());
    }

    private void connectPod(String name, String annotation) {
        kube.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace("dr").withLabels(names.selector("connect"))
                .withAnnotations(Map.of(MirrorSecret.CONTENT_ANNOTATION, annotation)).endMetadata().build()).createOr(r -> r.update());
    }

}
