package io.coxswain.orchestrator.topology;

import io.coxswain.commands.signing.CommandKeys;
import io.coxswain.commands.signing.CommandSigner;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Keys for signature tests: an installation's key file with an HMAC key "ops" and an Ed25519 key "svc",
 * and a forger who knows the id "ops" but not its secret.
 */
public final class TestSigningKeys {

    private final KeyPair service;
    public final CommandKeys keys;

    public TestSigningKeys() {
        try {
            service = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        keys = CommandKeys.parse("test-keys", List.of("ops hmac-sha256 " + secret(), "svc ed25519 "
                + Base64.getEncoder().encodeToString(service.getPublic().getEncoded())));
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public CommandSigner ops() {
        return CommandSigner.hmac(keys, "ops");
    }

    public CommandSigner service() {
        return CommandSigner.ed25519("svc", service.getPrivate());
    }

    /** Signs as "ops" with a secret of its own: a forgery. */
    public CommandSigner forger() {
        return CommandSigner.hmac(CommandKeys.parse("forger", List.of("ops hmac-sha256 " + secret())), "ops");
    }

    public static Headers signed(CommandSigner signer, byte[] value) {
        Headers h = new RecordHeaders();
        signer.sign(h, value);
        return h;
    }
}
