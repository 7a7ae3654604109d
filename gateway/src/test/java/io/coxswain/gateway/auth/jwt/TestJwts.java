package io.coxswain.gateway.auth.jwt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signing keys and their JWKS, and tokens signed with them, the way an identity provider makes them:
 * the tests' stand-in for Keycloak or a Kubernetes API server (the signatures are real).
 */
public final class TestJwts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A key pair with its id and JWS algorithm. */
    public record SigningKey(String kid, String alg, KeyPair pair) {
    }

    private TestJwts() {
    }

    public static SigningKey rsa(String kid) {
        return new SigningKey(kid, "RS256", generate("RSA", null));
    }

    public static SigningKey ec(String kid) {
        return new SigningKey(kid, "ES256", generate("EC", new ECGenParameterSpec("secp256r1")));
    }

    public static SigningKey ed25519(String kid) {
        return new SigningKey(kid, "EdDSA", generate("Ed25519", null));
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                g.initialize(spec);
            } else if (algorithm.equals("RSA")) {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The public JWKS document of these keys. */
    public static String jwks(SigningKey... keys) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode array = doc.putArray("keys");
        for (SigningKey k : keys) {
            ObjectNode jwk = array.addObject().put("kid", k.kid()).put("use", "sig");
            if (k.pair().getPublic() instanceof RSAPublicKey rsa) {
                jwk.put("kty", "RSA").put("n", unsigned(rsa.getModulus(), 0)).put("e", unsigned(rsa.getPublicExponent(), 0));
            } else if (k.pair().getPublic() instanceof ECPublicKey ec) {
                jwk.put("kty", "EC").put("crv", "P-256").put("x", unsigned(ec.getW().getAffineX(), 32)).put("y", unsigned(ec.getW().getAffineY(), 32));
            } else {
                byte[] spki = k.pair().getPublic().getEncoded();
                jwk.put("kty", "OKP").put("crv", "Ed25519").put("x", B64.encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length)));
            }
        }
        return doc.toString();
    }

    /** Claims a valid token for {@code subject} carries: this issuer and audience, an hour to live. */
    public static Map<String, Object> claims(String issuer, String audience, String subject, long nowSeconds) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("sub", subject);
        claims.put("iat", nowSeconds);
        claims.put("exp", nowSeconds + 3600);
        return claims;
    }

    public static String sign(SigningKey key, Map<String, Object> claims) {
        return sign(key, Map.of("alg", key.alg(), "kid", key.kid(), "typ", "JWT"), claims);
    }

    public static String sign(SigningKey key, Map<String, Object> header, Map<String, Object> claims) {
        try {
            String signed = B64.encodeToString(JSON.writeValueAsBytes(header)) + "." + B64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature s = Signature.getInstance(switch (key.alg()) {
                case "RS256" -> "SHA256withRSA";
                case "ES256" -> "SHA256withECDSAinP1363Format";
                default -> "Ed25519";
            });
            s.initSign(key.pair().getPrivate());
            s.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + B64.encodeToString(s.sign());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String unsigned(BigInteger n, int length) {
        byte[] bytes = n.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (length > bytes.length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            bytes = padded;
        }
        return B64.encodeToString(bytes);
    }
}
