package io.coxswain.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The discovery documents kubectl and fabric8 read, over plain HTTP, through fabric8, and through kubectl itself. */
class DiscoveryTest extends OnSandbox {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/apis/policy/v1",
            "/apis/coordination.k8s.io/v1", "/version", "/"})
    void discoveryPathsAnswerJsonWithAndWithoutATimeout(String path) throws Exception {
        for (String query : List.of("", "?timeout=32s")) {
            HttpResponse<String> response = get(path + query);
            assertThat(response.statusCode()).as(path + query).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(path + query).hasValue("application/json");
            assertThat(JSON.readTree(response.body()).isObject()).isTrue();
        }
    }

    @Test
    void resourceListsCarryShortNamesVerbsScopeAndKinds() throws Exception {
        Map<String, JsonNode> core = resources("/api/v1?timeout=32s");
        Map<String, JsonNode> apps = resources("/apis/apps/v1?timeout=32s");
        Map<String, JsonNode> policy = resources("/apis/policy/v1?timeout=32s");

        assertThat(shortNames(core.get("pods"))).containsExactly("po");
        assertThat(shortNames(core.get("services"))).containsExactly("svc");
        assertThat(shortNames(core.get("configmaps"))).containsExactly("cm");
        assertThat(shortNames(core.get("persistentvolumeclaims"))).containsExactly("pvc");
        assertThat(shortNames(core.get("namespaces"))).containsExactly("ns");
        assertThat(core).containsKey("secrets");
        assertThat(shortNames(apps.get("statefulsets"))).containsExactly("sts");
        assertThat(shortNames(policy.get("poddisruptionbudgets"))).containsExactly("pdb");
        assertThat(apps.get("statefulsets").get("kind").asText()).isEqualTo("StatefulSet");
        assertThat(apps.get("statefulsets").get("namespaced").asBoolean()).isTrue();
        assertThat(core.get("namespaces").get("namespaced").asBoolean()).isFalse();
        assertThat(apps.get("statefulsets").get("verbs")).extracting(JsonNode::asText)
                .contains("get", "list", "watch", "create", "update", "patch", "delete");
        assertThat(apps).containsKey("statefulsets/status");
        JsonNode groups = JSON.readTree(get("/apis").body());
        assertThat(groups.get("kind").asText()).isEqualTo("APIGroupList");
        assertThat(groups.get("groups")).extracting(g -> g.get("name").asText()).contains("apps", "policy");
        assertThat(JSON.readTree(get("/version").body()).get("gitVersion").asText()).startsWith("v1.");
    }

    @Test
    void fabric8DiscoveryFindsTheGroupsAndResources() {
        assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName()).contains("apps", "policy");
        assertThat(client.getApiResources("apps/v1").getResources()).extracting(APIResource::getName).contains("statefulsets");
        assertThat(client.getKubernetesVersion().getMajor()).isEqualTo("1");
        assertThat(client.hasApiGroup("policy", false)).isTrue();
    }

    @Test
    void kubectlListsTheSandboxsObjectsByShortName(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(kubectlAvailable(), "kubectl is not installed");
        String ns = "payments";
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns)
                .endMetadata().build()).create();
        Fixtures.create(client, Fixtures.kafkaSet(ns, "kafka", 1, "OnDelete", "apache/kafka:4.0.0"));
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("kafka-config")
                .endMetadata().addToData("server.properties", "x=y").build()).create();
        client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("kafka").endMetadata()
                .withNewSpec().withClusterIP("None").addToSelector("app", "kafka").endSpec().build()).create();
        client.policy().v1().podDisruptionBudget().inNamespace(ns).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("kafka").endMetadata().withNewSpec().withNewMaxUnavailable(1)
                .withNewSelector().addToMatchLabels("app", "kafka").endSelector().endSpec().build()).create();
        Fixtures.awaitReadyPods(client, ns, List.of("kafka-0"));
        // the volume binder binds the claim on its own thread: a pod can be ready before its claim is bound
        Eventually.await("claim data-kafka-0 bound", () -> Fixtures.claims(client, ns).get("data-kafka-0"), c -> c != null && Fixtures.bound(c));

        String byServer = kubectl(dir, "--server", kube.url(), "get", "sts,pods,svc,cm,pvc,pdb,ns", "-n", ns);
        assertThat(byServer).contains("statefulset.apps/kafka", "pod/kafka-0", "service/kafka", "configmap/kafka-config",
                "persistentvolumeclaim/data-kafka-0", "poddisruptionbudget.policy/kafka", "namespace/payments");
        // server-side printing: the columns of a real cluster
        assertThat(kubectl(dir, "--server", kube.url(), "get", "pods", "-n", ns, "-o", "wide"))
                .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE")
                .containsPattern("kafka-0\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+127.0.0.1\\s+sandbox-node");
        assertThat(kubectl(dir, "--server", kube.url(), "get", "pvc", "-n", ns))
                .containsPattern("data-kafka-0\\s+Bound\\s+pvc-\\S+\\s+10Gi\\s+RWO");

        Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"));
        String byConfig = kubectl(dir, "--kubeconfig", kubeconfig.toString(), "get", "pod", "kafka-0", "-n", ns,
                "-o", "jsonpath={.status.phase}");
        assertThat(byConfig.trim()).isEqualTo("Running");
    }

    @Test
    void kubectlCanDeleteScaleAndFollowARollout(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(kubectlAvailable(), "kubectl is not installed");
        String ns = Fixtures.newNamespace(client, "kubectl");
        Fixtures.create(client, Fixtures.kafkaSet(ns, "kafka", 2, "RollingUpdate", "apache/kafka:4.0.0"));
        Fixtures.awaitReadyPods(client, ns, List.of("kafka-0", "kafka-1"));
        String server = "--server=" + kube.url();

        // delete waits for the pod to be gone, watching over plain HTTP
        assertThat(kubectl(dir, server, "delete", "pod", "kafka-1", "-n", ns, "--timeout=120s")).contains("deleted");
        assertThat(kubectl(dir, server, "scale", "sts", "kafka", "--replicas=3", "-n", ns)).contains("scaled");
        assertThat(kubectl(dir, server, "set", "image", "sts/kafka", "kafka=apache/kafka:4.1.0", "-n", ns))
                .contains("image updated");
        assertThat(kubectl(dir, server, "rollout", "status", "sts/kafka", "-n", ns, "--timeout=120s"))
                .contains("roll out complete: 3 new pods");
        assertThat(Fixtures.pods(client, ns).values()).allSatisfy(p ->
                assertThat(Fixtures.image(p)).isEqualTo("apache/kafka:4.1.0"));
    }

    private static boolean kubectlAvailable() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String kubectl(Path home, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString()); // no cached discovery or config from the real home
        builder.environment().remove("KUBECONFIG");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl %s:%n%s", command, output).isZero();
        return output;
    }

    private static Map<String, JsonNode> resources(String path) throws Exception {
        JsonNode list = JSON.readTree(get(path).body());
        assertThat(list.get("kind").asText()).isEqualTo("APIResourceList");
        return java.util.stream.StreamSupport.stream(list.get("resources").spliterator(), false)
                .collect(Collectors.toMap(r -> r.get("name").asText(), r -> r));
    }

    private static List<String> shortNames(JsonNode resource) {
        return java.util.stream.StreamSupport.stream(resource.path("shortNames").spliterator(), false)
                .map(JsonNode::asText).collect(Collectors.toList());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(kube.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
