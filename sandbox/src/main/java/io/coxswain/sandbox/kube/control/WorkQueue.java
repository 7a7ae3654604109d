package io.coxswain.sandbox.kube.control;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A de-duplicating queue of object keys ("namespace/name") worked off by one thread, the way
 * client-go's work queues feed Kubernetes controllers: informer events only say "look at this
 * key again", and the handler reads the current state itself. One thread per controller keeps
 * every reconcile of a controller strictly ordered, so handlers need no locking of their own.
 * A handler that throws is retried after a short delay, as a real controller requeues.
 */
public final class WorkQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);
    private static final Duration RETRY_DELAY = Duration.ofMillis(500);
    private static final Duration RACE_RETRY_DELAY = Duration.ofMillis(20);

    private final String name;
    private final Consumer<String> handler;
    private final ScheduledExecutorService executor;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public WorkQueue(String name, Consumer<String> handler) {
        this.name = name;
        this.handler = handler;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    public static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    public static String namespaceOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    public static String nameOf(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    /** Asks for {@code key} to be handled soon; a key already waiting is not queued twice. */
    public void enqueue(String key) {
        if (queued.add(key)) {
            submit(() -> handle(key), Duration.ZERO);
        }
    }

    public void enqueueAfter(String key, Duration delay) {
        submit(() -> enqueue(key), delay);
    }

    /** Runs a one-off task on the queue's thread, ordered with the reconciles. */
    public void execute(Runnable task) {
        submit(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("{}: task failed", name, e);
                }
            }
        }, Duration.ZERO);
    }

    /** As {@link #execute(Runnable)}; if the task fails, {@code key} is reconciled to repair what it left undone. */
    public void execute(String key, Runnable task) {
        submit(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (!closed) {
                    log.debug("{}: task for {} failed, reconciling it: {}", name, key, e.toString());
                    enqueueAfter(key, isRace(e) ? RACE_RETRY_DELAY : RETRY_DELAY);
                }
            }
        }, Duration.ZERO);
    }

    private void handle(String key) {
        queued.remove(key);
        try {
            handler.accept(key);
        } catch (RuntimeException e) {
            if (closed) {
                log.debug("{}: reconcile of {} interrupted by shutdown: {}", name, key, e.toString());
                return;
            }
            if (isRace(e)) {
                // Someone wrote the object between our read and our write, or deleted it: a normal
                // race for a controller; the retry reads the new state.
                log.debug("{}: reconcile of {} raced with another writer, retrying: {}", name, key, e.toString());
                enqueueAfter(key, RACE_RETRY_DELAY);
                return;
            }
            log.warn("{}: reconcile of {} failed, retrying in {} ms: {}", name, key, RETRY_DELAY.toMillis(), e.toString());
            log.debug("{}: reconcile of {} failed", name, key, e);
            enqueueAfter(key, RETRY_DELAY);
        }
    }

    /** A 409 Conflict or 404 Not Found from the API server. */
    private static boolean isRace(RuntimeException e) {
        return e instanceof KubernetesClientException k && (k.getCode() == 409 || k.getCode() == 404);
    }

    private void submit(Runnable task, Duration delay) {
        try {
            executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{}: stopped, dropping work", name);
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
