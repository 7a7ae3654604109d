package io.coxswain.gateway.auth;

import io.coxswain.gateway.auth.jwt.JwtRejected;
import io.coxswain.gateway.auth.jwt.JwtVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who is calling, from the {@code Authorization} header: {@code Bearer TOKEN}, or HTTP Basic with the
 * token as the password (what Confluent's serializers and most registry clients can send to the
 * registry endpoint). A token is looked up in the tokens file, and, when JWT authentication is set up
 * and the file does not know it, verified as a JWT. Without either ({@code --insecure-no-auth}) every
 * caller is {@code anonymous}.
 */
public final class Authenticator implements AutoCloseable {

    public static final String ANONYMOUS = "anonymous";

    /** A caller's principal, or why there is none (for the 401's message). */
    public record Outcome(String principal, String refusal) {
        static Outcome caller(String principal) {
            return new Outcome(principal, null);
        }

        static Outcome refused(String refusal) {
            return new Outcome(null, refusal);
        }

        public boolean authenticated() {
            return principal != null;
        }
    }

    private final Tokens tokens;
    private final JwtVerifier jwt;

    private Authenticator(Tokens tokens, JwtVerifier jwt) {
        this.tokens = tokens;
        this.jwt = jwt;
    }

    public static Authenticator withTokens(Tokens tokens) {
        return new Authenticator(tokens, null);
    }

    /** @param tokens may be null when callers come only with JWTs; {@code jwt} may be null when they come only with tokens */
    public static Authenticator of(Tokens tokens, JwtVerifier jwt) {
        if (tokens == null && jwt == null) {
            throw new IllegalArgumentException("an authenticator needs tokens, JWT settings or both; insecureNoAuth() is the explicit alternative");
        }
        return new Authenticator(tokens, jwt);
    }

    public static Authenticator insecureNoAuth() {
        return new Authenticator(null, null);
    }

    public boolean enabled() {
        return tokens != null || jwt != null;
    }

    /** What the start-up line says about authentication. */
    public String describe() {
        if (!enabled()) {
            return "NO AUTHENTICATION: --insecure-no-auth";
        }
        String jwts = jwt == null ? null : "JWTs from " + jwt.settings().issuer() + " for audience " + jwt.settings().audience()
                + " (keys: " + jwt.keys().location() + ", principal: claim " + jwt.settings().principalClaim() + ")";
        if (tokens == null) {
            return jwts;
        }
        return "bearer tokens (" + tokens.size() + ")" + (jwts == null ? "" : " or " + jwts);
    }

    public Outcome authenticate(String authorizationHeader) {
        if (!enabled()) {
            return Outcome.caller(ANONYMOUS);
        }
        if (authorizationHeader == null) {
            return Outcome.refused("missing credentials: send 'Authorization: Bearer <token>'" + hint());
        }
        String h = authorizationHeader.strip();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return token(h.substring(7).strip());
        }
        if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon >= 0) {
                    return token(decoded.substring(colon + 1));
                }
            } catch (IllegalArgumentException e) {
                // not base64: refused below like any other malformed header
            }
            return Outcome.refused("malformed Basic credentials: the password must be the token");
        }
        return Outcome.refused("unsupported Authorization scheme: send 'Authorization: Bearer <token>'" + hint());
    }

    private Outcome token(String token) {
        if (tokens != null) {
            var principal = tokens.principal(token);
            if (principal.isPresent()) {
                return Outcome.caller(principal.get());
            }
        }
        if (jwt != null && JwtVerifier.looksLikeJwt(token)) {
            try {
                return Outcome.caller(jwt.verify(token));
            } catch (JwtRejected e) {
                return Outcome.refused("JWT refused: " + e.getMessage());
            }
        }
        return Outcome.refused("unknown or malformed token: send 'Authorization: Bearer <token>'" + hint());
    }

    /** Stops what JWT verification runs in the background (a JWKS URL's refresh); tokens need nothing. */
    @Override
    public void close() {
        if (jwt != null) {
            jwt.keys().close();
        }
    }

    private String hint() {
        if (tokens != null && jwt != null) {
            return " with a token from the gateway's tokens file or a JWT from " + jwt.settings().issuer();
        }
        return tokens != null ? " with a token from the gateway's tokens file (dev mode prints one)" : " with a JWT from " + jwt.settings().issuer();
    }
}
