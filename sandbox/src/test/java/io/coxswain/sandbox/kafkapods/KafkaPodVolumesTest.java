package io.coxswain.sandbox.kafkapods;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.sandbox.kafka.SharedKafka;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Kafka pod's data lives in the directory of its claim's life (name and uid): a pod re-created
 * by its StatefulSet finds its data again, while a claim deleted and created again under the same
 * name (scale-in deletes drained brokers' claims, a later scale-out re-creates them) starts empty,
 * as a new volume would. Real Kafka nodes (one KRaft controller) behind the sandbox's pods.
 */
class KafkaPodVolumesTest {

    private static final String NS = "volumes";
    private static final String SET = "vol-controller";
    private static final String POD = SET + "-0";
    private static final String CLAIM = "data-" + POD;
    private static Path root;
    private static SandboxKubernetes kube;
    private static KubernetesClient client;
    private static final AtomicReference<KafkaPodRuntime> runtime = new AtomicReference<>();

    @BeforeAll
    static void start() throws IOException {
        root = Files.createTempDirectory("kafka-pod-volumes");
        kube = SandboxKubernetes.start(0, c -> {
            runtime.set(new KafkaPodRuntime(c, KafkaNodes.inProcess(), root));
            return runtime.get();
        });
        client = kube.client();
    }

    @AfterAll
    static void stop() {
        if (kube != null) {
            kube.close();
        }
        SharedKafka.deleteQuietly(root);
    }

    @Test
    void aRecreatedPodKeepsItsDataAndARecreatedClaimStartsEmpty() throws IOException {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        String properties = new LocalCluster(runtime.get().nodes(), NS, "vol", 1, root, Map.of()).controllerProperties(0);
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("vol-config").endMetadata()
                .addToData("server-0.properties", properties).build()).create();
        client.apps().statefulSets().inNamespace(NS).resource(controllerSet()).create();

        Pod first = awaitReadyPod(null);
        String firstUid = claim().getMetadata().getUid();
        assertThat(firstUid).isNotBlank();
        Path firstDir = root.resolve(NS).resolve(CLAIM + "-" + firstUid);
        await("the node formats its volume in " + firstDir, () -> hasMetaProperties(firstDir));
        Path marker = Files.writeString(firstDir.resolve("written-by-the-first-pod"), "kept");

        // the pod deleted: the StatefulSet re-creates it on the same claim, and the node finds the same data
        client.pods().inNamespace(NS).withName(POD).delete();
        awaitReadyPod(first.getMetadata().getUid());
        assertThat(claim().getMetadata().getUid()).isEqualTo(firstUid);
        assertThat(marker).hasContent("kept");
        assertThat(claimDirs()).containsExactly(firstDir);

        // the claim deleted while no pod uses it, then the ordinal comes back: a new volume, empty
        scale(0);
        await("pod " + POD + " gone", () -> client.pods().inNamespace(NS).withName(POD).get() == null);
        client.persistentVolumeClaims().inNamespace(NS).withName(CLAIM).delete();
        await("claim " + CLAIM + " gone", () -> claim() == null);
        scale(1);
        awaitReadyPod(null);
        String secondUid = claim().getMetadata().getUid();
        assertThat(secondUid).isNotEqualTo(firstUid);
        Path secondDir = root.resolve(NS).resolve(CLAIM + "-" + secondUid);
        await("the node formats its new volume in " + secondDir, () -> hasMetaProperties(secondDir));
        assertThat(secondDir.resolve("written-by-the-first-pod")).doesNotExist();
        assertThat(claimDirs()).containsExactlyInAnyOrder(firstDir, secondDir);
    }

    private static StatefulSet controllerSet() {
        return new StatefulSetBuilder()
                .withNewMetadata().withName(SET).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(1).withServiceName(SET)
                .withNewSelector().addToMatchLabels("app", SET).endSelector()
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", SET).endMetadata()
                .withNewSpec().addNewContainer().withName("kafka").withImage("apache/kafka:4.2.0").endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName("vol-config").endConfigMap().endVolume()
                .endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                .endVolumeClaimTemplate()
                .endSpec().build();
    }

    private static void scale(int replicas) {
        client.apps().statefulSets().inNamespace(NS).withName(SET).scale(replicas); // the scale subresource: no conflict with status writes
    }

    private static PersistentVolumeClaim claim() {
        return client.persistentVolumeClaims().inNamespace(NS).withName(CLAIM).get();
    }

    /** Waits for the pod Ready (its node started and answering); {@code notUid}: a re-created pod, not that one. */
    private static Pod awaitReadyPod(String notUid) {
        AtomicReference<Pod> ready = new AtomicReference<>();
        await("pod " + POD + " Ready" + (notUid == null ? "" : " again"), () -> {
            Pod p = client.pods().inNamespace(NS).withName(POD).get();
            boolean ok = p != null && !p.getMetadata().getUid().equals(notUid) && p.getMetadata().getDeletionTimestamp() == null
                    && p.getStatus() != null && p.getStatus().getConditions() != null
                    && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            ready.set(p);
            return ok;
        });
        return ready.get();
    }

    private static List<Path> claimDirs() throws IOException {
        try (Stream<Path> dirs = Files.list(root.resolve(NS))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(CLAIM)).toList();
        }
    }

    private static boolean hasMetaProperties(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().equals("meta.properties"));
        } catch (IOException | UncheckedIOException e) {
            return false; // the node is still writing it
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 60 s waiting for " + what);
            }
            try {
                Thread.sleep(100); // polling interval; the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
