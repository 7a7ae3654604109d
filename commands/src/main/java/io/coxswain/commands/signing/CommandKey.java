package io.coxswain.commands.signing;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PublicKey;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * One verification key of a key file: its id, its algorithm and the key that checks signatures (the
 * shared secret for HMAC, the public key for Ed25519).
 */
public final class CommandKey {

    private final String id;
    private final SignatureAlgorithm algorithm;
    private final Key key;
    /** The Ed25519 public key decoded once for verification; null for HMAC. */
    private final Ed25519PublicKeyParameters ed25519;

    public CommandKey(String id, SignatureAlgorithm algorithm, Key key) {
        boolean fits = algorithm == SignatureAlgorithm.HMAC_SHA256 ? key instanceof SecretKey : key instanceof PublicKey;
        if (!fits) {
            throw new IllegalArgumentException("key '" + id + "' is " + algorithm.token() + " but holds a " + key.getAlgorithm() + " key");
        }
        this.id = id;
        this.algorithm = algorithm;
        this.key = key;
        this.ed25519 = algorithm == SignatureAlgorithm.ED25519 ? Ed25519Codec.publicKey((PublicKey) key) : null;
    }

    public String id() {
        return id;
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    public Key key() {
        return key;
    }

    /** True when {@code signature} is this key's signature of exactly {@code bytes}. */
    public boolean verifies(byte[] bytes, byte[] signature) {
        if (algorithm == SignatureAlgorithm.HMAC_SHA256) {
            return MessageDigest.isEqual(hmac((SecretKey) key, bytes), signature); // constant time
        }
        return Ed25519Codec.verify(ed25519, bytes, signature);
    }

    static byte[] hmac(SecretKey secret, byte[] bytes) {
        try {
            // a Mac is not thread-safe and the fold runs on several threads: one per call (0.7 µs for a
            // command record, measured beside the 75-95 µs of an Ed25519 verification)
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot compute HmacSHA256: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CommandKey[" + id + ", " + algorithm.token() + "]"; // never the key material
    }
}
