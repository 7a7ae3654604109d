package io.coxswain.gateway;

import static io.coxswain.gateway.GatewayHarness.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.commands.cli.Cox;
import io.coxswain.gateway.GatewayHarness.Reply;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway whose roles file says {@code reads by-role}: alice (platform admin) reads everything, bob
 * (payments-dev) reads only the payments clusters, on every read route, and is told why elsewhere.
 */
class ReadsByRoleApiTest {

    private static GatewayHarness h;
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String PAYMENTS = "payments-" + SUFFIX;
    private static final String ORDERS = "orders-" + SUFFIX;

    @BeforeAll
    static void start() throws IOException {
        h = GatewayHarness.withRoles("reads-" + SUFFIX + ".", """
                reads by-role
                role platform-admin * *
                role payments-dev CreateTopic payments-*
                grant alice platform-admin
                grant bob payments-dev
                """);
        assertThat(h.post("/v1/commands?wait=true", create(PAYMENTS)).status()).isEqualTo(200);
        assertThat(h.post("/v1/commands?wait=true", create(ORDERS)).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws IOException {
        h.close();
    }

    private static Reply asBob(String path) {
        return h.send(bob(path).GET().build());
    }

    private static HttpRequest.Builder bob(String path) {
        return h.request(path).setHeader("Authorization", "Bearer " + GatewayHarness.OTHER_TOKEN);
    }

    /** The status alone: a read that bob may make can be a watch, whose body never ends. */
    private static int statusAsBob(String method, String path) {
        try {
            HttpResponse<InputStream> r = h.http.send(bob(path).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            r.body().close();
            return r.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(c -> ids.add(c.get("clusterId").asText()));
        return ids;
    }

    @Test
    void theClusterListShowsOnlyTheClustersTheCallersRolesCover() {
        assertThat(ids(asBob("/v1/clusters").json())).contains(PAYMENTS).doesNotContain(ORDERS);
        assertThat(ids(h.get("/v1/clusters").json())).contains(PAYMENTS, ORDERS);
    }

    @Test
    void everyReadOfAnUncoveredClusterIs403NamingTheCluster() {
        String ordersCreate = h.get("/v1/clusters/" + ORDERS + "/history").json().get(0).get("commandId").asText();
        for (String path : List.of("/v1/clusters/" + ORDERS, "/v1/clusters/" + ORDERS + "?atVersion=1", "/v1/clusters/" + ORDERS + "/history",
                "/v1/clusters/" + ORDERS + "/diff?from=0&to=1", "/v1/clusters/" + ORDERS + "/watch", "/v1/commands/" + ordersCreate)) {
            Reply r = asBob(path);
            assertThat(r.status()).as(path + " " + r.body()).isEqualTo(403);
            assertThat(r.json().get("field").asText()).as(path).isEqualTo("clusterId");
            assertThat(r.json().get("error").asText()).as(path).contains("'bob' may not read cluster '" + ORDERS + "'", "payments-*");
        }
        assertThat(asBob("/v1/clusters/" + PAYMENTS).status()).isEqualTo(200);
        assertThat(asBob("/v1/clusters/" + PAYMENTS + "/history").status()).isEqualTo(200);
        assertThat(h.get("/v1/clusters/" + ORDERS).status()).isEqualTo(200);
    }

    /**
     * The routes are taken from the router, not listed here: a GET route added below a cluster later
     * is held to the same refusal without this test naming it.
     */
    @Test
    void everyGetRouteTheRouterHasBelowAClusterRefusesAnUncoveredOne() {
        List<String> paths = h.gateway.routes().stream()
                .filter(r -> r.getPath() != null && r.getPath().startsWith("/v1/clusters/:id")
                        && (r.methods().isEmpty() || r.methods().contains(HttpMethod.GET)))
                .map(Route::getPath).distinct().toList();
        assertThat(paths).as("the router's routes below a cluster")
                .contains("/v1/clusters/:id", "/v1/clusters/:id/history", "/v1/clusters/:id/diff", "/v1/clusters/:id/watch");
        for (String route : paths) {
            String orders = route.replace(":id", ORDERS);
            Reply r = asBob(orders);
            assertThat(r.status()).as(orders + " " + r.body()).isEqualTo(403);
            assertThat(r.json().get("field").asText()).as(orders).isEqualTo("clusterId");
            assertThat(r.json().get("error").asText()).as(orders).contains("'bob' may not read cluster '" + ORDERS + "'");
            assertThat(statusAsBob("HEAD", orders)).as("HEAD " + orders).isEqualTo(403);
            // bob's own cluster reaches the route, whose answer (200, or 400 for a diff without its range) is no refusal
            String payments = route.replace(":id", PAYMENTS);
            assertThat(statusAsBob("GET", payments)).as(payments).isNotEqualTo(403).isLessThan(500);
            assertThat(statusAsBob("HEAD", payments)).as("HEAD " + payments).isNotEqualTo(403).isLessThan(500);
        }
        // refused before any route is chosen, so counted under the guard's own route rather than as unmatched
        assertThat(h.get("/metrics").body()).contains("coxswain_http_requests_total{method=\"GET\",route=\"/v1/clusters/:id*\",status=\"403\"}");
    }

    @Test
    void theAuditTrailAnswersOnlyTheCallersClustersAndVerifyMustNameOne() {
        for (String path : List.of("/v1/audit/verify", "/v1/audit?cluster=" + ORDERS)) {
            Reply r = asBob(path);
            assertThat(r.status()).as(path + " " + r.body()).isEqualTo(403);
            assertThat(r.json().get("field").asText()).as(path).isIn("cluster", "clusterId");
        }
        Reply own = asBob("/v1/audit?cluster=" + PAYMENTS);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains(PAYMENTS).doesNotContain(ORDERS);
        // across the log: only the clusters bob may read, as his list shows them; nothing of the others, not even their count
        Reply across = asBob("/v1/audit");
        assertThat(across.status()).as(across.body()).isEqualTo(200);
        assertThat(across.json().get("entries")).isNotEmpty().allSatisfy(e -> assertThat(e.get("cluster").asText()).isEqualTo(PAYMENTS));
        assertThat(across.json().get("matched").asLong()).isEqualTo(across.json().get("entries").size());
        assertThat(across.json().get("scanned").asLong()).as("the records of his clusters, the only ones in his answer")
                .isEqualTo(across.json().get("entries").size());
        JsonNode everything = h.get("/v1/audit").json();
        assertThat(everything.toString()).contains(PAYMENTS, ORDERS);
        assertThat(everything.get("scanned").asLong()).isGreaterThan(across.json().get("scanned").asLong());
    }

    @Test
    void whoamiAndCoxSayThatReadsFollowRoles() {
        assertThat(asBob("/v1/whoami").json().get("reads").asText()).isEqualTo("by-role");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] bob = {"--gateway", h.url(), "--token", GatewayHarness.OTHER_TOKEN};
        assertThat(Cox.run(new PrintWriter(out), new PrintWriter(err), GatewayHarness.concat(bob, "whoami"))).isZero();
        assertThat(out.toString()).contains("reads follow roles");
        int code = Cox.run(new PrintWriter(out), new PrintWriter(err), GatewayHarness.concat(bob, "get", ORDERS));
        assertThat(code).as(err.toString()).isEqualTo(4);
        assertThat(err.toString()).contains("may not read cluster '" + ORDERS + "'");
    }
}
