package io.coxswain.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who is calling, from the {@code Authorization} header: {@code Bearer TOKEN}, or HTTP Basic with
 * the token as the password (what Confluent's serializers and most registry clients can send to the
 * registry endpoint). Without tokens ({@code --insecure-no-auth}) every caller is {@code anonymous}.
 */
public final class Authenticator {

    public static final String ANONYMOUS = "anonymous";

    private final Tokens tokens;

    private Authenticator(Tokens tokens) {
        this.tokens = tokens;
    }

    public static Authenticator withTokens(Tokens tokens) {
        return new Authenticator(tokens);
    }

    public static Authenticator insecureNoAuth() {
        return new Authenticator(null);
    }

    public boolean enabled() {
        return tokens != null;
    }

    /** The principal, or empty when the header is missing, malformed or names no known token. */
    public Optional<String> authenticate(String authorizationHeader) {
        if (tokens == null) {
            return Optional.of(ANONYMOUS);
        }
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        String h = authorizationHeader.strip();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return tokens.principal(h.substring(7).strip());
        }
        if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? Optional.empty() : tokens.principal(decoded.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
