package io.coxswain.sandbox.kafkapods;

import io.coxswain.sandbox.kube.PodRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox kubelet's runtime for the pods of a cluster's Kafka Connect component: a pod that
 * mounts a ConfigMap holding {@code connect.properties} runs a real Connect worker in distributed
 * mode in this JVM, from that file made local ({@link ConnectWorkerConfig}): its brokers are those
 * behind the Service its {@code bootstrap.servers} names ({@link ServiceAddresses}), its Secret
 * volumes are written as files under {@code root/<namespace>/.secrets/<pod>/<volume>}, and its REST
 * API listens on a local port kept for the pod ({@link #connectUrl}). The pod is ready when the
 * worker's {@code GET /health} answers 200; stopping the pod stops the worker. Any other pod is
 * ready at once.
 */
public final class ConnectPodRuntime implements PodRuntime, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectPodRuntime.class);
    /** The key of the component's ConfigMap entry (Coxswain's {@code <component>.properties}). */
    static final String PROPERTIES_KEY = "connect.properties";
    static final String REST_LISTENER = "HTTP";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PROBE_EVERY = Duration.ofMillis(200);

    private final KubernetesClient client;
    private final Path root;
    private final SecretVolumes secrets;
    private final ServiceAddresses addresses;
    private final PortBook ports = new PortBook();
    private final Map<PodKey, Worker> running = new ConcurrentHashMap<>();
    private final PodSteps steps = new PodSteps("connect-pods");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One incarnation of a pod's worker. */
    private static final class Worker {
        final ConnectWorkerConfig config;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile Connect<?> connect;
        volatile boolean stopping;

        Worker(ConnectWorkerConfig config) {
            this.config = config;
        }
    }

    /** @param nodes the Kafka nodes of the clusters' broker pods, whose client ports the workers bootstrap from */
    public ConnectPodRuntime(KubernetesClient client, KafkaNodes nodes, Path root) {
        this.client = client;
        this.root = root;
        this.secrets = new SecretVolumes(client);
        this.addresses = new ServiceAddresses(client, nodes);
    }

    /** Whether the pod is a Connect worker's: it mounts a ConfigMap holding {@code connect.properties}. */
    public boolean runs(Pod pod) {
        return MountedConfigMaps.holding(client, pod, PROPERTIES_KEY).isPresent();
    }

    @Override
    public CompletionStage<Void> start(Pod pod) {
        try {
            return config(pod).map(config -> run(key(pod), config)).orElseGet(() -> CompletableFuture.completedFuture(null));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletionStage<Void> run(PodKey key, ConnectWorkerConfig config) {
        Worker worker = new Worker(config);
        Worker previous = running.put(key, worker);
        if (previous != null) {
            stopWorker(key, previous);
        }
        steps.then(key, () -> {
            if (!worker.stopping) {
                log.info("starting a Connect worker for pod {} at {}", key, worker.config.url());
                worker.connect = new ConnectDistributed().startConnect(worker.config.properties());
            }
        }).whenComplete((ok, error) -> {
            if (error != null) {
                worker.ready.completeExceptionally(error);
            } else {
                steps.execute(() -> awaitReady(key, worker));
            }
        });
        return worker.ready.copy();
    }

    @Override
    public CompletionStage<Void> stop(Pod pod, Duration grace) {
        PodKey key = key(pod);
        Worker worker = running.remove(key);
        return worker == null ? CompletableFuture.completedFuture(null) : stopWorker(key, worker);
    }

    /** The REST API of the Connect workers of {@code statefulSet}, as pod {@code <statefulSet>-0} serves it here. */
    public String connectUrl(String namespace, String statefulSet) {
        return "http://127.0.0.1:" + ports.port(namespace, statefulSet + "-0", REST_LISTENER);
    }

    private Optional<ConnectWorkerConfig> config(Pod pod) {
        return MountedConfigMaps.holding(client, pod, PROPERTIES_KEY).map(cm -> {
            String namespace = pod.getMetadata().getNamespace();
            String file = cm.getData().get(PROPERTIES_KEY);
            Map<String, Path> mounts = secrets.materialise(pod,
                    root.resolve(namespace).resolve(KafkaPodRuntime.SECRETS_DIR).resolve(pod.getMetadata().getName()));
            return ConnectWorkerConfig.of(file, mounts, servers -> addresses.resolve(namespace, servers), ports.port(namespace, pod.getMetadata().getName(), REST_LISTENER));
        });
    }

    private CompletableFuture<Void> stopWorker(PodKey key, Worker worker) {
        worker.stopping = true;
        worker.ready.completeExceptionally(new IllegalStateException("pod " + key + " was stopped before its Connect worker was ready"));
        return steps.then(key, () -> {
            Connect<?> connect = worker.connect;
            if (connect != null) {
                log.info("stopping the Connect worker of pod {}", key);
                connect.stop();
                connect.awaitStop();
            }
        });
    }

    private void awaitReady(PodKey key, Worker worker) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (!worker.stopping && !worker.ready.isDone()) {
                if (OneMachineConnect.healthy(http, worker.config.url())) {
                    log.info("the Connect worker of pod {} is ready", key);
                    worker.ready.complete(null);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    worker.ready.completeExceptionally(new IllegalStateException("the Connect worker of pod " + key
                            + " was not ready within " + READY_TIMEOUT.toSeconds() + " s"));
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(PROBE_EVERY.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.ready.completeExceptionally(e);
        }
    }

    private static PodKey key(Pod pod) {
        return new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    /** Stops every worker. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (PodKey key : List.copyOf(running.keySet())) {
            Worker worker = running.remove(key);
            if (worker != null) {
                stops.add(stopWorker(key, worker));
            }
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Connect workers did not all stop within 60 s: {}", e.toString());
        }
        steps.shutdown();
    }

    @Override
    public String toString() {
        return "connect-workers";
    }
}
