package io.coxswain.commands.signing;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
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
    /** The issuers a command it signs may name; empty: any (a key file without the column, or {@code issuers=*}). */
    private final Set<String> issuers;

    /** A key that may sign for any issuer. */
    public CommandKey(String id, SignatureAlgorithm algorithm, Key key) {
        this(id, algorithm, key, Set.of());
    }

    /** @param issuers the issuers its signed commands may name; empty for any */
    public CommandKey(String id, SignatureAlgorithm algorithm, Key key, Set<String> issuers) {
        boolean fits = algorithm == SignatureAlgorithm.HMAC_SHA256 ? key instanceof SecretKey : key instanceof PublicKey;
        if (!fits) {
            throw new IllegalArgumentException("key '" + id + "' is " + algorithm.token() + " but holds a " + key.getAlgorithm() + " key");
        }
        this.id = id;
        this.algorithm = algorithm;
        this.key = key;
        this.ed25519 = algorithm == SignatureAlgorithm.ED25519 ? Ed25519Codec.publicKey((PublicKey) key) : null;
        this.issuers = Collections.unmodifiableSet(new TreeSet<>(issuers));
    }

    /**
     * Whether a command it signs may name {@code issuer}: a signature proves only which key signed, so without this binding
     * one holder of a key could sign commands under any name, and approve their own proposal under a second one.
     */
    public boolean mayIssueAs(String issuer) {
        return issuers.isEmpty() || issuers.contains(issuer);
    }

    /** The issuers it may sign for, empty for any. */
    public Set<String> issuers() {
        return issuers;
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
