package io.coxswain.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens and the principal each one stands for. The file has one {@code TOKEN PRINCIPAL}
 * pair per line; blank lines and lines starting with {@code #} are ignored. Only SHA-256 digests
 * of the tokens are kept in memory, so that a lookup compares digests, not secrets.
 */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> principalByDigest;

    private Tokens(Map<String, String> principalByDigest) {
        this.principalByDigest = Map.copyOf(principalByDigest);
    }

    public static Tokens of(Map<String, String> principalByToken) {
        Map<String, String> m = new HashMap<>();
        principalByToken.forEach((token, principal) -> m.put(digest(token), principal));
        return new Tokens(m);
    }

    /** Reads a tokens file; the message of a failure names the file and the line. */
    public static Tokens load(Path file) {
        ConfigLines config = ConfigLines.read(file, "tokens file");
        Map<String, String> m = new HashMap<>();
        for (ConfigLines.Line line : config.lines()) {
            List<String> words = line.words();
            if (words.size() != 2) {
                throw config.error(line, "expected 'TOKEN PRINCIPAL' (two words separated by spaces), got " + words.size() + " words");
            }
            if (words.get(0).length() < 16) {
                throw config.error(line, "token of principal " + words.get(1) + " is shorter than 16 characters; generate one with: openssl rand -hex 24");
            }
            m.put(digest(words.get(0)), words.get(1));
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("tokens file " + file + " has no 'TOKEN PRINCIPAL' lines: nobody could call the gateway");
        }
        return new Tokens(m);
    }

    public Optional<String> principal(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(principalByDigest.get(digest(token)));
    }

    public int size() {
        return principalByDigest.size();
    }

    /**
     * A fresh random token (192 bits, URL-safe), as {@code dev} mode prints. Never one beginning with '-' (one in 64
     * of them would): {@code cox --token -Vx...} reads it as options, and so would most command lines.
     */
    public static String generate() {
        byte[] bytes = new byte[24];
        String token;
        do {
            RANDOM.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (token.startsWith("-"));
        return token;
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }
}
