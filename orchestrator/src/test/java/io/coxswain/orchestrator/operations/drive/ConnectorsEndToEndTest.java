package io.coxswain.orchestrator.operations.drive;


import io.coxswain.avro.state.ConnectorStatus;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.operations.connect.ConnectRest;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * Connectors end to end in the sandbox: a cluster of REAL Kafka nodes (1 controller, 1 broker), its
 * connect component's pod running a REAL Connect worker over TLS to them, and the executor reaching
 * that worker's REST API: a FileStreamSink connector set by command writes the records of a topic to
 * a file, the state reports it RUNNING with its task, and DeleteConnector removes it from the worker.
 */
class ConnectorsEndToEndTest {

    private static final String CLUSTER = "sinks";
    private static final String CONNECTOR = "orders-to-file";
    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void aFileSinkConnectorSetByCommandRunsOnTheSandboxsConnectWorkerUntilDeleted() throws Exception {
        Path dir = Files.createTempDirectory("connect-sink");
        Path file = dir.resolve("orders.txt");
        try (DriveWorld world = DriveWorld.withReadyCluster("exec-connect",
                Commands.on(CLUSTER).issuer("test").commandId("create").createCluster("4.3.1", 1, 1, "1Gi"))) {
            try (Admin admin = world.admin(CLUSTER, 1)) {
                admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get();
            }
            world.accepted(on("connect").setComponent("connect", 1, null, null, Map.of()));
            world.accepted(on("sink").setConnector(CONNECTOR, "org.apache.kafka.connect.file.FileStreamSinkConnector", 1, Map.of(
                    "topics", "orders", "file", file.toString(),
                    "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                    "value.converter", "org.apache.kafka.connect.storage.StringConverter")));

            world.awaitState(CLUSTER, Duration.ofSeconds(90), CONNECTOR + " RUNNING with 1 task", s -> {
                ConnectorStatus c = s.getStatus().getConnectors().get(CONNECTOR);
                return c != null && c.getState().equals("RUNNING") && c.getTasks() == 1 && c.getFailedTasks() == 0;
            });
            world.produce(CLUSTER, 1, "orders", List.of("order-1", "order-2", "order-3"));
            DriveWorld.await(T, () -> "the records in " + file + " (now " + lines(file) + ")",
                    () -> lines(file).containsAll(List.of("order-1", "order-2", "order-3")));

            world.accepted(on("delete").deleteConnector(CONNECTOR));
            ConnectRest rest = new ConnectRest(HttpClient.newHttpClient(),
                    world.connectUrl(ClusterNames.of(CLUSTER, ModelSettings.defaults().namespaceTemplate())), Duration.ofSeconds(10),
                    Duration.ofSeconds(60));
            DriveWorld.await(T, () -> CONNECTOR + " gone from the worker", () -> !rest.connectors().containsKey(CONNECTOR));
            world.awaitState(CLUSTER, T, CONNECTOR + " gone from the status", s -> !s.getStatus().getConnectors().containsKey(CONNECTOR));
        } finally {
            SharedKafka.deleteQuietly(dir);
        }
    }

    private static io.coxswain.commands.CommandBuilder on(String id) {
        return Commands.on(CLUSTER).issuer("test").commandId(id);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
