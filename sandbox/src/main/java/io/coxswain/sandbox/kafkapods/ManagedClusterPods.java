package io.coxswain.sandbox.kafkapods;

import io.coxswain.sandbox.kube.PodRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The sandbox kubelet's runtime for managed clusters, dispatching by pod kind: a Connect worker
 * for a pod of a connect component ({@link ConnectPodRuntime}), a Kafka node for a Kafka pod, and
 * nothing (ready at once) for any other pod ({@link KafkaPodRuntime}). Both keep their files under
 * {@code root}.
 */
public final class ManagedClusterPods implements PodRuntime, AutoCloseable {

    private final KafkaPodRuntime kafka;
    private final ConnectPodRuntime connect;

    public ManagedClusterPods(KubernetesClient client, KafkaNodes nodes, Path root) {
        this.kafka = new KafkaPodRuntime(client, nodes, root);
        this.connect = new ConnectPodRuntime(client, nodes, root);
    }

    @Override
    public CompletionStage<Void> start(Pod pod) {
        try {
            return connect.runs(pod) ? connect.start(pod) : kafka.start(pod);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Stops whatever the pod runs: each runtime lets go of its own pods only. */
    @Override
    public CompletionStage<Void> stop(Pod pod, Duration grace) {
        return CompletableFuture.allOf(connect.stop(pod, grace).toCompletableFuture(), kafka.stop(pod, grace).toCompletableFuture());
    }

    /** The Connect workers first, while the brokers they write to still run; then the Kafka nodes, brokers first. */
    @Override
    public CompletionStage<Void> stopAll(List<Pod> pods, Duration grace) {
        List<Pod> workers = pods.stream().filter(connect::runs).toList();
        List<Pod> rest = pods.stream().filter(p -> !connect.runs(p)).toList();
        return connect.stopAll(workers, grace).thenCompose(ok -> kafka.stopAll(rest, grace));
    }

    /** See {@link KafkaPodRuntime#bootstrapServers}. */
    public String bootstrapServers(String namespace, String statefulSet, int count, String listener) {
        return kafka.bootstrapServers(namespace, statefulSet, count, listener);
    }

    /** See {@link ConnectPodRuntime#connectUrl}. */
    public String connectUrl(String namespace, String statefulSet) {
        return connect.connectUrl(namespace, statefulSet);
    }

    public KafkaNodes nodes() {
        return kafka.nodes();
    }

    /** Stops the Connect workers first, while the brokers they write to still run. */
    @Override
    public void close() {
        connect.close();
        kafka.close();
    }

    @Override
    public String toString() {
        return "managed-cluster-pods";
    }
}
