package io.coxswain.sandbox.kube;

import static io.coxswain.sandbox.kube.Fixtures.awaitReadyPods;
import static io.coxswain.sandbox.kube.Fixtures.kafkaSet;
import static io.coxswain.sandbox.kube.Fixtures.pods;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kubelet's side of a pod's life: readiness from the runtime, graceful and forced deletion, restarts. */
class PodLifecycleTest {

    private static final ScriptedRuntime runtime = new ScriptedRuntime();
    private static SandboxKubernetes kube;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        kube = SandboxKubernetes.start(0, runtime);
        client = kube.client();
    }

    @AfterAll
    static void stop() {
        kube.close();
    }

    @Test
    void aPodIsReadyOnlyWhenItsRuntimeSaysSo() {
        String ns = Fixtures.newNamespace(client, "readiness");
        CompletableFuture<Void> ready = new CompletableFuture<>();
        runtime.startResults.put(ns + "/kafka-0", ready);
        Fixtures.create(client, kafkaSet(ns, "kafka", 2, "OnDelete", "apache/kafka:4.0.0"));

        Pod starting = Eventually.await("kafka-0 running", () -> pods(client, ns).get("kafka-0"),
                p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        assertThat(Fixtures.runningAndReady(starting)).isFalse();
        assertThat(starting.getStatus().getContainerStatuses()).singleElement()
                .satisfies(c -> assertThat(c.getReady()).isFalse());
        assertThat(pods(client, ns)).as("OrderedReady waits for kafka-0").containsOnlyKeys("kafka-0");

        ready.complete(null);
        awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1"));
    }

    @Test
    void deletionStopsThePodThroughItsRuntimeWithinTheGracePeriod() {
        String ns = Fixtures.newNamespace(client, "graceful");
        Fixtures.create(client, kafkaSet(ns, "kafka", 1, "OnDelete", "apache/kafka:4.0.0"));
        Pod before = awaitReadyPods(client, ns, List.of("kafka-0")).get("kafka-0");
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        runtime.stopResults.put(ns + "/kafka-0", stopped);

        client.pods().inNamespace(ns).withName("kafka-0").withGracePeriod(120).delete();

        Pod terminating = Eventually.await("kafka-0 terminating and not ready", () -> pods(client, ns).get("kafka-0"),
                p -> p != null && p.getMetadata().getDeletionTimestamp() != null && !readyCondition(p));
        assertThat(terminating.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(120L);
        Eventually.until("runtime asked to stop", () -> runtime.stops.contains(ns + "/kafka-0 PT2M"));
        assertThat(pods(client, ns).get("kafka-0").getMetadata().getUid())
                .as("the pod stays while its runtime stops").isEqualTo(before.getMetadata().getUid());

        stopped.complete(null);
        Pod after = Eventually.await("kafka-0 re-created", () -> pods(client, ns).get("kafka-0"),
                p -> p != null && !p.getMetadata().getUid().equals(before.getMetadata().getUid()) && Fixtures.runningAndReady(p));
        assertThat(after.getMetadata().getDeletionTimestamp()).isNull();
    }

    @Test
    void aStopThatOverrunsTheGracePeriodIsCutShort() {
        String ns = Fixtures.newNamespace(client, "overrun");
        Fixtures.create(client, kafkaSet(ns, "kafka", 1, "OnDelete", "apache/kafka:4.0.0"));
        Pod before = awaitReadyPods(client, ns, List.of("kafka-0")).get("kafka-0");
        runtime.stopResults.put(ns + "/kafka-0", new CompletableFuture<>()); // never completes

        client.pods().inNamespace(ns).withName("kafka-0").withGracePeriod(1).delete();

        Eventually.await("kafka-0 re-created after the grace period", () -> pods(client, ns).get("kafka-0"),
                p -> p != null && !p.getMetadata().getUid().equals(before.getMetadata().getUid()) && Fixtures.runningAndReady(p));
    }

    @Test
    void aForcedDeletionRemovesThePodAtOnceAndKillsItsRuntime() {
        String ns = Fixtures.newNamespace(client, "forced");
        Fixtures.create(client, kafkaSet(ns, "kafka", 1, "OnDelete", "apache/kafka:4.0.0"));
        Pod before = awaitReadyPods(client, ns, List.of("kafka-0")).get("kafka-0");
        runtime.stopResults.put(ns + "/kafka-0", new CompletableFuture<>()); // would hold a graceful stop

        client.pods().inNamespace(ns).withName("kafka-0").withGracePeriod(0).delete();

        Eventually.until("runtime killed", () -> runtime.stops.contains(ns + "/kafka-0 PT0S"));
        Eventually.await("kafka-0 re-created", () -> pods(client, ns).get("kafka-0"),
                p -> p != null && !p.getMetadata().getUid().equals(before.getMetadata().getUid()) && Fixtures.runningAndReady(p));
    }

    @Test
    void aPodHeldNeverReadyStallsAnOrderedSetUntilReleased() {
        String ns = Fixtures.newNamespace(client, "stuck");
        String stuck = "stuck-1";
        kube.setNeverReady(name -> name.equals(stuck));
        try {
            Fixtures.create(client, kafkaSet(ns, "stuck", 3, "OnDelete", "apache/kafka:4.0.0"));
            Map<String, Pod> pods = Eventually.await("stuck-1 running but not ready", () -> pods(client, ns),
                    p -> p.containsKey(stuck) && p.get(stuck).getStatus() != null
                            && "Running".equals(p.get(stuck).getStatus().getPhase()));
            assertThat(Fixtures.runningAndReady(pods.get("stuck-0"))).isTrue();
            assertThat(Fixtures.runningAndReady(pods.get(stuck))).isFalse();
            assertThat(pods).doesNotContainKey("stuck-2");
            Eventually.await("status readyReplicas=1", () -> Fixtures.get(client, ns, "stuck").getStatus(),
                    s -> s != null && s.getReplicas() == 2 && s.getReadyReplicas() == 1);
            assertThat(runtime.starts).doesNotContain(ns + "/" + stuck);
        } finally {
            kube.setNeverReady(name -> false);
        }
        awaitReadyPods(client, ns, List.of("stuck-0", "stuck-1", "stuck-2"));
    }

    @Test
    void aFailedStartIsRetriedAndCounted() {
        String ns = Fixtures.newNamespace(client, "crash");
        runtime.startResults.put(ns + "/kafka-0", CompletableFuture.failedFuture(new IllegalStateException("boom")));
        // Every status the pod is given, as the watch delivers them in order: the crash-loop status lasts only the back-off
        // (2 s), which a poll on a loaded machine can miss, then seeing the retried pod, ready with the same restart count.
        List<String> reported = new CopyOnWriteArrayList<>();
        try (Watch watch = client.pods().inNamespace(ns).watch(recordContainerStates(reported))) {
            Fixtures.create(client, kafkaSet(ns, "kafka", 1, "OnDelete", "apache/kafka:4.0.0"));

            Pod ready = awaitReadyPods(client, ns, List.of("kafka-0")).get("kafka-0");
            assertThat(ready.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(1);
            Eventually.until("the ready status delivered to the watch", () -> reported.contains("ready, restarts 1"));
        }
        assertThat(reported).as("the statuses kafka-0 was given").containsSubsequence("waiting CrashLoopBackOff, restarts 1", "ready, restarts 1");
        assertThat(runtime.startCount(ns + "/kafka-0")).isEqualTo(2);
    }

    @Test
    void aBarePodIsCreatedPendingRunByTheKubeletAndGoneWhenDeleted() {
        String ns = Fixtures.newNamespace(client, "bare");
        Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("client").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox:1.36").endContainer().endSpec()
                .withNewStatus().withPhase("Succeeded").endStatus().build();

        Pod created = client.pods().inNamespace(ns).resource(pod).create();

        assertThat(created.getStatus().getPhase()).as("the API server sets the initial status").isEqualTo("Pending");
        assertThat(created.getStatus().getQosClass()).isEqualTo("BestEffort");
        Pod running = Eventually.await("client running and ready", () -> pods(client, ns).get("client"),
                p -> p != null && Fixtures.runningAndReady(p));
        assertThat(running.getSpec().getNodeName()).isEqualTo("sandbox-node");
        assertThat(running.getStatus().getQosClass()).isEqualTo("BestEffort");

        client.pods().inNamespace(ns).withName("client").delete();
        Eventually.until("client gone", () -> pods(client, ns).isEmpty());
    }

    /** Records each status of a pod's first container as "waiting REASON, restarts N", "ready, restarts N" or "running, restarts N". */
    private static Watcher<Pod> recordContainerStates(List<String> reported) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null || pod.getStatus().getContainerStatuses().isEmpty()) {
                    return;
                }
                ContainerStatus c = pod.getStatus().getContainerStatuses().get(0);
                String state = c.getState() != null && c.getState().getWaiting() != null ? "waiting " + c.getState().getWaiting().getReason()
                        : Boolean.TRUE.equals(c.getReady()) ? "ready" : "running";
                reported.add(state + ", restarts " + c.getRestartCount());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    private static boolean readyCondition(Pod pod) {
        return pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** A runtime whose answers tests choose per pod; unscripted pods start and stop at once. */
    static final class ScriptedRuntime implements PodRuntime {
        /** Consumed by the next start of the pod ("namespace/name"). */
        final Map<String, CompletionStage<Void>> startResults = new ConcurrentHashMap<>();
        final Map<String, CompletionStage<Void>> stopResults = new ConcurrentHashMap<>();
        final List<String> starts = new CopyOnWriteArrayList<>();
        /** "namespace/name grace" of every stop. */
        final List<String> stops = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> startCounts = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Void> start(Pod pod) {
            String key = key(pod);
            starts.add(key);
            startCounts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            CompletionStage<Void> scripted = startResults.remove(key);
            return scripted != null ? scripted : CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> stop(Pod pod, Duration grace) {
            String key = key(pod);
            stops.add(key + " " + grace);
            CompletionStage<Void> scripted = stopResults.remove(key);
            return scripted != null ? scripted : CompletableFuture.completedFuture(null);
        }

        int startCount(String key) {
            return startCounts.getOrDefault(key, new AtomicInteger()).get();
        }

        private static String key(Pod pod) {
            return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        }
    }
}
