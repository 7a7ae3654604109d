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
import io.coxswain.orchestrator.fold.Phases;
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
 * the sandbox API server (heard from a watch, checked by a list), beside creating the same objects
 * straight through the client; then, once every cluster is Ready, the CPU of one resync pass with
 * nothing to do, beside the process's idle CPU over the same time.
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
             CommandClient client = CommandClient.builder(bootstrap).topics(topics).foldGroup(config.applicationId()).decisionTimeout(Duration.ofMinutes(2)).build()) {
            KubernetesExecutor executor = KubernetesExecutor.start(ExecutorConfig.defaults(bootstrap, topics, "bench").withResync(RESYNC),
                    kube.client(), ClusterOperations.none());
            long reached;
            long reconcileNanos;
            try (StatefulSetCounter counter = new StatefulSetCounter(kube.client())) {
                long start = System.nanoTime();
                List<CompletableFuture<?>> sent = new ArrayList<>();
                for (int i = 0; i < clusters; i++) {
                    sent.add(client.send(Commands.on("rec-" + i).issuer("bench").createCluster("4.1.0", 3, 3, "10Gi")).toCompletableFuture());
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
                // the broker StatefulSet is the last object of a cluster the executor creates, so all exist once it does
                counter.awaitAtLeast(2L * clusters, Duration.ofMinutes(10));
                reconcileNanos = System.nanoTime() - start;
                reached = counter.listed(); // what the API server says, not what the watch heard
            }
            String done = reached >= 2L * clusters ? "all objects exist" : "only " + reached / 2 + " clusters' StatefulSets after 10 min";
            log.info("reconcile: {} of {} clusters' objects exist after {} s", reached / 2, clusters, reconcileNanos / 1e9);
            awaitReady(node, clusters, Duration.ofMinutes(5));
            for (int i = 0; i < clusters; i++) {
                node.localClusterState("rec-" + i).ifPresent(states::add);
            }

            long passesBefore = executor.passes();
            double cpuWith = cpuSeconds(idleSeconds);
            // A pass is one reconcile of every cluster; counted, not assumed one per RESYNC: a busy executor does fewer.
            double passes = (executor.passes() - passesBefore) / (double) clusters;
            executor.close();
            double cpuWithout = cpuSeconds(idleSeconds);
            double passSeconds = passes > 0 ? idleSeconds / passes : idleSeconds;
            log.info("reconcile: {} idle resync passes over {} clusters in {} s ({} s each)", passes, clusters, idleSeconds, passSeconds);
            results.add(new Result("CreateCluster x" + clusters + " → " + done, reconcileNanos / 1e9,
                    directCreate(states), "s", "direct client creates", false, "-"));
            results.add(new Result("CPU per idle resync pass (" + clusters + " clusters)",
                    Math.max(0, cpuWith - cpuWithout) / Math.max(passes, 1e-9) * 1000,
                    cpuWithout / idleSeconds * passSeconds * 1000, "ms CPU", "idle process, same time", false, "-"));
        }
        return results;
    }

    /**
     * Idle means idle: the sandbox's controllers are still making pods and claims, and the executor
     * still recording their readiness, for a while after the StatefulSets exist. The idle resync
     * CPU is measured only once every cluster's folded state says Ready (read from the node's
     * local store, which asks the API server nothing), or after the timeout, which is logged.
     */
    private static void awaitReady(CoxswainNode node, int clusters, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int ready = 0;
        while (System.nanoTime() < deadline) {
            ready = 0;
            for (int i = 0; i < clusters; i++) {
                if (node.localClusterState("rec-" + i).filter(s -> Phases.READY.equals(s.getStatus().getPhase())).isPresent()) {
                    ready++;
                }
            }
            if (ready == clusters) {
                log.info("reconcile: all {} clusters Ready {} s later; measuring idle resync", clusters, (System.nanoTime() - start) / 1e9);
                return;
            }
            Thread.sleep(500); // polling the local state store, with a deadline
        }
        log.warn("reconcile: only {} of {} clusters Ready after {}; idle resync CPU measured anyway", ready, clusters, timeout);
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
