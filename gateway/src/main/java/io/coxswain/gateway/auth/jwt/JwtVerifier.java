package io.coxswain.gateway.auth.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Authenticates a caller by a signed JWT (RFC 7519), as an OpenID Connect provider or a Kubernetes
 * service-account token issues them: the signature must verify with a key of the configured JWKS, and
 * the token must come from the configured issuer, be meant for the configured audience, and be within
 * its lifetime. The caller's principal is a claim of the token ({@code sub} unless configured), and it
 * is what the audit trail records and what the roles file grants to.
 *
 * <p>Deliberately narrow: only asymmetric signatures (RS256/384/512, ES256/384/512, EdDSA) chosen by the
 * key, never by the token alone (a token cannot pick {@code none} or an HMAC over a public key); a token
 * without {@code exp} is refused (a bearer credential that never expires is a password in a log);
 * critical headers ({@code crit}) are refused, as RFC 7515 requires of extensions one does not implement.
 */
public final class JwtVerifier {

    /**
     * @param issuer         the {@code iss} every token must carry, exactly
     * @param audience       a value the token's {@code aud} must be or contain
     * @param principalClaim the claim naming the caller ({@code sub}, or e.g. {@code email}, {@code preferred_username})
     * @param leeway         clock difference tolerated on {@code exp} and {@code nbf}
     */
    public record Settings(String issuer, String audience, String principalClaim, Duration leeway) {
        public Settings {
            if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
                throw new IllegalArgumentException("JWT authentication needs --jwt-issuer and --jwt-audience: without them a token meant for"
                        + " another service, or from another issuer, would be accepted");
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> JCA = Map.of("RS256", "SHA256withRSA", "RS384", "SHA384withRSA", "RS512", "SHA512withRSA",
            // JWS carries an ECDSA signature as R||S, which is what the P1363 format reads
            "ES256", "SHA256withECDSAinP1363Format", "ES384", "SHA384withECDSAinP1363Format", "ES512", "SHA512withECDSAinP1363Format",
            "EdDSA", "Ed25519");

    /**
     * Tokens verified lately, by their exact text: a caller sends the same token for minutes or hours, and
     * checking a signature again each time costs the event loop 45 µs (RS256) to 1.2 ms (ES256, JDK 17) per
     * request. A remembered token still has its lifetime checked each time, and counts only while the key
     * set it was verified with is the current one (a rotated or revoked key sends it through a full check).
     */
    private record Verified(String principal, Instant notBefore, Instant expires, JsonWebKeys keys) {
    }

    /** Beyond this many remembered tokens the memory starts over: a bound, not an eviction policy worth more code. */
    static final int REMEMBERED = 4096;

    private final Settings settings;
    private final JwksSource keys;
    private final Clock clock;
    private final Map<String, Verified> remembered = new java.util.concurrent.ConcurrentHashMap<>();

    public JwtVerifier(Settings settings, JwksSource keys, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
    }

    public Settings settings() {
        return settings;
    }

    public JwksSource keys() {
        return keys;
    }

    /** True when {@code token} has a JWT's shape (three dot-separated parts); whether it is valid is {@link #verify}'s question. */
    public static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        return first > 0 && second > first + 1 && token.indexOf('.', second + 1) < 0;
    }

    /** The principal the token authenticates. */
    public String verify(String token) throws JwtRejected {
        Verified known = remembered.get(token);
        if (known != null && keys.current().orElse(null) == known.keys()) {
            Instant now = clock.instant();
            checkLifetime(now, known.notBefore(), known.expires());
            return known.principal();
        }
        return verifyFully(token);
    }

