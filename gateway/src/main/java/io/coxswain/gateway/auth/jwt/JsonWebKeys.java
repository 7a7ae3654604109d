package io.coxswain.gateway.auth.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A JSON Web Key Set (RFC 7517) as published by an identity provider or a Kubernetes API server
 * ({@code /openid/v1/jwks}): the public keys that sign its tokens. Only signature keys Coxswain can use
 * are kept (RSA, EC P-256/384/521, Ed25519); others ({@code use: enc}, symmetric, unknown curves) are
 * skipped, because a provider may publish them beside its signing keys.
 */
public final class JsonWebKeys {

    /** One verification key: the JWS algorithms it may check follow from its type and curve (and its own {@code alg}, when given). */
    public record Key(String kid, PublicKey publicKey, List<String> algorithms) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ed25519's X.509 SubjectPublicKeyInfo up to the 32 key bytes (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final Map<String, String> CURVES = Map.of("P-256", "secp256r1", "P-384", "secp384r1", "P-521", "secp521r1");
    private static final Map<String, String> EC_ALGORITHMS = Map.of("P-256", "ES256", "P-384", "ES384", "P-521", "ES512");

    private final List<Key> keys;

    private JsonWebKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /** @param source names the set in messages (a file or URL) */
    public static JsonWebKeys parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the JWKS of " + source + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode array = root == null ? null : root.get("keys");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("the JWKS of " + source + " has no \"keys\" array (expected {\"keys\": [{\"kty\": ...}, ...]})");
        }
        List<Key> keys = new ArrayList<>();
        for (JsonNode jwk : array) {
            if (jwk.hasNonNull("use") && !"sig".equals(jwk.get("use").asText())) {
                continue; // an encryption key
            }
            try {
                Key key = key(jwk);
                if (key != null) {
                    keys.add(key);
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("the JWKS of " + source + " has an unusable key (kid " + jwk.path("kid").asText("none") + "): "
                        + e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the JWKS of " + source + " has no RSA, EC (P-256/384/521) or Ed25519 signature key");
        }
        return new JsonWebKeys(keys);
    }

    /** The key with this id, or, for a token that names none, every key. */
    public List<Key> candidates(String kid) {
        return kid == null ? keys : keys.stream().filter(k -> kid.equals(k.kid())).toList();
    }

    public int size() {
        return keys.size();
    }

    private static Key key(JsonNode jwk) throws GeneralSecurityException {
        String kid = jwk.hasNonNull("kid") ? jwk.get("kid").asText() : null;
        String declared = jwk.hasNonNull("alg") ? jwk.get("alg").asText() : null;
        String kty = jwk.path("kty").asText("");
        PublicKey key;
        List<String> algorithms;
        switch (kty) {
            case "RSA" -> {
                key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e")));
                algorithms = List.of("RS256", "RS384", "RS512");
            }
            case "EC" -> {
                String crv = jwk.path("crv").asText("");
                if (!CURVES.containsKey(crv)) {
                    return null;
                }
                AlgorithmParameters curve = AlgorithmParameters.getInstance("EC");
                curve.init(new ECGenParameterSpec(CURVES.get(crv)));
                ECPoint point = new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y"));
                key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, curve.getParameterSpec(ECParameterSpec.class)));
                algorithms = List.of(EC_ALGORITHMS.get(crv));
            }
            case "OKP" -> {
                if (!"Ed25519".equals(jwk.path("crv").asText(""))) {
                    return null;
                }
                byte[] x = bytes(jwk, "x");
                if (x.length != 32) {
                    throw new IllegalArgumentException("an Ed25519 key's \"x\" is 32 bytes, not " + x.length);
                }
                byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
                algorithms = List.of("EdDSA");
            }
            default -> {
                return null; // "oct" (a shared secret has no place in a published set) or a type this gateway does not know
            }
        }
        if (declared != null) {
            if (!algorithms.contains(declared)) {
                throw new IllegalArgumentException("\"alg\": \"" + declared + "\" does not fit a " + kty + " key");
            }
            algorithms = List.of(declared);
        }
        return new Key(kid, key, algorithms);
    }

    private static BigInteger unsigned(JsonNode jwk, String field) {
        return new BigInteger(1, bytes(jwk, field));
    }

    private static byte[] bytes(JsonNode jwk, String field) {
        if (!jwk.hasNonNull(field)) {
            throw new IllegalArgumentException("\"" + field + "\" is missing");
        }
        try {
            return Base64.getUrlDecoder().decode(jwk.get(field).asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + field + "\" is not base64url: " + e.getMessage());
        }
    }
}
