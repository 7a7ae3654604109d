package io.coxswain.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the sandbox API server adds to fabric8's CRUD store so that clients see a real API server. */
class ApiServerBehaviourTest extends OnSandbox {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theScaleSubresourceChangesOnlyTheReplicas() {
        String ns = Fixtures.newNamespace(client, "scale-sub");
        Fixtures.create(client, Fixtures.kafkaSet(ns, "kafka", 1, "RollingUpdate", "apache/kafka:4.0.0"));
        Fixtures.awaitReadyPods(client, ns, List.of("kafka-0"));

        Scale scale = client.apps().statefulSets().inNamespace(ns).withName("kafka").scale();
        assertThat(scale.getKind()).isEqualTo("Scale");
        assertThat(scale.getSpec().getReplicas()).isEqualTo(1);
        assertThat(scale.getStatus().getSelector()).isEqualTo("app=kafka");

        client.apps().statefulSets().inNamespace(ns).withName("kafka").scale(3);

        Fixtures.awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1", "kafka-2"));
        StatefulSet sts = Fixtures.get(client, ns, "kafka");
        assertThat(sts.getKind()).isEqualTo("StatefulSet");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getImage()).isEqualTo("apache/kafka:4.0.0"));
    }

    @Test
    void strategicMergePatchMergesContainersByName() {
        String ns = Fixtures.newNamespace(client, "smp");
        StatefulSet sts = Fixtures.kafkaSet(ns, "kafka", 0, "OnDelete", "apache/kafka:4.0.0");
        sts.getSpec().getTemplate().getSpec().getContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withName("exporter").withImage("exporter:1").build());
        Fixtures.create(client, sts);

        client.apps().statefulSets().inNamespace(ns).withName("kafka").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"kafka\",\"image\":\"apache/kafka:4.1.0\"}]}}}}");

        StatefulSet patched = Fixtures.get(client, ns, "kafka");
        assertThat(patched.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("kafka=apache/kafka:4.1.0", "exporter=exporter:1");
        assertThat(patched.getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void serverSideApplyCreatesThenUpdates() {
        String ns = Fixtures.newNamespace(client, "ssa");
        ConfigMap desired = new ConfigMapBuilder().withNewMetadata().withName("kafka-config").withNamespace(ns)
                .endMetadata().addToData("log.retention.hours", "168").build();

        client.configMaps().inNamespace(ns).resource(desired).fieldManager("coxswain").forceConflicts().serverSideApply();
        desired.getData().put("log.retention.hours", "24");
        ConfigMap applied = client.configMaps().inNamespace(ns).resource(desired).fieldManager("coxswain")
                .forceConflicts().serverSideApply();

        assertThat(applied.getData()).containsEntry("log.retention.hours", "24");
        assertThat(client.configMaps().inNamespace(ns).withName("kafka-config").get().getData())
                .containsEntry("log.retention.hours", "24");
    }

    @Test
    void plainHttpWatchesReturnTheChangesSinceAVersion() throws Exception {
        String ns = Fixtures.newNamespace(client, "httpwatch");
        ConfigMap first = client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("a").endMetadata().build()).create();
        String since = first.getMetadata().getResourceVersion();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("b").endMetadata()
                .build()).create();
        client.configMaps().inNamespace(ns).withName("a").edit(c -> {
            c.getData().put("k", "v");
            return c;
        });
        client.configMaps().inNamespace(ns).withName("b").delete();

        List<String> events = watch("/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + since);

        assertThat(events).containsExactly("ADDED b", "MODIFIED a", "DELETED b");
        List<String> byName = watch("/api/v1/namespaces/" + ns + "/configmaps?watch=true&fieldSelector="
                + "metadata.name%3Da&resourceVersion=" + since);
        assertThat(byName).containsExactly("MODIFIED a");
        List<String> fromNow = watch("/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=0");
        assertThat(fromNow).containsExactly("ADDED a");
    }

    @Test
    void aPodIsDeletedGracefullyWhenTheWholeCollectionIsDeleted() {
        String ns = Fixtures.newNamespace(client, "collection");
        Fixtures.create(client, Fixtures.kafkaSet(ns, "kafka", 2, "OnDelete", "apache/kafka:4.0.0"));
        List<Pod> before = new ArrayList<>(Fixtures.awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1")).values());

        client.pods().inNamespace(ns).withLabel("app", "kafka").delete();

        Eventually.await("both pods replaced", () -> Fixtures.pods(client, ns), pods -> pods.size() == 2
                && pods.values().stream().allMatch(Fixtures::runningAndReady)
                && pods.values().stream().noneMatch(p -> before.stream()
                        .anyMatch(b -> b.getMetadata().getUid().equals(p.getMetadata().getUid()))));
    }

    @Test
    void writesAreDefaultedAsByARealApiServer() {
        String ns = Fixtures.newNamespace(client, "defaults");
        StatefulSet sts = Fixtures.kafkaSet(ns, "kafka", 1, "RollingUpdate", "apache/kafka:4.0.0");
        sts.getSpec().setUpdateStrategy(null);
        StatefulSet created = Fixtures.create(client, sts);

        assertThat(created.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(created.getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isZero();
        assertThat(created.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
        assertThat(created.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(created.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");
        assertThat(created.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(created.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy())
                .isEqualTo("IfNotPresent");
        assertThat(created.getSpec().getVolumeClaimTemplates().get(0).getSpec().getVolumeMode()).isEqualTo("Filesystem");
        Pod pod = Fixtures.awaitReadyPods(client, ns, List.of("kafka-0")).get("kafka-0");
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("default");
        assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");

        io.fabric8.kubernetes.api.model.Service service = client.services().inNamespace(ns).resource(
                new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("kafka-bootstrap")
                        .endMetadata().withNewSpec().addToSelector("app", "kafka").addNewPort().withPort(9092)
                        .endPort().endSpec().build()).create();
        String clusterIp = service.getSpec().getClusterIP();
        assertThat(clusterIp).startsWith("10.96.");
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(9092);
        service.getSpec().setClusterIP(null);
        service.getSpec().setClusterIPs(null);
        service.getMetadata().getLabels().put("tier", "gold");
        assertThat(client.services().inNamespace(ns).resource(service).update().getSpec().getClusterIP())
                .as("the cluster IP is immutable").isEqualTo(clusterIp);
    }

    @Test
    void aWebSocketWatchFromAVersionGetsExactlyTheChangesSince() throws Exception {
        String ns = Fixtures.newNamespace(client, "wswatch");
        ConfigMap first = client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("a").endMetadata().build()).create();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("b").endMetadata()
                .build()).create();
        client.configMaps().inNamespace(ns).withName("a").delete();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        try (io.fabric8.kubernetes.client.Watch watch = client.configMaps().inNamespace(ns).watch(
                new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                        .withResourceVersion(first.getMetadata().getResourceVersion()).build(),
                new io.fabric8.kubernetes.client.Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        seen.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                    }
                })) {
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("c")
                    .endMetadata().build()).create();
            Eventually.until("3 events", () -> seen.size() >= 3);
        }
        assertThat(seen).containsExactly("ADDED b", "DELETED a", "ADDED c");
    }

    private static List<String> watch(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(kube.url() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank()) {
                JsonNode event = JSON.readTree(line);
                events.add(event.get("type").asText() + " " + event.path("object").path("metadata").path("name").asText());
            }
        }
        return events;
    }
}
