package io.coxswain.sandbox.kube.kubelet;

import io.coxswain.sandbox.kube.PodRuntime;
import io.coxswain.sandbox.kube.apiserver.GracefulPodDeletion;
import io.coxswain.sandbox.kube.control.WorkQueue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's only node and its kubelet. Every pod is bound to the node, reported Running with
 * IP 127.0.0.1, handed to the {@link PodRuntime}, and reported Ready when the runtime says so. A
 * deleted pod is reported not ready, stopped through the runtime within its grace period, and
 * then released so the API server removes it (see {@link GracefulPodDeletion}). All of it runs on
 * one queue thread; the runtime's completions are brought back onto that thread.
 */
public final class Kubelet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Kubelet.class);
    private static final long DEFAULT_GRACE_SECONDS = 30;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final PodRuntime runtime;
    private final WorkQueue queue;
    /** The pods this kubelet runs, by namespace/name; touched only on the queue thread. */
    private final Map<String, RunningPod> pods = new HashMap<>();
    private final SharedIndexInformer<Pod> informer;
    private volatile Predicate<String> neverReady = name -> false;

    public Kubelet(KubernetesClient client, PodRuntime runtime) {
        this.client = client;
        this.runtime = runtime;
        this.queue = new WorkQueue("kubelet", this::sync);
        SandboxNode.register(client);
        this.informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                queue.enqueue(key(pod));
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                queue.enqueue(key(pod));
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                queue.enqueue(key(pod));
            }
        });
        log.info("Sandbox kubelet started on node {} with runtime {}", SandboxNode.NAME, runtime);
    }

    /**
     * Pods whose name matches are reported Running but never Ready, and their runtime is not
     * started; for tests of operations that must notice a stuck pod. Pods already Ready are left
     * as they are; pods held back by an earlier predicate are started once it no longer matches.
     */
    public void setNeverReady(Predicate<String> podName) {
        this.neverReady = podName;
        queue.execute(() -> pods.keySet().forEach(queue::enqueue));
    }

    private void sync(String key) {
        Pod pod = client.pods().inNamespace(WorkQueue.namespaceOf(key)).withName(WorkQueue.nameOf(key)).get();
        RunningPod running = pods.get(key);
        if (running != null && (pod == null || !running.uid().equals(pod.getMetadata().getUid()))) {
            // Removed without a graceful stop (a forced delete) or already replaced: kill what still runs.
            pods.remove(key);
            if (running.hasContainers() && running.state != RunningPod.State.STOPPING) {
                log.info("Pod {} is gone: killing its containers", key);
                Pod gone = running.pod;
                stage(() -> runtime.stop(gone, Duration.ZERO));
            }
            running = null;
        }
        if (pod == null) {
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            terminate(key, pod, running);
        } else if (running == null) {
            admit(key, pod);
        } else {
            running.pod = pod;
            if (running.state == RunningPod.State.HELD && !neverReady.test(pod.getMetadata().getName())) {
                start(key, running);
            } else if (running.state == RunningPod.State.FAILED && !Instant.now().isBefore(running.retryAt)) {
                start(key, running);
            } else if (PodStatuses.reportedReady(pod) != (running.state == RunningPod.State.READY)) {
                writeStatus(running); // a status write was lost: report again what the kubelet knows
            }
        }
    }

    private void admit(String key, Pod pod) {
        if (pod.getSpec().getNodeName() == null) {
            pod = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .edit(p -> {
                        p.getSpec().setNodeName(SandboxNode.NAME);
                        return p;
                    });
        }
        RunningPod running = new RunningPod(pod);
        boolean hold = neverReady.test(pod.getMetadata().getName());
        running.state = hold ? RunningPod.State.HELD : RunningPod.State.STARTING;
        writeStatus(running);
        // Known to the kubelet only once reported Running: if a write above failed, the retry admits it afresh.
        pods.put(key, running);
        if (hold) {
            log.info("Pod {} running, held not ready on purpose", key);
        } else {
            start(key, running);
        }
    }

    private void start(String key, RunningPod running) {
        running.state = RunningPod.State.STARTING;
        running.failure = null;
        String uid = running.uid();
        stage(() -> runtime.start(running.pod))
                .whenComplete((ok, error) -> queue.execute(key, () -> started(key, uid, error)));
    }

    private void started(String key, String uid, Throwable error) {
        RunningPod running = pods.get(key);
        if (running == null || !running.uid().equals(uid) || running.state != RunningPod.State.STARTING) {
            return;
        }
        if (error == null) {
            running.state = RunningPod.State.READY;
            log.info("Pod {} ready", key);
        } else {
            running.state = RunningPod.State.FAILED;
            running.restarts++;
            running.failure = "start failed: " + error;
            Duration backoff = Duration.ofSeconds(Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(running.restarts, 5)));
            running.retryAt = Instant.now().plus(backoff);
            log.warn("Pod {} failed to start (restart {}), retrying in {} s: {}", key, running.restarts,
                    backoff.toSeconds(), error.toString());
            queue.enqueueAfter(key, backoff);
        }
        writeStatus(running);
    }

    private void terminate(String key, Pod pod, RunningPod running) {
        boolean held = Optional.ofNullable(pod.getMetadata().getFinalizers()).orElse(List.of())
                .contains(GracefulPodDeletion.FINALIZER);
        if (running == null) {
            if (held) {
                release(pod); // never started here: nothing to stop
            }
            return;
        }
        if (running.state == RunningPod.State.STOPPING) {
            return;
        }
        boolean hadContainers = running.hasContainers();
        running.state = RunningPod.State.STOPPING;
        running.pod = pod;
        long seconds = Optional.ofNullable(pod.getMetadata().getDeletionGracePeriodSeconds())
                .or(() -> Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()))
                .orElse(DEFAULT_GRACE_SECONDS);
        Duration grace = Duration.ofSeconds(seconds);
        log.info("Pod {} terminating: stopping it with a grace period of {} s", key, seconds);
        updateStatus(pod, PodStatuses.terminating(pod));
        String uid = running.uid();
        // The pod goes when the runtime has stopped, or when the grace period is over (SIGKILL).
        CompletableFuture<Void> done = new CompletableFuture<>();
        stage(() -> hadContainers ? runtime.stop(pod, grace) : null).whenComplete((ok, error) -> done.complete(null));
        done.completeOnTimeout(null, seconds, TimeUnit.SECONDS)
                .whenComplete((ok, error) -> queue.execute(key, () -> stopped(key, uid)));
    }

    private void stopped(String key, String uid) {
        RunningPod running = pods.get(key);
        if (running == null || !running.uid().equals(uid)) {
            return;
        }
        pods.remove(key);
        Pod pod = client.pods().inNamespace(WorkQueue.namespaceOf(key)).withName(WorkQueue.nameOf(key)).get();
        if (pod != null && pod.getMetadata().getUid().equals(uid)) {
            release(pod);
        }
    }

    /** Removes the kubelet's finalizer; with no other finalizer left, the API server drops the pod. */
    private void release(Pod pod) {
        List<String> finalizers = Optional.ofNullable(pod.getMetadata().getFinalizers()).orElse(List.of());
        int index = finalizers.indexOf(GracefulPodDeletion.FINALIZER);
        if (index < 0) {
            return;
        }
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\"" + pod.getMetadata().getUid()
                                    + "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + index + "\"}]");
            log.info("Pod {}/{} stopped and removed", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void writeStatus(RunningPod running) {
        Pod pod = running.pod;
        updateStatus(pod, PodStatuses.running(pod, running.observed()));
    }

    private void updateStatus(Pod pod, PodStatus status) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .editStatus(p -> {
                        p.setStatus(status);
                        return p;
                    });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** Calls the runtime, turning a synchronous throw or a null into a stage. */
    private static CompletionStage<Void> stage(Supplier<CompletionStage<Void>> call) {
        try {
            CompletionStage<Void> stage = call.get();
            return stage == null ? CompletableFuture.completedFuture(null) : stage;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String key(Pod pod) {
        return WorkQueue.key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    /** Stops the kubelet, and with it every pod's runtime (a node shutting down). */
    @Override
    public void close() {
        informer.close();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        queue.execute(() -> {
            List<Pod> running = pods.values().stream().filter(RunningPod::hasContainers).map(p -> p.pod).toList();
            pods.clear();
            // in the runtime's order: a Kafka broker stopped beside its controllers would wait out its grace for their answer
            stage(() -> runtime.stopAll(running, SHUTDOWN_GRACE)).whenComplete((ok, error) -> stopped.complete(null));
        });
        try {
            stopped.get(2 * SHUTDOWN_GRACE.toSeconds() + 5, TimeUnit.SECONDS); // brokers, then controllers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Sandbox kubelet: pods still stopping at shutdown: {}", e.toString());
        }
        queue.close();
        log.info("Sandbox kubelet stopped");
    }
}
