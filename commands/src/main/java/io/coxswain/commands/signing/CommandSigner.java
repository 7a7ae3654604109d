package io.coxswain.commands.signing;

import java.security.PrivateKey;
import java.util.function.UnaryOperator;
import javax.crypto.SecretKey;
import org.apache.kafka.common.header.Headers;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Signs a command record's bytes (see {@link SignedBytes}) with one key and puts the signature in the
 * record's {@link SignatureHeader#NAME} header. Sign the bytes that are produced, after serializing: see
 * {@link SigningSerializer}. Thread-safe.
 */
public final class CommandSigner {

    private final String keyId;
    private final SignatureAlgorithm algorithm;
    private final UnaryOperator<byte[]> sign;

    private CommandSigner(String keyId, SignatureAlgorithm algorithm, UnaryOperator<byte[]> sign) {
        this.keyId = keyId;
        this.algorithm = algorithm;
        this.sign = sign;
    }

    /** Signs with the HMAC secret of {@code keyId} in {@code keys}. */
    public static CommandSigner hmac(CommandKeys keys, String keyId) {
        CommandKey key = keys.get(keyId).orElseThrow(() -> new IllegalArgumentException("signing key '" + keyId + "' is not in "
                + keys.source() + "; add a line '" + keyId + " hmac-sha256 BASE64SECRET' there"));
        if (key.algorithm() != SignatureAlgorithm.HMAC_SHA256) {
            throw new IllegalArgumentException("signing key '" + keyId + "' in " + keys.source() + " is " + key.algorithm().token()
                    + ": the file holds only its public key; give its private key with --signing-key-file");
        }
        SecretKey secret = (SecretKey) key.key();
        return new CommandSigner(keyId, SignatureAlgorithm.HMAC_SHA256, bytes -> CommandKey.hmac(secret, bytes));
    }

    /** Signs with an Ed25519 private key; verifiers need the matching public key under {@code keyId}. */
    public static CommandSigner ed25519(String keyId, PrivateKey privateKey) {
        CommandKeys.requireKeyId(keyId);
        if (!"Ed25519".equalsIgnoreCase(privateKey.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("key '" + keyId + "' is a " + privateKey.getAlgorithm() + " key, not Ed25519");
        }
        Ed25519PrivateKeyParameters key;
        try {
            key = Ed25519Codec.privateKey(privateKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot sign with key '" + keyId + "': " + e.getMessage(), e);
        }
        return new CommandSigner(keyId, SignatureAlgorithm.ED25519, bytes -> Ed25519Codec.sign(key, bytes));
    }

    public String keyId() {
        return keyId;
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /** The signature header's value for a record whose schema reference is in its value (no {@code __value_schema_id} header). */
    public SignatureHeader sign(byte[] value) {
        return new SignatureHeader(keyId, algorithm.token(), sign.apply(value));
    }

    /**
     * Replaces any signature header in {@code headers} with this signer's signature of the record: its
     * value, and its {@code __value_schema_id} header when it has one (see {@link SignedBytes}). Add
     * every other header first.
     */
    public void sign(Headers headers, byte[] value) {
        headers.remove(SignatureHeader.NAME);
        headers.add(SignatureHeader.NAME, sign(SignedBytes.of(headers, value)).encode());
    }
}
