package io.coxswain.commands.signing;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * One verification key of a key file: its id, its algorithm and the key that checks signatures (the
 * shared secret for HMAC, the public key for Ed25519).
 */
public record CommandKey(String id, SignatureAlgorithm algorithm, Key key) {

    public CommandKey {
        boolean fits = algorithm == SignatureAlgorithm.HMAC_SHA256 ? key instanceof SecretKey : key instanceof PublicKey;
        if (!fits) {
            throw new IllegalArgumentException("key '" + id + "' is " + algorithm.token() + " but holds a " + key.getAlgorithm() + " key");
        }
    }

    /** True when {@code signature} is this key's signature of exactly {@code bytes}. */
    public boolean verifies(byte[] bytes, byte[] signature) {
        try {
            if (algorithm == SignatureAlgorithm.HMAC_SHA256) {
                return MessageDigest.isEqual(hmac((SecretKey) key, bytes), signature); // constant time
            }
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify((PublicKey) key);
            verifier.update(bytes);
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // a signature of the wrong length or form is simply not a valid signature
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot verify " + algorithm.token() + " signatures: " + e.getMessage(), e);
        }
    }

    static byte[] hmac(SecretKey secret, byte[] bytes) {
        try {
            // a Mac is not thread-safe and the fold runs on several threads: one per call (microseconds)
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot compute HmacSHA256: " + e.getMessage(), e);
        }
    }
}
