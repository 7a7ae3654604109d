package io.coxswain.sandbox.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Samples named pods every 100 ms for operations tests: how many were missing or not Ready at
 * once, at most, and every uid each name had (a restarted StatefulSet pod is a new object with a
 * new uid, so one restart shows as two uids).
 */
public final class PodWatch implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final List<String> pods;
    private final AtomicLong maxDown = new AtomicLong();
    private final Map<String, Set<String>> uids = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::sample, "pod-watch");

    public PodWatch(KubernetesClient client, String namespace, List<String> pods) {
        this.client = client;
        this.namespace = namespace;
        this.pods = List.copyOf(pods);
        sampleOnce();
        thread.start();
    }

    private void sample() {
        while (running.get()) {
            try {
                sampleOnce();
                Thread.sleep(100); // sampling period
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the API server between two answers: sample again
            }
        }
    }

    private void sampleOnce() {
        Map<String, Pod> live = client.pods().inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity()));
        long down = 0;
        for (String name : pods) {
            Pod pod = live.get(name);
            if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || !ready(pod)) {
                down++;
            }
            if (pod != null) {
                uids.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(pod.getMetadata().getUid());
            }
        }
        maxDown.accumulateAndGet(down, Math::max);
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The most pods missing or not Ready in one sample. */
    public long maxDown() {
        return maxDown.get();
    }

    /** Pod name → how many different objects (uids) had that name while watched. */
    public Map<String, Integer> incarnations() {
        Map<String, Integer> out = new TreeMap<>();
        uids.forEach((name, set) -> out.put(name, set.size()));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
