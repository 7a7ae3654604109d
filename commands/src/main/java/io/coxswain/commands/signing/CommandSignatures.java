package io.coxswain.commands.signing;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A node's signature settings: how it verifies the commands it folds, and the key, if any, it signs its
 * own writes with (the gateway's commands and the executors' observations).
 *
 * @param signer null when the node signs nothing
 */
public record CommandSignatures(SignatureVerifier verifier, CommandSigner signer) {

    public CommandSignatures {
        if (verifier.required() && signer == null) {
            throw new IllegalArgumentException("--require-signatures needs --signing-key: without it this node's own writes (the gateway's"
                    + " commands, the executors' observations) would be unsigned and rejected");
        }
    }

    /** No keys, nothing required, nothing signed: as before signatures existed. */
    public static CommandSignatures none() {
        return new CommandSignatures(SignatureVerifier.permissive(), null);
    }

    public Optional<CommandSigner> signing() {
        return Optional.ofNullable(signer);
    }

    /**
     * From the node's options; throws {@link IllegalArgumentException} (or an unchecked I/O error) saying
     * which option is wrong and how to fix it.
     *
     * @param keysFile       null for no keys
     * @param signingKeyId   null when the node signs nothing
     * @param signingKeyFile the Ed25519 private key of {@code signingKeyId}; null for an HMAC key (its secret is in the keys file)
     */
    public static CommandSignatures load(Path keysFile, boolean required, String signingKeyId, Path signingKeyFile) {
        CommandKeys keys = keysFile == null ? CommandKeys.none() : CommandKeys.load(keysFile);
        if (signingKeyFile != null && signingKeyId == null) {
            throw new IllegalArgumentException("--signing-key-file needs --signing-key KEYID: the id its public key has in --command-keys");
        }
        CommandSigner signer = null;
        if (signingKeyId != null) {
            if (keysFile == null) {
                throw new IllegalArgumentException("--signing-key " + signingKeyId + " needs --command-keys FILE listing that key, so the node"
                        + " can verify its own writes");
            }
            signer = signingKeyFile == null ? CommandSigner.hmac(keys, signingKeyId)
                    : CommandSigner.ed25519(signingKeyId, PrivateKeys.readEd25519(signingKeyFile));
            requireSelfVerifies(keys, signer, signingKeyFile);
        }
        return new CommandSignatures(new SignatureVerifier(keys, required), signer);
    }

    /** A private key that does not match the public key of its id would have every write of the node rejected: refuse it now. */
    private static void requireSelfVerifies(CommandKeys keys, CommandSigner signer, Path signingKeyFile) {
        byte[] probe = "coxswain signing key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CommandKey key = keys.get(signer.keyId()).orElseThrow(() -> new IllegalArgumentException("--signing-key '" + signer.keyId()
                + "' is not in " + keys.source() + "; add its public key there: openssl pkey -in " + signingKeyFile + " -pubout -outform DER | base64 -w0"));
        if (key.algorithm() != signer.algorithm() || !key.verifies(probe, signer.sign(probe).signature())) {
            throw new IllegalArgumentException("--signing-key-file " + signingKeyFile + " is not the private key of '" + signer.keyId() + "' in "
                    + keys.source() + " (the " + key.algorithm().token() + " key listed there does not verify its signatures); give the matching pair");
        }
        if (!key.issuers().isEmpty()) {
            // the node signs the gateway's commands under each authenticated principal's name, and the executors' observations
            throw new IllegalArgumentException("--signing-key '" + signer.keyId() + "' is bound to issuers=" + String.join(",", key.issuers())
                    + " in " + keys.source() + ", but the node signs the gateway's commands of every authenticated caller and its executors'"
                    + " observations: give that key issuers=* (or no issuers column)");
        }
    }
}
