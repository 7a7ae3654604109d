package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.operations.drive.DriveSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The values of deploy/helm/coxswain reach the objects a platform team expects them in, the nodes' arguments still
 * parse as {@code coxswain run} with them, and a missing or mistyped value stops the render naming it.
 */
class HelmValuesTest {

    private static final String KAFKA = "bootstrapServers: kafka-0.kafka:9092,kafka-1.kafka:9092\n";

    @Test
    void valuesReachTheNodesAndTheirSettings() {
        List<JsonNode> rendered = HelmChart.render(KAFKA + """
                replicas: 3
                replicationFactor: 1
                commandRate: "5:10"
                image: {repository: registry.corp.example/coxswain, tag: 0.2.0, pullPolicy: Always, pullSecrets: [corp-registry]}
                gateway: {authSecret: corp-auth, tlsSecret: corp-tls}
                javaOpts: -Xmx2g
                resources: {requests: {cpu: "1", memory: 3Gi}, limits: {memory: 3Gi}}
                persistence: {size: 5Gi, storageClass: fast}
                podAnnotations: {example.com/team: platform}
                nodeSelector: {kubernetes.io/os: linux}
                tolerations: [{key: dedicated, operator: Equal, value: platform, effect: NoSchedule}]
                service: {type: LoadBalancer}
                """);
        StatefulSet sts = typed(rendered, "StatefulSet", StatefulSet.class);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        var pod = sts.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.corp.example/coxswain:0.2.0");
        assertThat(container.getImagePullPolicy()).isEqualTo("Always");
        assertThat(pod.getImagePullSecrets()).extracting(s -> s.getName()).containsExactly("corp-registry");
        assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("COXSWAIN_JAVA_OPTS")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("-Xmx2g"));
        assertThat(container.getResources().getRequests().get("memory").toString()).isEqualTo("3Gi");
        assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("3Gi");
        assertThat(pod.getVolumes()).extracting(v -> v.getSecret() == null ? null : v.getSecret().getSecretName())
                .containsExactly("corp-auth", "corp-tls");
        assertThat(sts.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
            assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
            assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
        });
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("example.com/team", "platform");
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("kubernetes.io/os", "linux"));
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(typed(rendered, "Service", Service.class).getSpec().getType()).as("the first Service, the gateway").isEqualTo("LoadBalancer");

        Map<String, String> settings = typed(rendered, "ConfigMap", ConfigMap.class).getData();
        assertThat(settings).containsEntry("COXSWAIN_BOOTSTRAP_SERVERS", "kafka-0.kafka:9092,kafka-1.kafka:9092")
                .containsEntry("COXSWAIN_REPLICATION_FACTOR", "1").containsEntry("COXSWAIN_COMMAND_RATE", "5:10");
    }

    @Test
    void aChangedSettingRollsTheNodesAndNothingElseDoes() {
        String same = checksum(HelmChart.render(KAFKA));
        assertThat(checksum(HelmChart.render(KAFKA + "replicas: 5"))).as("a value outside the ConfigMap").isEqualTo(same);
        assertThat(checksum(HelmChart.render(KAFKA + "commandRate: \"5:10\""))).as("a setting the nodes read at start").isNotEqualTo(same);
    }

    @Test
    void theNodesArgumentsParseAsCoxswainRunWithTheValuesSet() {
        List<JsonNode> plain = HelmChart.render(HelmChart.PLAIN);
        RunCommand defaults = (RunCommand) DeployArgsTest.parseRun(HelmChart.one(plain, "ConfigMap"), HelmChart.one(plain, "StatefulSet"))
                .commandSpec().userObject();
        assertThat(defaults.executor.model()).isEqualTo(ModelSettings.defaults());
        assertThat(defaults.executor.drive()).isEqualTo(DriveSettings.defaults());

        List<JsonNode> rendered = HelmChart.render(KAFKA + """
                commandRate: "5:10"
                installationDefaults:
                  brokerResources: cpuRequest=1,cpuLimit=4,memory=8Gi,heap=6g
                  replicationThrottle: 100MiB
                  imageMirrors: [docker.io=registry.corp.example/hub, confluentinc=registry.corp.example/confluent]
                  networkPolicies: false
                extraArgs:
                  - --jwt-keys=/etc/coxswain/jwks/jwks.json
                  - --jwt-issuer=https://kubernetes.default.svc.cluster.local
                  - --jwt-audience=coxswain
                """);
        CommandLine.ParseResult run = DeployArgsTest.parseRun(HelmChart.one(rendered, "ConfigMap"), HelmChart.one(rendered, "StatefulSet"));
        RunCommand command = (RunCommand) run.commandSpec().userObject();
        assertThat(command.bootstrapServers).isEqualTo("kafka-0.kafka:9092,kafka-1.kafka:9092");
        assertThat(GatewayOptions.quota(command.gateway.commandRate).perSecond()).isEqualTo(5);
        assertThat(command.executor.imageMirrors).containsExactly("docker.io=registry.corp.example/hub", "confluentinc=registry.corp.example/confluent");
        assertThat(command.executor.drive()).isEqualTo(DriveSettings.defaults().withThrottleBytes(100L * 1024 * 1024));
        assertThat(command.executor.model()).as("the broker sizing is not the built-in one").isNotEqualTo(ModelSettings.defaults());
        assertThat(command.executor.model().networkPolicies()).isFalse();
        assertThat(command.gateway.jwtKeys).isEqualTo("/etc/coxswain/jwks/jwks.json");
        // what run checks before it starts anything
        command.executor.check();
        command.gateway.refuseContradictoryAuth();
    }

    @Test
    void eachMonitoringObjectComesWithItsFlagAndTheLabelsAsked() {
        int core = HelmChart.render(KAFKA).size();
        Map<String, String> flags = Map.of("serviceMonitor", "ServiceMonitor", "podMonitor", "PodMonitor", "prometheusRule", "PrometheusRule");
        flags.forEach((flag, kind) -> {
            List<JsonNode> rendered = HelmChart.render(KAFKA + "monitoring: {labels: {release: prom}, " + flag + ": {enabled: true}}");
            assertThat(rendered).as(flag).hasSize(core + 1);
            assertThat(HelmChart.one(rendered, kind).at("/metadata/labels/release").asText()).isEqualTo("prom");
        });
    }

    @Test
    void theReleaseNamespaceAndNameReachEveryObjectAndReference() {
        List<JsonNode> rendered = HelmChart.render("ops", "team-kafka", KAFKA + """
                namespace: {create: true}
                monitoring: {serviceMonitor: {enabled: true}, podMonitor: {enabled: true}, prometheusRule: {enabled: true}}
                """);
        assertThat(HelmChart.one(rendered, "Namespace").at("/metadata/name").asText()).isEqualTo("team-kafka");
        assertThat(rendered.stream().filter(o -> o.at("/metadata/namespace").isTextual()).map(HelmChart::id))
                .as("every object but the Namespace and the cluster-wide RBAC").hasSize(rendered.size() - 3)
                .allSatisfy(id -> assertThat(id).contains("/team-kafka/"));
        ClusterRoleBinding binding = typed(rendered, "ClusterRoleBinding", ClusterRoleBinding.class);
        assertThat(binding.getMetadata().getName()).isEqualTo("ops-coxswain-executor");
        assertThat(binding.getRoleRef().getName()).isEqualTo(HelmChart.one(rendered, "ClusterRole").at("/metadata/name").asText());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("ops-coxswain");
            assertThat(s.getNamespace()).isEqualTo("team-kafka");
        });
        StatefulSet sts = typed(rendered, "StatefulSet", StatefulSet.class);
        assertThat(sts.getSpec().getServiceName()).isEqualTo("ops-coxswain-nodes");
        assertThat(sts.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("ops-coxswain");
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom()).singleElement()
                .satisfies(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("ops-coxswain-settings"));
        assertThat(sts.getSpec().getSelector().getMatchLabels()).as("selectors never change").isEqualTo(Map.of("app.kubernetes.io/name", "coxswain"));
        JsonNode monitor = HelmChart.one(rendered, "ServiceMonitor");
        assertThat(monitor.at("/spec/namespaceSelector/matchNames/0").asText()).isEqualTo("team-kafka");
        assertThat(monitor.at("/spec/endpoints/0/tlsConfig/serverName").asText()).isEqualTo("ops-coxswain-gateway.team-kafka.svc");
        assertThat(HelmChart.one(rendered, "PrometheusRule").toString()).contains("kubectl -n team-kafka get pods").doesNotContain("-n coxswain");
    }

    @Test
    void withoutKafkaTheRenderStopsNamingTheValue() {
        assertThatThrownBy(() -> HelmChart.render("replicas: 2")).hasMessageContaining("bootstrapServers is required");
        assertThatThrownBy(() -> HelmChart.render("bootstrapServers: \"\"")).hasMessageContaining("bootstrapServers is required");
    }

    @Test
    void aMistypedOrMisspeltValueStopsTheRenderNamingIt() {
        assertThatThrownBy(() -> HelmChart.render(KAFKA + "replicas: three"))
                .hasMessageContaining("values don't meet the specifications of the schema").hasMessageContaining("/replicas");
        // as typed on the command line: --set replicas=three
        assertThatThrownBy(() -> HelmChart.helm().template().set("bootstrapServers", "kafka:9092").set("replicas", "three").call())
                .hasMessageContaining("/replicas': got string, want integer");
        assertThatThrownBy(() -> HelmChart.render(KAFKA + "monitoring: {serviceMonitor: {enabled: \"yes\"}}"))
                .hasMessageContaining("/monitoring/serviceMonitor/enabled");
        assertThatThrownBy(() -> HelmChart.render(KAFKA + "bootstrapServer: kafka:9092")).hasMessageContaining("bootstrapServer");
        assertThatThrownBy(() -> HelmChart.render(KAFKA + "commandRate: fast")).hasMessageContaining("/commandRate");
        assertThatThrownBy(() -> HelmChart.render(KAFKA + "installationDefaults: {networkPolicies: \"no\"}"))
                .hasMessageContaining("/installationDefaults/networkPolicies");
    }

    private static String checksum(List<JsonNode> rendered) {
        return HelmChart.one(rendered, "StatefulSet").at("/spec/template/metadata/annotations/checksum~1settings").asText();
    }

    /** The first rendered object of a kind, in fabric8's typed model. */
    private static <T> T typed(List<JsonNode> rendered, String kind, Class<T> type) {
        JsonNode first = rendered.stream().filter(o -> o.get("kind").asText().equals(kind)).findFirst().orElseThrow();
        return type.cast(Manifests.typed(first.toString()));
    }
}
