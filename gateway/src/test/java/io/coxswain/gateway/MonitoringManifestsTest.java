package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.model.Ports;
import io.coxswain.orchestrator.fold.Phases;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring against what it monitors: every metric, label and matched label value the alert rules
 * use is in a real {@code /metrics} answer of a gateway holding clusters in the situations they alert on (an
 * alert on a misspelt series never fires, and nothing says so); the ServiceMonitor selects exactly the
 * gateway Service of deploy/kubernetes by its labels and port; the PodMonitor selects the Kafka pods by the
 * labels and port name the executor's pod template gives them.
 */
class MonitoringManifestsTest {

    private static final Path MONITORING = Path.of("..", "deploy", "monitoring");
    private static final Path KUBERNETES = Path.of("..", "deploy", "kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Pattern METRIC = Pattern.compile("\\bcoxswain_[a-zA-Z0-9_]+");
    private static final Pattern RECORDED = Pattern.compile("\\bcoxswain:[a-zA-Z0-9_:]+");
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(?:by|on|group_left|group_right|without|ignoring)\\s*\\(([^)]*)\\)");
    private static final Pattern SELECTOR = Pattern.compile("(coxswain_[a-zA-Z0-9_]+)\\{([^}]*)\\}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$", Pattern.MULTILINE);
    private static final Pattern SERIES_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void everyMetricLabelAndMatchedValueOfTheRulesIsInARealMetricsAnswer() throws IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Instant caExpiry = Instant.now().plus(20, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String degraded = "mon-deg-" + suffix;
        String failed = "mon-fail-" + suffix;
        String text;
        // only this test needs a gateway: the monitors' tests read files alone
        try (GatewayHarness h = GatewayHarness.start(GatewayHarness.freshTopics())) {
            degradedClusterWithLabelsCaTopicAndUser(h, degraded, caExpiry);
            clusterWithOperation(h, failed, "FAILED");
            clusterWithOperation(h, "mon-run-" + suffix, "RUNNING");
            clusterWithFailedConnectorAndConnectUnreachable(h, "mon-conn-" + suffix);
            clusterWithRefusedAndPendingOffsetResets(h, "mon-reset-" + suffix);
            clusterWithRefusedAndWaitingProposals(h, "mon-approve-" + suffix);
            text = h.get("/metrics").body();
        }
        Map<String, List<Map<String, String>>> series = series(text);
        assertThat(series.get("coxswain_cluster_phase")).as("the states built").contains(
                Map.of("cluster", degraded, "phase", Phases.DEGRADED), Map.of("cluster", failed, "phase", Phases.FAILED));
        // the rule's own arithmetic on the series scraped: a CA 20 days from expiry is inside the 30-day warning
        double expiry = Double.parseDouble(value(text, "coxswain_cluster_ca_expiry_timestamp_seconds", degraded));
        assertThat(expiry - Instant.now().getEpochSecond()).isLessThan(30 * 86400).isGreaterThan(7 * 86400);

        JsonNode rules = YAML.readTree(MONITORING.resolve("prometheus-rules.yaml").toFile());
        assertThat(rules.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rules.get("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rules.at("/metadata/namespace").asText()).isEqualTo("coxswain");

        Map<String, Set<String>> recordedFrom = new HashMap<>();
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : rules.at("/spec/groups")) {
            for (JsonNode rule : group.get("rules")) {
                String expr = rule.get("expr").asText();
                Set<String> metrics = metricsOf(expr, recordedFrom);
                assertThat(metrics).as("the metrics of " + expr).isNotEmpty();
                for (String metric : metrics) {
                    assertThat(series).as("a series of " + metric + " (in " + expr + ")").containsKey(metric);
                }
                Set<String> labelsSeen = metrics.stream().flatMap(m -> series.get(m).stream()).flatMap(s -> s.keySet().stream())
                        .collect(Collectors.toSet());
                assertThat(labelsSeen).as("the labels " + expr + " groups and joins by").containsAll(labelsJoinedBy(expr));
                assertMatchedValuesExist(expr, series);
                if (rule.has("record")) {
                    assertThat(rule.get("record").asText()).matches(RECORDED);
                    recordedFrom.put(rule.get("record").asText(), metrics);
                } else {
                    alerts.add(rule.get("alert").asText());
                    assertAlertTellsWhatAndWhere(rule);
                }
            }
        }
        assertThat(alerts).as("what a platform team pages or tickets on").contains("CoxswainClusterUnhealthy", "CoxswainOperationFailed",
                "CoxswainOperationRunningLong", "CoxswainComponentReplicasNotReady", "CoxswainClusterCaExpiringSoon",
                "CoxswainClusterCaExpiryImminent", "CoxswainTopicReplicationBlocked", "CoxswainTopicRefused", "CoxswainClusterBlocked", "CoxswainUserPasswordOld", "CoxswainChangeNotActedOn",
                "CoxswainConnectorTasksFailed", "CoxswainConnectUnreachable", "CoxswainOffsetResetRefused",
                "CoxswainOffsetResetWaiting", "CoxswainProposalWaiting", "CoxswainProposalExpiringSoon", "CoxswainApprovedChangeRefused")
                .doesNotHaveDuplicates();
    }

    @Test
    void theServiceMonitorScrapesTheGatewayServiceOnlyAtItsNamedPort() throws IOException {
        JsonNode monitor = YAML.readTree(MONITORING.resolve("servicemonitor.yaml").toFile());
        assertThat(monitor.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.get("kind").asText()).isEqualTo("ServiceMonitor");
        Map<String, String> wanted = strings(monitor.at("/spec/selector/matchLabels"));
        List<JsonNode> selected = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(KUBERNETES.resolve("05-services.yaml").toFile())) {
            for (JsonNode service : docs.readAll()) {
                if (strings(service.at("/metadata/labels")).entrySet().containsAll(wanted.entrySet())) {
                    selected.add(service);
                }
            }
        }
        assertThat(selected).as("one Service, or each gateway pod is scraped once per Service").hasSize(1);
        JsonNode gateway = selected.get(0);
        assertThat(gateway.at("/metadata/name").asText()).isEqualTo("coxswain-gateway");
        assertThat(texts(monitor.at("/spec/namespaceSelector/matchNames"))).containsExactly(gateway.at("/metadata/namespace").asText());
        JsonNode endpoint = monitor.at("/spec/endpoints/0");
        assertThat(texts(gateway.at("/spec/ports"), "name")).as("a port the Service names").contains(endpoint.get("port").asText());
        assertThat(endpoint.get("path").asText()).isEqualTo("/metrics");
        // the Secret mounted where the StatefulSet's --tls-cert points: its certificate is what the scrape must check
        JsonNode pod = YAML.readTree(KUBERNETES.resolve("04-statefulset.yaml").toFile()).at("/spec/template/spec");
        String cert = texts(pod.at("/containers/0/args")).stream().filter(a -> a.startsWith("--tls-cert=")).findFirst()
                .orElseThrow(() -> new AssertionError("the gateway in deploy/kubernetes serves TLS")).substring("--tls-cert=".length());
        String volume = null;
        for (JsonNode mount : pod.at("/containers/0/volumeMounts")) {
            volume = cert.startsWith(mount.get("mountPath").asText() + "/") ? mount.get("name").asText() : volume;
        }
        String secret = null;
        for (JsonNode v : pod.get("volumes")) {
            secret = v.get("name").asText().equals(volume) ? v.at("/secret/secretName").asText() : secret;
        }
        assertThat(endpoint.get("scheme").asText()).isEqualTo("https");
        assertThat(endpoint.at("/tlsConfig/ca/secret/name").asText()).as("the gateway's certificate Secret").isEqualTo(secret);
        assertThat(endpoint.at("/tlsConfig/serverName").asText())
                .isEqualTo(gateway.at("/metadata/name").asText() + "." + gateway.at("/metadata/namespace").asText() + ".svc");
    }

