package io.coxswain.commands.signing;

import java.util.Arrays;
import java.util.Optional;

/** The algorithms a command may be signed with, by the names used in key files and signature headers. */
public enum SignatureAlgorithm {
    /** A shared secret: whoever can verify can also sign, so every verifier holds a forging key. */
    HMAC_SHA256("hmac-sha256"),
    /** A key pair: verifiers (nodes, auditors) hold only the public key and cannot forge. */
    ED25519("ed25519");

    private final String token;

    SignatureAlgorithm(String token) {
        this.token = token;
    }

    /** The name in key files and in the {@code coxswain.signature} header. */
    public String token() {
        return token;
    }

    public static Optional<SignatureAlgorithm> byToken(String token) {
        return Arrays.stream(values()).filter(a -> a.token.equals(token)).findFirst();
    }

    static String tokens() {
        return Arrays.stream(values()).map(SignatureAlgorithm::token).reduce((a, b) -> a + ", " + b).orElse("");
    }
}
