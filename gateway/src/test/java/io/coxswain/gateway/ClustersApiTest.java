package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static io.coxswain.gateway.GatewayHarness.createTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.coxswain.avro.state.TopicRefusalStatus;
import io.coxswain.avro.state.TopicReplicationStatus;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read side: clusters, minVersion, history paging, watch, health, metrics, OpenAPI, 404/405. */
class ClustersApiTest {

    static GatewayHarness h;

    @BeforeAll
    static void start() {
        // the default read wait (10 s), not a shorter one: a ?wait=true reply waits that long for its state before answering without
        // it, and ?minVersion= for the fold of a command sent meanwhile; on a loaded machine 2 s was not always enough for either
        h = GatewayHarness.start(GatewayHarness.freshTopics());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String id(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void listAndGetAnswerFromTheFoldedState() {
        String cluster = id("list");
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "orders")).status()).isEqualTo(200);

        JsonNode list = h.get("/v1/clusters").json();
        JsonNode mine = null;
        for (JsonNode c : list) {
            if (c.get("clusterId").asText().equals(cluster)) {
                mine = c;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("version").asLong()).isEqualTo(2);
        assertThat(mine.get("phase").asText()).isNotBlank();

        Reply one = h.get("/v1/clusters/" + cluster);
        assertThat(one.header("Coxswain-As-Of")).isNotNull();
        JsonNode j = one.json();
        assertThat(j.get("clusterId").asText()).isEqualTo(cluster);
        assertThat(j.get("version").asLong()).isEqualTo(2);
        assertThat(j.at("/spec/brokers").asInt()).isEqualTo(3);
        assertThat(j.at("/spec/kafkaVersion").asText()).isEqualTo("4.1.0");
        assertThat(j.at("/status/phase").asText()).isNotBlank();
        assertThat(j.at("/topics/orders/partitions").asInt()).isEqualTo(3);
        assertThat(j.at("/freshness/kafkaReachable").asBoolean()).isTrue();

        Reply unknown = h.get("/v1/clusters/" + id("nobody"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("not known");
    }

    @Test
    void minVersionWaitsForTheVersionAndOtherwiseSays503WithWhatItHas() throws Exception {
        String cluster = id("minv");
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> waiting = h.http.sendAsync(h.request("/v1/clusters/" + cluster + "?minVersion=2").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(h.post("/v1/commands", createTopic(cluster, "late")).status()).isEqualTo(202);
        HttpResponse<String> r = waiting.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(GatewayHarness.JSON.readTree(r.body()).get("version").asLong()).isEqualTo(2);

        Reply tooFar = h.get("/v1/clusters/" + cluster + "?minVersion=99");
        assertThat(tooFar.status()).isEqualTo(503);
        assertThat(tooFar.json().get("error").asText()).contains("version 2").contains("not yet version 99");
        assertThat(tooFar.json().get("version").asLong()).isEqualTo(2);
        assertThat(h.get("/v1/clusters/" + cluster + "?minVersion=abc").status()).isEqualTo(400);
    }

    @Test
    void historyIsInLogOrderAndPaged() {
        String cluster = id("hist");
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        for (int i = 0; i < 4; i++) {
            assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "t" + i)).status()).isEqualTo(200);
        }
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "t0")).status()).isEqualTo(422);
        Poll.until(Duration.ofSeconds(30), "six decided entries", () -> {
            JsonNode all = h.get("/v1/clusters/" + cluster + "/history?limit=1000").json();
            return all.size() == 6 && !all.get(5).get("status").asText().equals("pending");
        });

        List<JsonNode> collected = new ArrayList<>();
        String next = "/v1/clusters/" + cluster + "/history?limit=2";
        int pages = 0;
        while (next != null) {
            Reply page = h.get(next);
            assertThat(page.status()).isEqualTo(200);
            page.json().forEach(collected::add);
            String link = page.header("Link");
            next = link == null ? null : link.substring(1, link.indexOf('>'));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(collected).hasSize(6);
        for (int i = 1; i < collected.size(); i++) {
            assertThat(collected.get(i).get("offset").asLong()).isGreaterThan(collected.get(i - 1).get("offset").asLong());
        }
        assertThat(collected.get(0).get("type").asText()).isEqualTo("CreateCluster");
        assertThat(collected.get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(collected.get(0).get("version").asLong()).isEqualTo(1);
        assertThat(collected.get(0).get("issuer").asText()).isEqualTo(GatewayHarness.PRINCIPAL);
        assertThat(collected.get(5).get("status").asText()).isEqualTo("rejected");
        assertThat(collected.get(5).get("reason").asText()).contains("t0");

        assertThat(h.get("/v1/clusters/" + id("none") + "/history").status()).isEqualTo(404);
        assertThat(h.get("/v1/clusters/" + cluster + "/history?limit=0").status()).isEqualTo(400);

        // what the executor records is most of a real cluster's log: ?observations=false keeps what someone asked, paged the same way
        h.observe(cluster, "{\"type\":\"ComponentObserved\",\"component\":\"brokers\",\"desired\":3,\"ready\":3,\"versions\":[\"4.1.0\"]}");
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "t9")).status()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(30), "eight entries", () -> h.get("/v1/clusters/" + cluster + "/history?limit=1000").json().size() == 8);
        Reply first = h.get("/v1/clusters/" + cluster + "/history?limit=6&observations=false");
        assertThat(first.json()).extracting(e -> e.get("type").asText()).doesNotContain("RecordObservation").hasSize(6);
        assertThat(first.header("Link")).contains("observations=false");
        Reply rest = h.get(first.header("Link").substring(1, first.header("Link").indexOf('>')));
        assertThat(rest.json()).extracting(e -> e.get("type").asText()).containsExactly("CreateTopic");
        Reply bad = h.get("/v1/clusters/" + cluster + "/history?observations=no");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("observations");
        // the latest entries, as a console shows them: in log order, the observation left out when asked
        assertThat(h.get("/v1/clusters/" + cluster + "/history?last=2").json()).extracting(e -> e.get("type").asText())
                .containsExactly("RecordObservation", "CreateTopic");
        assertThat(h.get("/v1/clusters/" + cluster + "/history?last=2&observations=false").json())
                .extracting(e -> e.get("type").asText() + " " + e.get("status").asText()).containsExactly("CreateTopic rejected", "CreateTopic accepted");
        assertThat(h.get("/v1/clusters/" + cluster + "/history?limit=4294967296").status()).as("not read as 0").isEqualTo(400);
        Reply mixed = h.get("/v1/clusters/" + cluster + "/history?last=2&fromOffset=0");
        assertThat(mixed.status()).isEqualTo(400);
        assertThat(mixed.json().get("field").asText()).isEqualTo("last");
    }

    @Test
    void watchStreamsOneEventPerNewVersion() throws Exception {
        String cluster = id("watch");
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        HttpResponse<InputStream> stream = h.http.send(h.request("/v1/clusters/" + cluster + "/watch").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        CompletableFuture<List<Long>> versions = CompletableFuture.supplyAsync(() -> readVersions(stream.body(), 3));
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "a")).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", createTopic(cluster, "b")).status()).isEqualTo(200);
        assertThat(versions.get(30, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L);
        stream.body().close();
    }

    private static List<Long> readVersions(InputStream in, int count) {
        List<Long> versions = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            String event = null;
            while (versions.size() < count && (line = reader.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "state".equals(event)) {
                    versions.add(GatewayHarness.JSON.readTree(line.substring(6)).get("version").asLong());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return versions;
    }

    @Test
    void metricsCarryEveryClustersPhaseOperationAndComponentsForAlerts() {
        String cluster = id("fleet");
        assertThat(h.post("/v1/commands?wait=true", create(cluster)).status()).isEqualTo(200);
        h.observe(cluster, "{\"type\":\"ComponentObserved\",\"component\":\"brokers\",\"desired\":3,\"ready\":2,\"versions\":[\"4.1.0\"]}");
        h.observe(cluster, "{\"type\":\"OperationObserved\",\"operationId\":\"RollingRestart/r-1\",\"operation\":\"RollingRestart\","
                + "\"state\":\"RUNNING\",\"causeCommandId\":\"r-1\"}");
        h.observe(cluster, "{\"type\":\"OperationStepObserved\",\"operationId\":\"RollingRestart/r-1\",\"step\":\"restart x-broker-0\","
                + "\"state\":\"FINISHED\",\"done\":1,\"total\":3}");
        h.observe(cluster, "{\"type\":\"ReconciledObserved\",\"intentVersion\":1}");
        h.observe(cluster, "{\"type\":\"OperationObserved\",\"operationId\":\"RollingRestart/r-1\",\"operation\":\"RollingRestart\","
                + "\"state\":\"FAILED\",\"causeCommandId\":\"r-1\",\"reason\":\"gave up\"}");
        // its CA while a second one is trusted beside it; another cluster whose executor has not reported its CA yet
        h.observe(cluster, "{\"type\":\"CaObserved\",\"fingerprint\":\"AB:01\",\"notAfter\":\"2031-12-06T00:00:00Z\",\"trusted\":[\"AB:01\",\"CD:02\"]}");
        String unreported = id("no-ca");
        assertThat(h.post("/v1/commands?wait=true", create(unreported)).status()).isEqualTo(200);
        JsonNode state = h.get("/v1/clusters/" + cluster).json();
        String phase = state.at("/status/phase").asText();

        String metrics = h.get("/metrics").body();
        java.util.regex.Matcher started = java.util.regex.Pattern.compile("coxswain_cluster_operation_started_timestamp_seconds\\{cluster=\""
                + cluster + "\"[^}]*\\} (\\S+)\n").matcher(metrics);
        assertThat(started.find()).as("an alert on a long operation computes time() minus its start").isTrue();
        assertThat(Double.parseDouble(started.group(1))).isEqualTo(Instant.parse(state.at("/status/operation/startedAt").asText()).toEpochMilli() / 1000.0);
        assertThat(metrics)
                .contains("# TYPE coxswain_cluster_phase gauge")
                .contains("coxswain_cluster_phase{cluster=\"" + cluster + "\",phase=\"" + phase + "\"} 1\n")
                .contains("coxswain_cluster_operation{cluster=\"" + cluster + "\",operation=\"RollingRestart\",state=\"FAILED\"} 1\n")
                .contains("coxswain_cluster_version{cluster=\"" + cluster + "\"} " + state.get("version").asLong() + "\n")
                .contains("coxswain_cluster_operation_started_timestamp_seconds{cluster=\"" + cluster
                        + "\",operation=\"RollingRestart\",state=\"FAILED\",operation_id=\"RollingRestart/r-1\"} ")
                .contains("coxswain_component_ready_replicas{cluster=\"" + cluster + "\",component=\"brokers\"} 2\n")
                .contains("coxswain_component_desired_replicas{cluster=\"" + cluster + "\",component=\"brokers\"} 3\n")
                .containsPattern("coxswain_clusters\\{phase=\"" + phase + "\"\\} [1-9]")
                .contains("coxswain_cluster_ca_expiry_timestamp_seconds{cluster=\"" + cluster + "\"} " + Instant.parse("2031-12-06T00:00:00Z").getEpochSecond() + "\n")
                .contains("coxswain_cluster_ca_trusted{cluster=\"" + cluster + "\"} 2\n")
                .contains("coxswain_cluster_version{cluster=\"" + unreported + "\"} 1\n")
                .contains("coxswain_cluster_operation_steps_done{cluster=\"" + cluster
                        + "\",operation=\"RollingRestart\",state=\"FAILED\",operation_id=\"RollingRestart/r-1\"} 1\n")
                .contains("coxswain_cluster_operation_steps_total{cluster=\"" + cluster
                        + "\",operation=\"RollingRestart\",state=\"FAILED\",operation_id=\"RollingRestart/r-1\"} 3\n")
                .contains("coxswain_cluster_change_not_acted_on{cluster=\"" + cluster + "\"} 0\n")
                .contains("coxswain_cluster_change_not_acted_on{cluster=\"" + unreported + "\"} 1\n")
                .as("no CA series for a cluster without status.ca")
                .doesNotContain("coxswain_cluster_ca_expiry_timestamp_seconds{cluster=\"" + unreported, "coxswain_cluster_ca_trusted{cluster=\"" + unreported);

        // the list narrowed to that phase (any case) has the cluster; another phase's list does not
        List<String> inPhase = new ArrayList<>();
        h.get("/v1/clusters?phase=" + phase.toLowerCase() + ",Deleted").json().forEach(c -> inPhase.add(c.get("clusterId").asText()));
        assertThat(inPhase).contains(cluster);
        List<String> otherPhase = new ArrayList<>();
        h.get("/v1/clusters?phase=" + (phase.equals("Paused") ? "Ready" : "Paused")).json().forEach(c -> otherPhase.add(c.get("clusterId").asText()));
        assertThat(otherPhase).doesNotContain(cluster);
    }

    @Test
    void theListIsNarrowedByALabelSelectorWithThePhaseFilterAndAMalformedOneIs400NamingLabel() {
        String team = id("t");
        String prod = id("prod");
        String dev = id("dev");
        String bare = id("bare");
        for (String[] c : new String[][] {{prod, "{\"team\":\"" + team + "\",\"env\":\"prod\"}"}, {dev, "{\"team\":\"" + team + "\",\"env\":\"dev\"}"},
                {bare, "{}"}}) {
            assertThat(h.post("/v1/commands?wait=true", create(c[0]).replace("\"brokers\":3,", "\"brokers\":3,\"labels\":" + c[1] + ",")).status())
                    .isEqualTo(200);
        }
        assertThat(labelled("team=" + team, "")).containsExactlyInAnyOrder(prod, dev);
        assertThat(labelled("team=" + team + ",env!=dev", "")).containsExactly(prod);
        assertThat(labelled("team==" + team + ",env", "")).containsExactlyInAnyOrder(prod, dev);
        assertThat(labelled("!team", "")).contains(bare).doesNotContain(prod, dev);
        String phase = h.get("/v1/clusters/" + prod).json().at("/status/phase").asText();
        assertThat(labelled("team=" + team, "&phase=" + phase)).containsExactlyInAnyOrder(prod, dev);
        assertThat(labelled("team=" + team, "&phase=" + (phase.equals("Paused") ? "Ready" : "Paused"))).isEmpty();
        JsonNode summary = h.get("/v1/clusters?label=" + encode("team=" + team + ",env=prod")).json().get(0);
        assertThat(summary.get("labels")).hasToString("{\"env\":\"prod\",\"team\":\"" + team + "\"}");

        assertThat(h.post("/v1/commands?wait=true", "{\"clusterId\":\"" + dev + "\",\"type\":\"SetClusterLabels\",\"payload\":{\"labels\":"
                + "{\"team\":\"" + team + "\",\"env\":\"prod\"}}}").status()).isEqualTo(200);
        assertThat(labelled("team=" + team + ",env=prod", "")).as("the filter follows a change").containsExactlyInAnyOrder(prod, dev);

        Reply bad = h.get("/v1/clusters?label=" + encode("team=" + team + ",env=not valid"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("label");
        assertThat(bad.json().get("error").asText()).contains("label must be a selector", "'env=not valid' is not a label requirement");
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The ids GET /v1/clusters?label=selector (and more of the query) lists. */
    private static List<String> labelled(String selector, String more) {
        Reply r = h.get("/v1/clusters?label=" + encode(selector) + more);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().forEach(c -> ids.add(c.get("clusterId").asText()));
        return ids;
    }

    @Test
    void healthMetricsAndOpenApiNeedNoToken() throws Exception {
        HttpRequest.Builder anonymous = HttpRequest.newBuilder(java.net.URI.create(h.url() + "/health/live"));
        assertThat(h.send(anonymous.GET().build()).status()).isEqualTo(200);
        Reply ready = h.send(HttpRequest.newBuilder(java.net.URI.create(h.url() + "/health/ready")).GET().build());
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        assertThat(ready.json().get("topology").asText()).isEqualTo("RUNNING");

        assertThat(h.post("/v1/commands?wait=true", create(id("metrics"))).status()).isEqualTo(200);
        Reply metrics = h.send(HttpRequest.newBuilder(java.net.URI.create(h.url() + "/metrics")).GET().build());
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("# TYPE coxswain_http_requests_total counter")
                .contains("coxswain_http_requests_total{method=\"POST\",route=\"/v1/commands\",status=\"200\"}")
                .contains("coxswain_http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/commands\",le=\"+Inf\"}")
                .contains("coxswain_gateway_commands_total{type=\"CreateCluster\",result=\"accepted\"}")
                .contains("coxswain_decisions_total{type=\"CreateCluster\",outcome=\"accepted\"}")
                .contains("coxswain_readmodel_lag_records ")
                .contains("coxswain_readmodel_staleness_seconds ");

        Reply openapi = h.send(HttpRequest.newBuilder(java.net.URI.create(h.url() + "/openapi.yaml")).GET().build());
        assertThat(openapi.status()).isEqualTo(200);
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(openapi.body());
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        List<String> paths = new ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/v1/commands", "/v1/commands/{commandId}", "/v1/clusters", "/v1/clusters/{id}",
                "/v1/clusters/{id}/history", "/v1/clusters/{id}/watch", "/v1/clusters/{id}/diff", "/v1/audit", "/v1/audit/verify", "/v1/whoami", "/v1/nodes", "/registry/schemas/ids/{id}", "/registry/subjects",
                "/registry/subjects/{subject}", "/registry/subjects/{subject}/versions", "/registry/subjects/{subject}/versions/{version}",
                "/registry/config", "/registry/config/{subject}", "/health/live", "/health/ready", "/metrics", "/openapi.yaml");
        List<String> types = new ArrayList<>();
        doc.at("/components/schemas/CommandRequest/properties/type/enum").forEach(t -> types.add(t.asText()));
        assertThat(types).as("the command types the document lists are the schema's").isEqualTo(io.coxswain.gateway.json.JsonCommands.types());
        assertThat(parameters(doc, "/v1/clusters/{id}")).contains("asOf", "atVersion", "minVersion", "consistent");
        for (String read : List.of("/v1/clusters", "/v1/clusters/{id}/history", "/v1/commands/{commandId}", "/v1/clusters/{id}/diff",
                "/v1/clusters/{id}/watch", "/v1/audit", "/v1/audit/verify", "/v1/whoami", "/v1/nodes")) {
            assertThat(parameters(doc, read)).as(read).contains("consistent");
        }
        List<String> documentedTypes = new ArrayList<>();
        doc.at("/components/schemas/CommandRequest/properties/type/enum").forEach(t -> documentedTypes.add(t.asText()));
        assertThat(documentedTypes).as("every command type the gateway takes is documented").isEqualTo(io.coxswain.gateway.json.JsonCommands.types());
        List<String> replicationFields = new ArrayList<>();
        doc.at("/components/schemas/Cluster/properties/status/properties/replication/additionalProperties/properties").fieldNames()
                .forEachRemaining(replicationFields::add);
        assertThat(replicationFields).as("every field of a status.replication entry is documented")
                .containsExactlyElementsOf(TopicReplicationStatus.getClassSchema().getFields().stream().map(Schema.Field::name).toList());
        List<String> refusalFields = new ArrayList<>();
        doc.at("/components/schemas/Cluster/properties/status/properties/topicRefusals/additionalProperties/properties").fieldNames()
                .forEachRemaining(refusalFields::add);
        assertThat(refusalFields).as("every field of a status.topicRefusals entry is documented")
                .containsExactlyElementsOf(TopicRefusalStatus.getClassSchema().getFields().stream().map(Schema.Field::name).toList());
        List<String> blockedFields = new ArrayList<>();
        doc.at("/components/schemas/Cluster/properties/status/properties/executorRefusals/additionalProperties/properties").fieldNames()
                .forEachRemaining(blockedFields::add);
        assertThat(blockedFields).as("every field of a status.executorRefusals entry is documented").containsExactlyElementsOf(
                io.coxswain.avro.state.ExecutorRefusalStatus.getClassSchema().getFields().stream().map(Schema.Field::name).toList());
    }

    /** The names of a GET's parameters, those given by reference to components/parameters too. */
    private static List<String> parameters(JsonNode doc, String path) {
        List<String> names = new ArrayList<>();
        doc.at("/paths/" + path.replace("/", "~1") + "/get/parameters").forEach(p -> names.add(p.has("$ref")
                ? doc.at(p.get("$ref").asText().substring(1)).get("name").asText() : p.get("name").asText()));
        return names;
    }

    @Test
    void unknownPathsAndWrongMethodsAreJson404And405() {
        Reply notFound = h.get("/v2/everything");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("Content-Type")).startsWith("application/json");
        assertThat(notFound.json().get("error").asText()).contains("/v2/everything");

        Reply wrongMethod = h.send(h.request("/v1/clusters").DELETE().build());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().get("error").asText()).contains("DELETE");
        Reply getCommands = h.get("/v1/commands");
        assertThat(getCommands.status()).isEqualTo(405);
        assertThat(h.send(h.request("/v1/clusters/x").PUT(HttpRequest.BodyPublishers.ofString("{}")).build()).status()).isEqualTo(405);
    }
}
