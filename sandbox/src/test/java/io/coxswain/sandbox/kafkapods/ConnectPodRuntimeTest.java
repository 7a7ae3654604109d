package io.coxswain.sandbox.kafkapods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.sandbox.kafka.SharedKafka;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A pod mounting a ConfigMap with {@code connect.properties} runs a real Connect worker (on the
 * shared broker, named by a plain address the sandbox leaves as it is), whose REST API answers at
 * the URL the runtime gives for its StatefulSet; deleting the pod stops the worker.
 */
class ConnectPodRuntimeTest {

    private static final String NS = "connect-pods";
    private static final String POD = "shop-connect-0";
    private final HttpClient http = HttpClient.newHttpClient();
    private ManagedClusterPods runtime;

    @Test
    void aConnectPodRunsAWorkerUntilItIsDeleted() throws Exception {
        Path root = Files.createTempDirectory("connect-pods");
        try (SandboxKubernetes kube = SandboxKubernetes.start(0, c -> runtime = new ManagedClusterPods(c, KafkaNodes.inProcess(), root))) {
            runWorkerPod(kube.client());
        } finally {
            SharedKafka.deleteQuietly(root);
        }
    }

    private void runWorkerPod(KubernetesClient client) throws Exception {
        String id = "c" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        String properties = String.join("\n",
                "bootstrap.servers=" + SharedKafka.bootstrapServers(),
                "group.id=" + id,
                "config.storage.topic=_" + id + "-configs", "offset.storage.topic=_" + id + "-offsets", "status.storage.topic=_" + id + "-status",
                "config.storage.replication.factor=1", "offset.storage.replication.factor=1", "status.storage.replication.factor=1",
                "key.converter=org.apache.kafka.connect.json.JsonConverter", "value.converter=org.apache.kafka.connect.json.JsonConverter",
                "plugin.path=/usr/share/java,/usr/share/confluent-hub-components",
                "listeners=http://0.0.0.0:8083");
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("shop-connect-config").endMetadata()
                .addToData("connect.properties", properties).build()).create();
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(POD).withNamespace(NS).endMetadata()
                .withNewSpec().addNewContainer().withName("connect").withImage("confluentinc/cp-kafka-connect:8.0.0").endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName("shop-connect-config").endConfigMap().endVolume()
                .endSpec().build()).create();

        await("pod " + POD + " Ready", () -> ready(client.pods().inNamespace(NS).withName(POD).get()));
        String url = runtime.connectUrl(NS, "shop-connect");
        HttpResponse<String> connectors = get(url + "/connectors");
        assertThat(connectors.statusCode()).isEqualTo(200);
        assertThat(connectors.body()).isEqualTo("[]");
        // plugins from the classpath: Kafka's own file connectors, no plugin.path scanned
        assertThat(get(url + "/connector-plugins").body()).contains("org.apache.kafka.connect.file.FileStreamSinkConnector");

        client.pods().inNamespace(NS).withName(POD).delete();
        await("pod " + POD + " gone", () -> client.pods().inNamespace(NS).withName(POD).get() == null);
        assertThatThrownBy(() -> get(url + "/connectors")).isInstanceOf(IOException.class);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean ready(Pod p) {
        return p != null && p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 90 s waiting for " + what);
            }
            Thread.sleep(100); // polling interval; the condition decides
        }
    }
}