    private String verifyFully(String token) throws JwtRejected {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new JwtRejected("not a signed JWT (expected header.payload.signature)");
        }
        JsonNode header = json(parts[0], "header");
        String alg = header.path("alg").asText("");
        if (!JCA.containsKey(alg)) {
            throw new JwtRejected("signature algorithm '" + alg + "' is not accepted (accepted: RS256, RS384, RS512, ES256, ES384, ES512, EdDSA)");
        }
        if (header.has("crit")) {
            throw new JwtRejected("the header lists critical extensions (crit) this gateway does not implement");
        }
        JsonWebKeys set = checkSignature(header, alg, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), decode(parts[2], "signature"));
        Verified verified = checkClaims(json(parts[1], "payload"), set);
        if (remembered.size() >= REMEMBERED) {
            remembered.clear();
        }
        remembered.put(token, verified);
        return verified.principal();
    }

    /** @return the key set that verified it */
    private JsonWebKeys checkSignature(JsonNode header, String alg, byte[] signed, byte[] signature) throws JwtRejected {
        JsonWebKeys set = keys.current().orElseThrow(() -> new JwtRejected(keys.problem()));
        String kid = header.hasNonNull("kid") ? header.get("kid").asText() : null;
        List<JsonWebKeys.Key> candidates = set.candidates(kid);
        if (candidates.isEmpty()) {
            boolean refreshing = keys.refreshForUnknownKey();
            throw new JwtRejected("no key '" + kid + "' in the JWKS of " + keys.location()
                    + (refreshing ? " (fetching the keys again: a key the provider just added is there within seconds; retry)" : ""));
        }
        for (JsonWebKeys.Key key : candidates) {
            if (key.algorithms().contains(alg) && verifies(key, alg, signed, signature)) {
                return set;
            }
        }
        throw new JwtRejected("the signature does not verify with " + (kid == null ? "any key" : "key '" + kid + "'") + " of the JWKS of "
                + keys.location() + " for " + alg);
    }

    private static boolean verifies(JsonWebKeys.Key key, String alg, byte[] signed, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(JCA.get(alg));
            verifier.initVerify(key.publicKey());
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (java.security.SignatureException | java.security.InvalidKeyException e) {
            return false; // a signature of the wrong size or form, or an EC key of another curve: not a valid signature
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot verify " + alg + ": " + e.getMessage(), e);
        }
    }

    /** Issuer, audience, lifetime and principal: what a token verified with {@code set} says, once checked. */
    private Verified checkClaims(JsonNode claims, JsonWebKeys set) throws JwtRejected {
        String iss = claims.path("iss").asText(null);
        if (!settings.issuer().equals(iss)) {
            throw new JwtRejected("issued by '" + iss + "', not by '" + settings.issuer() + "' (--jwt-issuer)");
        }
        JsonNode aud = claims.path("aud");
        boolean meantForUs = aud.isTextual() ? aud.asText().equals(settings.audience())
                : aud.isArray() && java.util.stream.StreamSupport.stream(aud.spliterator(), false).anyMatch(a -> settings.audience().equals(a.asText()));
        if (!meantForUs) {
            throw new JwtRejected("meant for audience " + (aud.isMissingNode() ? "(none)" : aud.toString()) + ", not '" + settings.audience()
                    + "' (--jwt-audience)");
        }
        if (!claims.path("exp").isNumber()) {
            throw new JwtRejected("has no expiry (exp); this gateway accepts only tokens that expire");
        }
        Instant notBefore = claims.path("nbf").isNumber() ? Instant.ofEpochSecond(claims.get("nbf").asLong()) : null;
        Instant expires = Instant.ofEpochSecond(claims.get("exp").asLong());
        checkLifetime(clock.instant(), notBefore, expires);
        JsonNode principal = claims.path(settings.principalClaim());
        if (!principal.isTextual() || principal.asText().isBlank()) {
            throw new JwtRejected("has no '" + settings.principalClaim() + "' claim to name the caller by (--jwt-principal-claim)");
        }
        return new Verified(principal.asText(), notBefore, expires, set);
    }

    private void checkLifetime(Instant now, Instant notBefore, Instant expires) throws JwtRejected {
        if (!now.isBefore(expires.plus(settings.leeway()))) {
            throw new JwtRejected("expired at " + expires + "; get a new token");
        }
        if (notBefore != null && now.isBefore(notBefore.minus(settings.leeway()))) {
            throw new JwtRejected("not valid before " + notBefore);
        }
    }

    private static JsonNode json(String part, String what) throws JwtRejected {
        try {
            JsonNode node = JSON.readTree(decode(part, what));
            if (node == null || !node.isObject()) {
                throw new JwtRejected("its " + what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new JwtRejected("its " + what + " is not JSON");
        }
    }

    private static byte[] decode(String part, String what) throws JwtRejected {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new JwtRejected("its " + what + " is not base64url");
        }
    }
}
