package io.coxswain.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/helm/coxswain against deploy/kubernetes and deploy/monitoring: the plain manifests are the chart's render
 * (of {@link HelmChart#PLAIN}), object for object, so neither can change without the other; Helm's lint finds
 * nothing wrong; the README's install goes through; and whatever the values, the chart renders objects Kubernetes'
 * typed model knows field for field.
 */
class HelmChartTest {

    private static final String MONITORING = """
            monitoring:
              serviceMonitor: {enabled: true}
              podMonitor: {enabled: true}
              prometheusRule: {enabled: true}
            """;

    @Test
    void itsRenderIsDeployKubernetesObjectForObject() {
        List<JsonNode> rendered = HelmChart.render(HelmChart.PLAIN);
        assertSameObjects(rendered, Manifests.documents(Manifests.KUBERNETES));
        assertThat(rendered).as("Helm's labels are on every object, so ignoring them ignores something")
                .allSatisfy(o -> assertThat(o.at("/metadata/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("Helm"));
        assertThat(HelmChart.one(rendered, "StatefulSet").at("/spec/template/metadata/annotations/checksum~1settings").asText())
                .hasSize(64);

        List<JsonNode> withoutNamespace = HelmChart.render("bootstrapServers: bootstrap-kafka.kafka.svc:9092");
        assertThat(HelmChart.byId(withoutNamespace).keySet()).as("the chart's own default: all but the Namespace, which Helm must find")
                .containsExactlyElementsOf(HelmChart.byId(rendered).keySet().stream().filter(id -> !id.startsWith("Namespace/")).toList());
    }

    @Test
    void withMonitoringEnabledItAlsoRendersDeployMonitoring() {
        List<String> plain = new ArrayList<>(Manifests.documents(Manifests.KUBERNETES));
        plain.addAll(Manifests.documents(Manifests.MONITORING));
        assertSameObjects(HelmChart.render(HelmChart.PLAIN + MONITORING), plain);
    }

    @Test
    void aPackagedChartCarriesItsAlerts(@TempDir Path dir) throws IOException {
        HelmChart.helm().packageIt().withDestination(dir).call();
        List<Path> archives;
        try (Stream<Path> files = Files.list(dir)) {
            archives = files.toList();
        }
        assertThat(archives).hasSize(1);
        Path archive = archives.get(0);
        String rendered = new Helm(archive).template().withName("coxswain").withNamespace("coxswain")
                .set("bootstrapServers", "kafka-0.kafka:9092").set("monitoring.prometheusRule.enabled", "true").call();
        JsonNode rule = HelmChart.one(Manifests.documents(rendered).stream().map(Manifests::tree).toList(), "PrometheusRule");
        assertThat(rule.get("spec")).isEqualTo(Manifests.tree(Manifests.documents(Manifests.MONITORING).stream()
                .filter(d -> d.contains("kind: PrometheusRule")).findFirst().orElseThrow()).get("spec"));
    }

    @Test
    void helmLintFindsNothingWrong() {
        LintResult lint = HelmChart.helm().lint().strict().call();
        assertThat(lint.getMessages()).as("lint messages").noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        assertThat(lint.isFailed()).as("lint --strict failed: " + lint.getMessages()).isFalse();
    }

    @Test
    void theReadmesInstallGoesThroughAndItsNotesNameTheSecretsAndTheGateway() {
        // Helm's client-only install: the install path and NOTES.txt (which helm template leaves out), without a cluster
        Release release = HelmChart.helm().install().withName("coxswain").withNamespace("coxswain").createNamespace().clientOnly()
                .set("bootstrapServers", "kafka-0.kafka:9092").call();
        assertThat(release.getStatus()).isEqualTo("deployed");
        assertThat(release.getOutput()).contains("2 node(s) in namespace coxswain, on Kafka kafka-0.kafka:9092",
                "kubectl -n coxswain create secret generic coxswain-gateway-auth --from-file=tokens --from-file=roles",
                "kubectl -n coxswain create secret tls coxswain-gateway-tls", "https://coxswain-gateway.coxswain.svc (port 443)");
    }

    @Test
    void everyObjectRenderedWithEveryOptionSetIsTypedWithoutUnknownFields() {
        List<JsonNode> rendered = HelmChart.render("""
                bootstrapServers: kafka-0.kafka:9092,kafka-1.kafka:9092
                namespace: {create: true}
                image: {repository: registry.corp.example/coxswain, tag: 0.2.0, pullPolicy: Always, pullSecrets: [corp-registry]}
                service: {type: LoadBalancer, annotations: {service.beta.kubernetes.io/aws-load-balancer-internal: "true"}}
                persistence: {size: 5Gi, storageClass: fast}
                podAnnotations: {example.com/team: platform}
                nodeSelector: {kubernetes.io/os: linux}
                tolerations: [{key: dedicated, operator: Equal, value: platform, effect: NoSchedule}]
                affinity:
                  podAntiAffinity:
                    preferredDuringSchedulingIgnoredDuringExecution:
                      - weight: 100
                        podAffinityTerm:
                          topologyKey: kubernetes.io/hostname
                          labelSelector: {matchLabels: {app.kubernetes.io/name: coxswain}}
                extraArgs: [--jwt-keys=/etc/coxswain/jwks/jwks.json]
                extraVolumes: [{name: jwks, configMap: {name: cluster-jwks}}]
                extraVolumeMounts: [{name: jwks, mountPath: /etc/coxswain/jwks, readOnly: true}]
                """ + MONITORING);
        List<HasMetadata> typed = new ArrayList<>();
        for (JsonNode o : rendered) {
            // fabric8's core model has no Prometheus Operator types: those objects are held to deploy/monitoring above
            if (!o.get("apiVersion").asText().startsWith("monitoring.coreos.com/")) {
                typed.add(Manifests.typed(o.toString()));
            }
        }
        assertThat(typed).extracting(Manifests::id).contains("StatefulSet/coxswain", "Service/coxswain-gateway");
        Manifests.assertTypedWithoutUnknownFields(typed);
    }

    /** The rendered objects are the plain documents' (same kinds, names, namespaces), each equal but for Helm's bookkeeping. */
    private static void assertSameObjects(List<JsonNode> rendered, List<String> plainDocs) {
        Map<String, JsonNode> chart = HelmChart.byId(rendered);
        Map<String, JsonNode> plain = HelmChart.byId(plainDocs.stream().map(Manifests::tree).toList());
        assertThat(chart.keySet()).as("the chart's objects").containsExactlyInAnyOrderElementsOf(plain.keySet());
        List<String> drift = new ArrayList<>();
        plain.forEach((id, object) -> HelmChart.differences(id, HelmChart.withoutBookkeeping(chart.get(id)), object, drift));
        assertThat(drift).as("where the chart's render and the plain manifests differ").isEmpty();
    }
}
