package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.gateway.json.JsonCommands;
import io.coxswain.gateway.auth.AccessPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coxswain.avro.Topics;
import io.coxswain.commands.cli.Cox;
import io.coxswain.gateway.auth.Authenticator;
import io.coxswain.gateway.auth.Tokens;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.node.NodeConfig;
import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A real node and its gateway on a real Kafka, plus an HTTP client; one per test class (start-up costs seconds). */
final class GatewayHarness implements AutoCloseable {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final String PRINCIPAL = "alice";
    static final String OTHER_TOKEN = "other-token-0123456789abcdef";
    static final String OTHER_PRINCIPAL = "bob";
    /** A third person, for a rule that needs two approvals by people other than the proposer. */
    static final String THIRD_TOKEN = "third-token-0123456789abcdef";
    static final String THIRD_PRINCIPAL = "carol";
    static final ObjectMapper JSON = new ObjectMapper();

    final CoxswainNode node;
    final Gateway gateway;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path stateDir;

    private GatewayHarness(CoxswainNode node, Gateway gateway, Path stateDir) {
        this.node = node;
        this.gateway = gateway;
        this.stateDir = stateDir;
    }

    static Topics freshTopics() {
        return new Topics("t-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    }

    static GatewayHarness start(Topics topics) {
        return start(SharedKafka.bootstrapServers(), topics, "app-" + topics.prefix(), c -> c);
    }

    /** A gateway whose roles file says {@code roles}: the file is read at start, as a node reads its own, and not kept. */
    static GatewayHarness withRoles(String prefix, String roles) {
        try {
            Path file = Files.createTempFile("coxswain-roles", ".txt");
            try {
                Files.writeString(file, roles);
                AccessPolicy policy = AccessPolicy.load(file, JsonCommands.types());
                return start(prefix, c -> c.withAccess(policy));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A gateway where alice ({@link #TOKEN}) and bob ({@link #OTHER_TOKEN}) may send anything anywhere: two people for four eyes. */
    static GatewayHarness withTwoAdmins(String prefix) {
        return withRoles(prefix, """
                role platform-admin * *
                grant alice platform-admin
                grant bob platform-admin
                """);
    }

    static GatewayHarness start(String prefix, UnaryOperator<GatewayConfig> tweak) {
        return start(SharedKafka.bootstrapServers(), new Topics(prefix), "app-" + prefix, tweak);
    }

    static GatewayHarness start(String bootstrap, Topics topics, String applicationId, UnaryOperator<GatewayConfig> tweak) {
        return start(bootstrap, topics, applicationId, n -> n, tweak);
    }

    static GatewayHarness start(String bootstrap, Topics topics, String applicationId, UnaryOperator<NodeConfig> nodeTweak,
                                UnaryOperator<GatewayConfig> tweak) {
        try {
            Path stateDir = Files.createTempDirectory("coxswain-gateway-test");
            NodeConfig nc = nodeTweak.apply(NodeConfig.defaults(bootstrap, stateDir).withTopics(topics).withApplicationId(applicationId)
                    .withPartitions(3, (short) 1));
            CoxswainNode node = CoxswainNode.start(nc, Duration.ofSeconds(90));
            try {
                return new GatewayHarness(node, startGateway(node, tweak), stateDir);
            } catch (RuntimeException e) {
                node.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A gateway of {@code node} knowing the three test tokens, with {@code tweak}'s settings. */
    private static Gateway startGateway(CoxswainNode node, UnaryOperator<GatewayConfig> tweak) {
        GatewayConfig config = tweak.apply(GatewayConfig.defaults(Authenticator.withTokens(
                Tokens.of(Map.of(TOKEN, PRINCIPAL, OTHER_TOKEN, OTHER_PRINCIPAL, THIRD_TOKEN, THIRD_PRINCIPAL)))));
        return Gateway.start(node, config, Duration.ofSeconds(60));
    }

    /**
     * A second gateway of this harness's node, as a second instance would be (its own read model and writer), with
     * {@code tweak}'s settings: shorter waits, say, for a test that waits one out. The caller closes it.
     */
    Gateway another(UnaryOperator<GatewayConfig> tweak) {
        return startGateway(node, tweak);
    }

    String url() {
        return gateway.url();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TOKEN);
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Posts as the other principal (bob): a second person, whom four eyes need besides alice. */
    Reply postAsOther(String path, String body) {
        return send(request(path).setHeader("Authorization", "Bearer " + OTHER_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET /v1/nodes once it says {@code what}: a member's join or leave is seen after the group's rebalance and the gateway's few seconds of cache. */
    JsonNode awaitNodes(String what, Predicate<JsonNode> holds) {
        return Poll.until(Duration.ofSeconds(90), "GET /v1/nodes showing " + what, () -> {
            Reply r = get("/v1/nodes");
            return r.status() == 200 && holds.test(r.json()) ? r.json() : null;
        });
    }

    /** Runs cox in process with {@code base} (its gateway and token options), asserts its exit code, and returns what it printed on stdout and then on stderr. */
    static String coxExits(int expected, String[] base, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cox.run(new PrintWriter(out), new PrintWriter(err), concat(base, args));
        assertThat(code).as(String.join(" ", args) + ": " + out + err).isEqualTo(expected);
        return out.toString() + err;
    }

    /** Command-line arguments: {@code a} followed by {@code b} (a cox invocation's common options, then its command). */
    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * Posts what an executor would report about a cluster (a RecordObservation); fails unless accepted.
     * <p>Returns once the read model holds the state it made: the reply (?wait=true) waits the read wait for it and then answers
     * without it, the decision and the state being read from two topics, and what tests read next (cox get, the console) is
     * that state.
     *
     * @return the version its decision gave the cluster
     */
    long observe(String clusterId, String observation) {
        Reply r = post("/v1/commands?wait=true", "{\"clusterId\":\"" + clusterId + "\",\"type\":\"RecordObservation\",\"payload\":{\"observer\":\"exec-test\","
                + "\"observation\":" + observation + "}}");
        if (r.status() != 200) {
            throw new AssertionError("observation on " + clusterId + " not accepted: " + r.status() + " " + r.body());
        }
        long version = r.json().get("version").asLong();
        Poll.until(Duration.ofSeconds(60), clusterId + " at version " + version + " in the read model",
                () -> get("/v1/clusters/" + clusterId + "?minVersion=" + version).status() == 200);
        return version;
    }

    /** A create command's JSON for {@code clusterId}. */
    static String create(String clusterId) {
        return "{\"clusterId\":\"" + clusterId + "\",\"type\":\"CreateCluster\",\"payload\":{\"kafkaVersion\":\"4.1.0\","
                + "\"controllers\":3,\"brokers\":3,\"storage\":{\"size\":\"10Gi\"}}}";
    }

    static String createTopic(String clusterId, String topic) {
        return "{\"clusterId\":\"" + clusterId + "\",\"type\":\"CreateTopic\",\"payload\":{\"name\":\"" + topic
                + "\",\"partitions\":3,\"replicationFactor\":1}}";
    }

    record Reply(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            node.close();
            SharedKafka.deleteQuietly(stateDir);
        }
    }
}
