package io.coxswain.orchestrator.operations.connect;

import io.coxswain.sandbox.kafkapods.OneMachineConnect;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;

/**
 * A real Kafka Connect worker in distributed mode, in this JVM, against a real broker: its REST API is
 * the one the executor talks to in a cluster. Plugins come from the classpath by their service
 * manifests (Kafka's own file connectors in the tests), so start-up does not scan every jar.
 */
public final class ConnectWorker implements AutoCloseable {

    private final Connect<DistributedHerder> connect;
    private final String id;

    private ConnectWorker(Connect<DistributedHerder> connect, String id) {
        this.connect = connect;
        this.id = id;
    }

    /** A worker of a Connect cluster of its own (group and storage topics named for it), on a free local port. */
    public static ConnectWorker start(String bootstrapServers) {
        String id = "connect-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> props = new HashMap<>(Map.ofEntries(
                Map.entry("bootstrap.servers", bootstrapServers),
                Map.entry("group.id", id),
                Map.entry("config.storage.topic", id + "-configs"),
                Map.entry("offset.storage.topic", id + "-offsets"),
                Map.entry("status.storage.topic", id + "-status"),
                Map.entry("config.storage.replication.factor", "1"),
                Map.entry("offset.storage.replication.factor", "1"),
                Map.entry("status.storage.replication.factor", "1"),
                Map.entry("offset.storage.partitions", "1"),
                Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("value.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("listeners", "http://127.0.0.1:0"),
                Map.entry("plugin.discovery", "service_load")));
        // as a connect pod's worker runs in the sandbox: a task failing to start is retried by nobody but a restart
        OneMachineConnect.DEFAULTS.forEach(props::putIfAbsent);
        ConnectWorker worker = new ConnectWorker(new ConnectDistributed().startConnect(props), id);
        worker.awaitHealthy(Duration.ofSeconds(60));
        return worker;
    }

    /** The REST API answers before the worker has joined its group, its health only once it has. */
    private void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!OneMachineConnect.healthy(http, url())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Connect worker at " + url() + " did not become healthy within " + timeout);
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The REST API's address, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        String advertised = connect.rest().advertisedUrl().toString();
        return advertised.endsWith("/") ? advertised.substring(0, advertised.length() - 1) : advertised;
    }

    /** Where the worker writes every state its connectors and tasks go through, in order: what they ever were. */
    public String statusTopic() {
        return id + "-status";
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
