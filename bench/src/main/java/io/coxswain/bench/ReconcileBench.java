package io.coxswain.bench;

import com.sun.management.OperatingSystemMXBean;
import io.coxswain.avro.Topics;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.CommandClient;
import io.coxswain.orchestrator.executor.ExecutorConfig;
import io.coxswain.orchestrator.executor.KubernetesExecutor;
import io.coxswain.orchestrator.executor.model.DesiredCluster;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import io.coxswain.sandbox.kube.PodRuntime;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconcile at scale: time from N CreateCluster commands to every cluster's StatefulSets existing in
 * the sandbox API server, beside creating the same objects straight through the client; then the CPU
 * of one resync pass with nothing to do, beside the process's idle CPU over the same time.
 */
final class ReconcileBench {

    private static final Logger log = LoggerFactory.getLogger(ReconcileBench.class);
    private static final Duration RESYNC = Duration.ofSeconds(2);

    private ReconcileBench() {
    }

    static List<Result> run(String bootstrap, Path stateDir, int clusters, int idleSeconds) throws Exception {
        Topics topics = new Topics("bench-rec.");
        NodeConfig config = NodeConfig.defaults(bootstrap, stateDir).withTopics(topics).withApplicationId("bench-rec").withPartitions(6, (short) 1);
        List<Result> results = new ArrayList<>();
        List<ClusterState> states = new ArrayList<>();
        try (CoxswainNode node = CoxswainNode.start(config, Duration.ofMinutes(2));
             SandboxKubernetes kube = SandboxKubernetes.start(0, PodRuntime.readyAtOnce());
             CommandClient client = CommandClient.builder(bootstrap).topics(topics).decisionTimeout(Duration.ofMinutes(2)).build()) {
            KubernetesExecutor executor = KubernetesExecutor.start(ExecutorConfig.defaults(bootstrap, topics, "bench").withResync(RESYNC),
                    kube.client(), ClusterOperations.none());
            long start = System.nanoTime();
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < clusters; i++) {
                sent.add(client.send(Commands.on("rec-" + i).issuer("bench").createCluster("4.1.0", 3, 3, "10Gi")).toCompletableFuture());
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            long reached = awaitStatefulSets(kube.client(), 2L * clusters, Duration.ofMinutes(10));
            long reconcileNanos = System.nanoTime() - start;
            String done = reached >= 2L * clusters ? "all objects exist" : "only " + reached / 2 + " clusters' StatefulSets after 10 min";
            log.info("reconcile: {} clusters' objects exist after {} s", clusters, reconcileNanos / 1e9);
            for (int i = 0; i < clusters; i++) {
                node.localClusterState("rec-" + i).ifPresent(states::add);
            }

            double cpuWith = cpuSeconds(idleSeconds);
            executor.close();
            double cpuWithout = cpuSeconds(idleSeconds);
            double passes = idleSeconds / (double) RESYNC.toSeconds();
            results.add(new Result("CreateCluster x" + clusters + " → " + done, reconcileNanos / 1e9,
                    directCreate(states), "s", "direct client creates", false, "-"));
            results.add(new Result("CPU per idle resync pass (" + clusters + " clusters)", Math.max(0, cpuWith - cpuWithout) / passes * 1000,
                    cpuWithout / passes * 1000, "ms CPU", "idle process, same time", false, "-"));
        }
        return results;
    }

    /** @return how many StatefulSets exist when all do or the timeout passes (reported, not thrown: a slow run is a finding) */
    private static long awaitStatefulSets(KubernetesClient client, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long count;
        while ((count = client.apps().statefulSets().inAnyNamespace().list().getItems().size()) < expected) {
            if (System.nanoTime() > deadline) {
                log.warn("reconcile: only {} of {} StatefulSets exist after {}", count, expected, timeout);
                return count;
            }
            Thread.sleep(250); // sampling the API server
        }
        return count;
    }

    /** The anchor: the same objects created straight through the client on a fresh sandbox API server. */
    private static double directCreate(List<ClusterState> states) {
        try (SandboxKubernetes kube = SandboxKubernetes.start(0, PodRuntime.readyAtOnce())) {
            KubernetesClient client = kube.client();
            long start = System.nanoTime();
            for (ClusterState state : states) {
                DesiredCluster desired = DesiredCluster.of(state, ModelSettings.defaults(), DesiredCluster.Inputs.of(state));
                client.resource(desired.namespace()).create();
                for (HasMetadata object : desired.objects()) {
                    client.resource(object).create();
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static double cpuSeconds(int seconds) throws InterruptedException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long before = os.getProcessCpuTime();
        Thread.sleep(seconds * 1000L); // the measurement window
        return (os.getProcessCpuTime() - before) / 1e9;
    }
}
