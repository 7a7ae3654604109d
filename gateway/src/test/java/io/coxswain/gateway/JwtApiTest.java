package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.coxswain.gateway.GatewayHarness.Reply;
import io.coxswain.gateway.auth.AccessPolicy;
import io.coxswain.gateway.auth.Authenticator;
import io.coxswain.gateway.auth.Tokens;
import io.coxswain.gateway.auth.jwt.JwksSource;
import io.coxswain.gateway.auth.jwt.JwtVerifier;
import io.coxswain.gateway.auth.jwt.TestJwts;
import io.coxswain.gateway.json.JsonCommands;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway that takes JWTs beside its tokens file, its keys fetched over HTTP from a JWKS endpoint, as
 * from an OIDC provider: the JWT's subject is the principal the log records and the roles file grants to,
 * a refused JWT gets a 401 that says why, and a key the provider adds is picked up without a restart.
 */
class JwtApiTest {

    private static final String ISSUER = "https://idp.example/realms/platform";
    private static final String AUDIENCE = "coxswain";
    private static final String DEPLOYER = "system:serviceaccount:payments:deployer";
    private static final TestJwts.SigningKey FIRST = TestJwts.ec("2026-12");
    private static final TestJwts.SigningKey NEXT = TestJwts.rsa("2027-01");
    private static final AtomicReference<String> PUBLISHED = new AtomicReference<>(TestJwts.jwks(FIRST));
    private static HttpServer idp;
    private static GatewayHarness h;

    @BeforeAll
    static void start() throws Exception {
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/jwks", exchange -> {
            byte[] body = PUBLISHED.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        idp.start();
        Path roles = Files.createTempFile("coxswain-jwt-roles", ".txt");
        Files.writeString(roles, """
                role platform-admin * *
                role deployer CreateCluster,CreateTopic payments-*
                grant alice platform-admin
                grant %s deployer
                """.formatted(DEPLOYER));
        String url = "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks";
        JwtVerifier jwt = new JwtVerifier(new JwtVerifier.Settings(ISSUER, AUDIENCE, "sub", Duration.ofSeconds(60)),
                JwksSource.of(url, null, Duration.ofMillis(200)), Clock.systemUTC());
        h = GatewayHarness.start("jwt-" + UUID.randomUUID().toString().substring(0, 8) + ".", c -> c
                .withAuth(Authenticator.of(Tokens.of(Map.of(GatewayHarness.TOKEN, GatewayHarness.PRINCIPAL)), jwt))
                .withAccess(AccessPolicy.load(roles, JsonCommands.types())));
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (idp != null) {
            idp.stop(0);
        }
    }

    private static String token(TestJwts.SigningKey key, String subject, long expiresIn) {
        Map<String, Object> claims = new HashMap<>(TestJwts.claims(ISSUER, AUDIENCE, subject, Instant.now().getEpochSecond()));
        claims.put("exp", Instant.now().getEpochSecond() + expiresIn);
        return TestJwts.sign(key, claims);
    }

    private static Reply as(String bearer, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url() + path)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + bearer);
        return h.send((body == null ? b.GET() : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body))).build());
    }

    @Test
    void aJwtsSubjectIsThePrincipalTheLogRecordsAndTheRolesFileGrantsTo() {
        String cluster = "payments-" + UUID.randomUUID().toString().substring(0, 6);
        Reply created = as(token(FIRST, DEPLOYER, 3600), "POST", "/v1/commands?wait=true", GatewayHarness.create(cluster));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        Reply status = h.get("/v1/commands/" + created.json().get("commandId").asText());
        assertThat(status.json().get("issuer").asText()).isEqualTo(DEPLOYER);

        Reply elsewhere = as(token(FIRST, DEPLOYER, 3600), "POST", "/v1/commands?wait=true", GatewayHarness.create("orders-" + cluster));
        assertThat(elsewhere.status()).as("the deployer's role covers payments-* only").isEqualTo(403);
        Reply stranger = as(token(FIRST, "system:serviceaccount:other:sa", 3600), "POST", "/v1/commands?wait=true", GatewayHarness.create(cluster + "-x"));
        assertThat(stranger.status()).as("a valid JWT of a principal with no role").isEqualTo(403);
        assertThat(as(GatewayHarness.TOKEN, "GET", "/v1/clusters", null).status()).as("the tokens file still works beside JWTs").isEqualTo(200);
    }

    /** What a workload in Kubernetes does: cox reads its projected service-account token from the file the kubelet renews. */
    @Test
    void coxReadsItsTokenFromAFile() throws Exception {
        Path file = Files.createTempFile("sa-token", "");
        Files.writeString(file, token(FIRST, DEPLOYER, 3600) + "\n");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = io.coxswain.commands.cli.Cox.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "--gateway", h.url(), "--token-file", file.toString(), "whoami");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("principal: " + DEPLOYER).contains("deployer");

        int both = io.coxswain.commands.cli.Cox.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "--gateway", h.url(), "--token", GatewayHarness.TOKEN, "--token-file", file.toString(), "whoami");
        assertThat(both).isEqualTo(2);
        assertThat(err.toString()).contains("--token (or COX_TOKEN) and --token-file (or COX_TOKEN_FILE) are both set");
    }

    @Test
    void aRefusedJwtGetsA401ThatSaysWhy() {
        Reply expired = as(token(FIRST, DEPLOYER, -3600), "GET", "/v1/clusters", null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("error").asText()).startsWith("JWT refused: expired at");
        assertThat(expired.header("WWW-Authenticate")).contains("Bearer");

        Map<String, Object> otherAudience = new HashMap<>(TestJwts.claims(ISSUER, "vault", DEPLOYER, Instant.now().getEpochSecond()));
        Reply vault = as(TestJwts.sign(FIRST, otherAudience), "GET", "/v1/clusters", null);
        assertThat(vault.status()).isEqualTo(401);
        assertThat(vault.json().get("error").asText()).contains("meant for audience \"vault\", not 'coxswain'");
    }

    @Test
    void aKeyTheProviderAddsIsUsedWithoutARestart() {
        String rotated = token(NEXT, DEPLOYER, 3600);
        Reply before = as(rotated, "GET", "/v1/clusters", null);
        assertThat(before.status()).isEqualTo(401);
        assertThat(before.json().get("error").asText()).contains("no key '2027-01'").contains("fetching the keys again");

        PUBLISHED.set(TestJwts.jwks(FIRST, NEXT));
        Poll.until(Duration.ofSeconds(20), "a token of the new key accepted", () -> as(rotated, "GET", "/v1/clusters", null).status() == 200);
        assertThat(as(token(FIRST, DEPLOYER, 3600), "GET", "/v1/clusters", null).status()).as("the old key still works").isEqualTo(200);
    }
}
