package io.coxswain.sandbox.kafkapods;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of a pod runtime, on which each pod's starts and stops run one after another, so a
 * pod re-created while its old incarnation is still stopping starts only once that one has let go
 * of its ports and files.
 */
final class PodSteps {

    private final Map<PodKey, CompletableFuture<Void>> lastStep = new HashMap<>();
    private final ExecutorService threads;

    /** @param name prefix of the (daemon) threads' names */
    PodSteps(String name) {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code step} after the pod's previous step has finished, whatever its outcome. */
    synchronized CompletableFuture<Void> then(PodKey pod, Runnable step) {
        CompletableFuture<Void> previous = lastStep.getOrDefault(pod, CompletableFuture.completedFuture(null));
        CompletableFuture<Void> next = previous.handle((ok, error) -> null).thenRunAsync(step, threads);
        lastStep.put(pod, next);
        return next;
    }

    /** Runs {@code task} on these threads, beside the steps (e.g. waiting for a pod to be ready). */
    void execute(Runnable task) {
        threads.execute(task);
    }

    void shutdown() {
        threads.shutdownNow();
    }
}
