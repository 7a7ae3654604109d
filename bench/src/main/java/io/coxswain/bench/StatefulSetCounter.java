package io.coxswain.bench;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the StatefulSets in the API server as they appear, from one watch over all namespaces.
 * The probe it replaces listed every StatefulSet four times a second, which at 1,000 clusters was
 * itself a large share of the API server's work (and of the client's JSON parsing) and so slowed
 * what it measured. A watch costs the server one event per change it makes anyway. The watch is
 * not trusted alone: a list every {@link #RECOUNT} (and one at the end) catches a lost watch, and
 * the count {@link #awaitAtLeast} reports is the larger of the two.
 */
final class StatefulSetCounter implements AutoCloseable {

    private static final Duration RECOUNT = Duration.ofSeconds(15);

    private final KubernetesClient client;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Watch watch;

    StatefulSetCounter(KubernetesClient client) {
        this.client = client;
        String since = client.apps().statefulSets().inAnyNamespace().list().getMetadata().getResourceVersion();
        this.watch = client.apps().statefulSets().inAnyNamespace()
                .watch(new ListOptionsBuilder().withResourceVersion(since).build(), new Watcher<StatefulSet>() {
                    @Override
                    public void eventReceived(Action action, StatefulSet sts) {
                        String key = sts.getMetadata().getNamespace() + "/" + sts.getMetadata().getName();
                        if (action == Action.DELETED) {
                            seen.remove(key);
                        } else {
                            seen.add(key);
                        }
                        synchronized (StatefulSetCounter.this) {
                            StatefulSetCounter.this.notifyAll();
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // the periodic recount goes on
                    }
                });
    }

    /** @return how many StatefulSets exist once {@code expected} do, or when the timeout passes (reported, not thrown) */
    long awaitAtLeast(long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextRecount = System.nanoTime() + RECOUNT.toNanos();
        long listed = 0;
        synchronized (this) {
            while (Math.max(seen.size(), listed) < expected && System.nanoTime() < deadline) {
                if (System.nanoTime() >= nextRecount) {
                    listed = listed();
                    nextRecount = System.nanoTime() + RECOUNT.toNanos();
                }
                long waitMillis = Math.max(1, Math.min(deadline, nextRecount) - System.nanoTime()) / 1_000_000;
                wait(Math.max(1, waitMillis)); // woken by each watch event
            }
        }
        return Math.max(seen.size(), listed);
    }

    /** One list, for the record: what the API server itself says exists. */
    long listed() {
        return client.apps().statefulSets().inAnyNamespace().list().getItems().size();
    }

    @Override
    public void close() {
        watch.close();
    }
}
