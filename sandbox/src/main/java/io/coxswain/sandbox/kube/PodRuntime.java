package io.coxswain.sandbox.kube;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What runs "inside" a pod of the sandbox: the sandbox kubelet calls {@link #start} when a pod is
 * scheduled and reports the pod Ready when the returned stage completes, and calls {@link #stop}
 * when the pod is deleted. Both are called on the kubelet's thread and must return at once,
 * doing slow work asynchronously. The default runs nothing and is ready at once; a Kafka runtime
 * starts a real Kafka node from the pod's own configuration instead.
 */
public interface PodRuntime {

    /**
     * Starts the pod's containers.
     *
     * @return completes when the pod is ready (its readiness probe would pass); completing
     *     exceptionally reports the container as failed, and the kubelet restarts it with back-off
     */
    CompletionStage<Void> start(Pod pod);

    /**
     * Stops the pod's containers, as SIGTERM does: a graceful shutdown given at most {@code grace}.
     * The kubelet removes the pod when the returned stage completes, or when {@code grace} has
     * passed, whichever comes first; {@code grace} is zero when the pod was force-deleted.
     */
    CompletionStage<Void> stop(Pod pod, Duration grace);

    /**
     * Stops the pods still running when the node shuts down, each given at most {@code grace}. The default stops them all at
     * once; a runtime whose pods lean on each other (brokers on their controllers) stops them in its own order.
     */
    default CompletionStage<Void> stopAll(List<Pod> pods, Duration grace) {
        return CompletableFuture.allOf(pods.stream().map(p -> stop(p, grace).toCompletableFuture().handle((ok, e) -> null))
                .toArray(CompletableFuture[]::new));
    }

    /** Runs nothing: every pod is ready as soon as it starts and stops at once. */
    static PodRuntime readyAtOnce() {
        return new PodRuntime() {
            @Override
            public CompletionStage<Void> start(Pod pod) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> stop(Pod pod, Duration grace) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public String toString() {
                return "ready-at-once";
            }
        };
    }
}
