package io.coxswain.gateway.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.sandbox.time.SettableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {

    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final String AUDIENCE = "coxswain";
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final TestJwts.SigningKey RSA = TestJwts.rsa("rsa-1");
    private static final TestJwts.SigningKey EC = TestJwts.ec("ec-1");
    private static final TestJwts.SigningKey ED = TestJwts.ed25519("ed-1");

    @TempDir
    Path dir;

    private JwtVerifier verifier(String jwks) throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, jwks);
        return new JwtVerifier(new JwtVerifier.Settings(ISSUER, AUDIENCE, "sub", Duration.ofSeconds(60)), JwksSource.of(file.toString()),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Map<String, Object> claims() {
        return new HashMap<>(TestJwts.claims(ISSUER, AUDIENCE, "system:serviceaccount:payments:deployer", NOW.getEpochSecond()));
    }

    @Test
    void aTokenSignedByAnyKeyTypeOfTheSetAuthenticatesItsSubject() throws Exception {
        JwtVerifier v = verifier(TestJwts.jwks(RSA, EC, ED));
        for (TestJwts.SigningKey key : List.of(RSA, EC, ED)) {
            assertThat(v.verify(TestJwts.sign(key, claims()))).as(key.alg()).isEqualTo("system:serviceaccount:payments:deployer");
        }
        Map<String, Object> listed = claims();
        listed.put("aud", List.of("kubernetes", AUDIENCE));
        assertThat(v.verify(TestJwts.sign(RSA, listed))).as("aud as a list that contains ours").isNotBlank();
        Map<String, Object> noKid = new HashMap<>(Map.of("alg", "ES256"));
        assertThat(v.verify(TestJwts.sign(EC, noKid, claims()))).as("no kid: the keys that fit are tried").isNotBlank();
    }

    @Test
    void lifetimeIssuerAudienceAndPrincipalAreEachCheckedAndNamed() throws Exception {
        JwtVerifier v = verifier(TestJwts.jwks(RSA));
        Map<String, Object> expired = claims();
        expired.put("exp", NOW.minusSeconds(61).getEpochSecond());
        assertRefused(v, TestJwts.sign(RSA, expired), "expired at 2026-12-05T09:58:59Z");
        Map<String, Object> withinLeeway = claims();
        withinLeeway.put("exp", NOW.minusSeconds(30).getEpochSecond());
        assertThat(v.verify(TestJwts.sign(RSA, withinLeeway))).as("30 s past exp, within the 60 s leeway").isNotBlank();
        Map<String, Object> early = claims();
        early.put("nbf", NOW.plusSeconds(600).getEpochSecond());
        assertRefused(v, TestJwts.sign(RSA, early), "not valid before");
        Map<String, Object> forever = claims();
        forever.remove("exp");
        assertRefused(v, TestJwts.sign(RSA, forever), "has no expiry (exp)");
        Map<String, Object> elsewhere = claims();
        elsewhere.put("iss", "https://evil.example");
        assertRefused(v, TestJwts.sign(RSA, elsewhere), "issued by 'https://evil.example', not by '" + ISSUER + "'");
        Map<String, Object> otherService = claims();
        otherService.put("aud", List.of("kubernetes", "vault"));
        assertRefused(v, TestJwts.sign(RSA, otherService), "meant for audience [\"kubernetes\",\"vault\"], not 'coxswain'");
        Map<String, Object> nobody = claims();
        nobody.remove("sub");
        assertRefused(v, TestJwts.sign(RSA, nobody), "has no 'sub' claim");
    }

    @Test
    void forgedTamperedOrAlgorithmSwappedTokensAreRefused() throws Exception {
        JwtVerifier v = verifier(TestJwts.jwks(RSA, EC));
        String good = TestJwts.sign(RSA, claims());
        String[] parts = good.split("\\.");
        Map<String, Object> admin = claims();
        admin.put("sub", "platform-admin");
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(admin));
        assertRefused(v, parts[0] + "." + forgedPayload + "." + parts[2], "the signature does not verify with key 'rsa-1'");

        TestJwts.SigningKey impostor = TestJwts.rsa("rsa-1"); // same kid, another key
        assertRefused(v, TestJwts.sign(impostor, claims()), "the signature does not verify with key 'rsa-1'");

        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(v, none + "." + parts[1] + ".x", "signature algorithm 'none' is not accepted");
        String hs = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(v, hs + "." + parts[1] + "." + parts[2], "signature algorithm 'HS256' is not accepted");
        // an RSA signature presented as ES256 under the RSA key's id: the key decides the algorithm
        assertRefused(v, TestJwts.sign(RSA, Map.of("alg", "RS256", "kid", "ec-1"), claims()), "does not verify with key 'ec-1'");
        assertRefused(v, TestJwts.sign(RSA, Map.of("alg", "RS256", "kid", "rsa-1", "crit", List.of("exp")), claims()), "critical extensions");
        assertRefused(v, TestJwts.sign(TestJwts.rsa("rsa-9"), claims()), "no key 'rsa-9' in the JWKS of");
        assertRefused(v, "a.b", "not a signed JWT");
        assertRefused(v, "!!!." + parts[1] + "." + parts[2], "its header is not base64url");
        assertRefused(v, parts[0] + "." + Base64.getUrlEncoder().encodeToString("[1]".getBytes(StandardCharsets.UTF_8)) + "." + parts[2],
                "the signature does not verify");
    }

    @Test
    void aChangedKeysFileIsReadAgainAndABrokenOneKeepsTheKeysBeforeIt() throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, TestJwts.jwks(RSA));
        JwksSource source = JwksSource.of(file.toString());
        JwtVerifier v = new JwtVerifier(new JwtVerifier.Settings(ISSUER, AUDIENCE, "sub", Duration.ofSeconds(60)), source, Clock.fixed(NOW, ZoneOffset.UTC));
        assertRefused(v, TestJwts.sign(EC, claims()), "no key 'ec-1'");

        Files.writeString(file, TestJwts.jwks(RSA, EC));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        await(Duration.ofSeconds(10), "the rotated keys file is read again", () -> {
            try {
                return v.verify(TestJwts.sign(EC, claims())) != null;
            } catch (JwtRejected e) {
                return false;
            }
        });

        Files.writeString(file, "{\"keys\": 42}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        await(Duration.ofSeconds(10), "the broken file is noticed", () -> source.current().isPresent() && source.problem() != null);
        assertThat(source.problem()).contains("could not be re-read").contains("no \"keys\" array");
        assertThat(v.verify(TestJwts.sign(EC, claims()))).as("the keys read before stay in use").isNotBlank();
    }

    /** Verified tokens are remembered (a signature check is 45 µs to 1.2 ms): never past their lifetime, nor past their key. */
    @Test
    void aRememberedTokenStillExpiresAndGoesWithItsKey() throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, TestJwts.jwks(RSA, EC));
        SettableClock moving = new SettableClock(NOW);
        JwtVerifier v = new JwtVerifier(new JwtVerifier.Settings(ISSUER, AUDIENCE, "sub", Duration.ofSeconds(60)), JwksSource.of(file.toString()), moving);
        String token = TestJwts.sign(RSA, claims());
        assertThat(v.verify(token)).isNotBlank();
        assertThat(v.verify(token)).as("remembered").isNotBlank();
        moving.set(NOW.plusSeconds(3600 + 61));
        assertRefused(v, token, "expired at");

        moving.set(NOW);
        assertThat(v.verify(token)).isNotBlank();
        Files.writeString(file, TestJwts.jwks(EC)); // the RSA key revoked
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        await(Duration.ofSeconds(10), "the remembered token refused once its key is gone", () -> {
            try {
                v.verify(token);
                return false;
            } catch (JwtRejected e) {
                return e.getMessage().contains("no key 'rsa-1'");
            }
        });
    }

    @Test
    void aKeysFileThatCannotBeUsedStopsTheStartNamingTheProblem() throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, "{\"keys\": [{\"kty\": \"oct\", \"k\": \"c2VjcmV0\"}]}");
        assertThatThrownBy(() -> JwksSource.of(file.toString())).hasMessageContaining("has no RSA, EC (P-256/384/521) or Ed25519 signature key");
        assertThatThrownBy(() -> JwksSource.of(dir.resolve("missing.json").toString())).hasMessageContaining("cannot read the JWT keys file");
        assertThatThrownBy(() -> new JwtVerifier.Settings(ISSUER, null, "sub", Duration.ZERO)).hasMessageContaining("--jwt-audience");
    }

    /** Polls until {@code condition} holds (the keys file is looked at every 2 s at most), failing after {@code timeout}. */
    private static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100); // polling interval, not synchronisation
        }
    }

    private static void assertRefused(JwtVerifier v, String token, String reason) {
        assertThatThrownBy(() -> v.verify(token)).isInstanceOf(JwtRejected.class).hasMessageContaining(reason);
    }
}