    @Test
    void thePodMonitorSelectsEveryKafkaPodAtItsMetricsPortAndNoPlatformComponent() throws IOException {
        JsonNode monitor = YAML.readTree(MONITORING.resolve("podmonitor.yaml").toFile());
        assertThat(monitor.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.get("kind").asText()).isEqualTo("PodMonitor");
        assertThat(monitor.at("/spec/namespaceSelector/any").asBoolean()).as("each cluster in its own namespace").isTrue();
        ClusterNames names = new ClusterNames("payments", "kafka-payments");
        for (KafkaRole role : KafkaRole.values()) {
            assertThat(selects(monitor.at("/spec/selector"), names.labels(role.component()))).as(role.component()).isTrue();
        }
        for (PlatformComponent component : PlatformComponent.values()) {
            assertThat(selects(monitor.at("/spec/selector"), names.labels(component.componentName())))
                    .as(component.componentName() + " has no metrics port").isFalse();
        }
        JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");
        assertThat(endpoint.get("port").asText()).isEqualTo(Ports.METRICS_NAME);
        // the pod label Kubernetes service discovery exposes for the cluster's name, copied to `cluster`
        assertThat(endpoint.at("/relabelings/0/sourceLabels/0").asText())
                .isEqualTo("__meta_kubernetes_pod_label_" + ClusterNames.INSTANCE_LABEL.replaceAll("[^a-zA-Z0-9_]", "_"));
        assertThat(endpoint.at("/relabelings/0/targetLabel").asText()).isEqualTo("cluster");
    }

    /** Ready once (so Degraded, not Provisioning, when a broker goes), labelled with a team, a CA, a blocked topic Kafka refuses, a SCRAM user. */
    private static void degradedClusterWithLabelsCaTopicAndUser(GatewayHarness h, String cluster, Instant caExpiry) {
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"CreateCluster\",\"payload\":{"
                + "\"kafkaVersion\":\"4.1.0\",\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"},\"clientAuthentication\":\"TLS\","
                + "\"labels\":{\"team\":\"payments\"}}}").status()).isEqualTo(200);
        h.observe(cluster, component(Phases.CONTROLLERS, 3));
        h.observe(cluster, component(Phases.BROKERS, 3));
        h.observe(cluster, component(Phases.BROKERS, 2));
        h.observe(cluster, "{\"type\":\"CaObserved\",\"fingerprint\":\"AB:01\",\"notAfter\":\"" + caExpiry + "\",\"trusted\":[\"AB:01\"]}");
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        h.observe(cluster, "{\"type\":\"ReplicationObserved\",\"topics\":{\"orders\":{\"factor\":3,\"partitions\":3,\"atFactor\":0,"
                + "\"moving\":0,\"blocked\":\"replication factor 3 needs 3 brokers up\"}}}");
        h.observe(cluster, "{\"type\":\"ExecutorRefusalsObserved\",\"refusals\":{\"brokerConfig/cluster-default\":{\"reason\":"
                + "\"Kafka refused message.max.bytes=-5 on the cluster default: InvalidRequestException: no\"}}}");
        h.observe(cluster, "{\"type\":\"TopicsRefusedObserved\",\"topics\":{\"orders\":{\"reason\":"
                + "\"PolicyViolationException: retention.ms above the policy's 7 days\",\"commandId\":null}}}");
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"CreateUser\",\"payload\":{\"name\":\"ledger\","
                + "\"acls\":[],\"authentication\":\"SCRAM-SHA-512\"}}").status()).isEqualTo(200);
    }

    private static String component(String name, int ready) {
        return "{\"type\":\"ComponentObserved\",\"component\":\"" + name + "\",\"desired\":3,\"ready\":" + ready + ",\"versions\":[\"4.1.0\"]}";
    }

    private static void clusterWithOperation(GatewayHarness h, String cluster, String state) {
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        h.observe(cluster, "{\"type\":\"OperationObserved\",\"operationId\":\"RollingRestart/r-1\",\"operation\":\"RollingRestart\","
                + "\"state\":\"" + state + "\",\"causeCommandId\":\"r-1\"}");
    }

    /** A reset of group billing refused (its consumers still ran), and one of group audit asked and waiting. */
    private static void clusterWithRefusedAndPendingOffsetResets(GatewayHarness h, String cluster) {
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        for (String group : List.of("billing", "audit")) {
            String id = h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"ResetConsumerGroupOffsets\",\"payload\":"
                    + "{\"group\":\"" + group + "\",\"to\":\"LATEST\"}}").json().get("commandId").asText();
            if (group.equals("billing")) {
                h.observe(cluster, "{\"type\":\"OffsetResetObserved\",\"commandId\":\"" + id + "\",\"group\":\"billing\",\"state\":\"REFUSED\","
                        + "\"reason\":\"consumer group 'billing' has 1 member(s) (consumer-1): stop its consumers\"}");
            }
        }
    }

    /**
     * Under an approval policy: a ScaleBrokers approved by bob but refused when decided again (a topic was created after the
     * version it was decided on), and a DeleteTopic waiting for approval.
     */
    private static void clusterWithRefusedAndWaitingProposals(GatewayHarness h, String cluster) {
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);
        ApprovalScenes.requireApprovalOfScaleAndDeleteTopic(h, cluster);
        ApprovalScenes.proposeScaleUnchangedSinceNow(h, cluster, "scale-" + cluster);
        ApprovalScenes.changeMeanwhileThenApprove(h, cluster, "scale-" + cluster);
        ApprovalScenes.propose(h, cluster, "drop-" + cluster, "DeleteTopic", "{\"name\":\"orders\"}", "");
    }

    /** Connect running a connector that has FAILED with a failed task, then Connect no longer answering. */
    private static void clusterWithFailedConnectorAndConnectUnreachable(GatewayHarness h, String cluster) {
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"SetComponent\",\"payload\":"
                + "{\"component\":\"connect\",\"replicas\":1}}").status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + cluster + "\",\"type\":\"SetConnector\",\"payload\":"
                + "{\"name\":\"cdc\",\"connectorClass\":\"io.debezium.connector.postgresql.PostgresConnector\"}}").status()).isEqualTo(200);
        h.observe(cluster, "{\"type\":\"ConnectorsObserved\",\"connectors\":{\"cdc\":{\"state\":\"FAILED\",\"tasks\":1,\"failedTasks\":1}}}");
        h.observe(cluster, "{\"type\":\"ConnectorsObserved\",\"unreachable\":\"connection refused\"}");
    }

    /** The coxswain_ metrics of an expression, those behind the recorded series it reads included. */
    private static Set<String> metricsOf(String expr, Map<String, Set<String>> recordedFrom) {
        Set<String> metrics = new HashSet<>(METRIC.matcher(expr).results().map(MatchResult::group).toList());
        Matcher recorded = RECORDED.matcher(expr);
        while (recorded.find()) {
            assertThat(recordedFrom).as(recorded.group() + " recorded by an earlier rule").containsKey(recorded.group());
            metrics.addAll(recordedFrom.get(recorded.group()));
        }
        return metrics;
    }

    /** Label names of by(...), on(...), group_left(...) and their kind, and of every {label=...} matcher. */
    private static Set<String> labelsJoinedBy(String expr) {
        Set<String> labels = new HashSet<>();
        LABEL_LIST.matcher(expr).results().forEach(m -> Arrays.stream(m.group(1).split(",")).map(String::trim)
                .filter(l -> !l.isEmpty()).forEach(labels::add));
        SELECTOR.matcher(expr).results().forEach(s -> MATCHER.matcher(s.group(2)).results().forEach(m -> labels.add(m.group(1))));
        return labels;
    }

    /** Each {label="value"} matches a series of its metric; each alternative of {label=~"A|B"} does too. */
    private static void assertMatchedValuesExist(String expr, Map<String, List<Map<String, String>>> series) {
        Matcher selector = SELECTOR.matcher(expr);
        while (selector.find()) {
            String metric = selector.group(1);
            Matcher m = MATCHER.matcher(selector.group(2));
            while (m.find()) {
                assertThat(m.group(2)).as("positive matchers only: a negative one cannot be checked this way").isIn("=", "=~");
                String label = m.group(1);
                Set<String> values = series.get(metric).stream().map(s -> s.get(label)).collect(Collectors.toSet());
                for (String wanted : m.group(2).equals("=") ? List.of(m.group(3)) : List.of(m.group(3).split("\\|"))) {
                    assertThat(values).as(metric + "{" + label + "} in " + expr).contains(wanted);
                }
            }
        }
    }

    private static void assertAlertTellsWhatAndWhere(JsonNode rule) {
        String name = rule.get("alert").asText();
        assertThat(rule.at("/labels/severity").asText()).as(name + " severity").isIn("critical", "warning", "info");
        assertThat(rule.has("for")).as(name + " for: every alert is on a state, held a while").isTrue();
        String summary = rule.at("/annotations/summary").asText();
        String description = rule.at("/annotations/description").asText();
        assertThat(summary).as(name + " summary").isNotBlank();
        assertThat(description).as(name + " description").isNotBlank();
        if (rule.get("expr").asText().contains("on(cluster)")) {
            assertThat(summary + description).as(name + " names its cluster and what to run").contains("{{ $labels.cluster }}").contains("`cox ");
        }
    }

    /** Every series of a Prometheus text answer, by metric name: its labels. */
    private static Map<String, List<Map<String, String>>> series(String text) {
        Map<String, List<Map<String, String>>> out = new HashMap<>();
        SERIES.matcher(text).results().forEach(s -> {
            Map<String, String> labels = new HashMap<>();
            if (s.group(2) != null) {
                SERIES_LABEL.matcher(s.group(2)).results().forEach(l -> labels.put(l.group(1), l.group(2)));
            }
            out.computeIfAbsent(s.group(1), k -> new ArrayList<>()).add(labels);
        });
        return out;
    }

    private static String value(String text, String metric, String cluster) {
        Matcher m = Pattern.compile("^" + metric + "\\{cluster=\"" + cluster + "\"\\} (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as(metric + " of " + cluster).isTrue();
        return m.group(1);
    }

    /** Whether a label selector (matchLabels, matchExpressions with In / NotIn / Exists) selects these labels. */
    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (!labels.entrySet().containsAll(strings(selector.get("matchLabels")).entrySet())) {
            return false;
        }
        for (JsonNode e : selector.path("matchExpressions")) {
            String value = labels.get(e.get("key").asText());
            boolean in = value != null && texts(e.get("values")).contains(value);
            boolean holds = switch (e.get("operator").asText()) {
                case "In" -> in;
                case "NotIn" -> !in;
                case "Exists" -> value != null;
                default -> throw new AssertionError("operator not understood here: " + e);
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new HashMap<>();
        if (object != null) {
            object.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
        }
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }
}
