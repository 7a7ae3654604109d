package io.coxswain.commands.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys commands may be signed with, read from a key file: one key per line,
 * {@code KEYID ALGORITHM BASE64KEY [issuers=NAME,NAME|*]}, where the key is the HMAC secret for {@code hmac-sha256} and the
 * base64 X.509 (DER) public key for {@code ed25519}, and {@code issuers=} binds the key to the issuers its commands may
 * name (absent or {@code *}: any, as files without the column always meant). {@code #} starts a comment; blank lines are
 * ignored. A line that cannot be used fails the whole file, naming the file and line: a node that
 * silently skipped a key would reject that key's commands, which is only noticed when it is too late.
 */
public final class CommandKeys {

    /** Key ids appear in headers as {@code KEYID:ALGORITHM:SIG}, so no colon; nothing exotic in logs either. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._@/-]{1,64}");
    /** Shorter HMAC secrets are guessable; 16 bytes is the least RFC 2104 would have for SHA-256. */
    static final int MIN_HMAC_SECRET_BYTES = 16;
    private static final String ISSUERS = "issuers=";

    private final String source;
    private final Map<String, CommandKey> keys;

    private CommandKeys(String source, Map<String, CommandKey> keys) {
        this.source = source;
        this.keys = Map.copyOf(keys);
    }

    /** No keys: every signed command fails verification (its key is unknown). */
    public static CommandKeys none() {
        return new CommandKeys("no --command-keys file", Map.of());
    }

    public static CommandKeys load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the command keys file " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), lines);
    }

    /** @param source names the keys in messages (the file name) */
    public static CommandKeys parse(String source, List<String> lines) {
        Map<String, CommandKey> keys = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            try {
                CommandKey key = parseLine(content);
                if (keys.putIfAbsent(key.id(), key) != null) {
                    throw new IllegalArgumentException("key id '" + key.id() + "' appears twice; each key id must be unique");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage()
                        + " (expected 'KEYID ALGORITHM BASE64KEY [issuers=NAME,NAME|*]' with ALGORITHM one of " + SignatureAlgorithm.tokens() + ")", e);
            }
        }
        return new CommandKeys(source, keys);
    }

    private static CommandKey parseLine(String content) {
        String[] fields = content.split("\\s+");
        if (fields.length != 3 && fields.length != 4) {
            throw new IllegalArgumentException("has " + fields.length + " fields, not 3 or 4");
        }
        String id = requireKeyId(fields[0]);
        SignatureAlgorithm algorithm = SignatureAlgorithm.byToken(fields[1]).orElseThrow(() ->
                new IllegalArgumentException("unknown algorithm '" + fields[1] + "' for key '" + id + "'"));
        byte[] material = Base64s.decode(fields[2], "the key of '" + id + "'");
        Set<String> issuers = fields.length == 4 ? issuers(id, fields[3]) : Set.of();
        return new CommandKey(id, algorithm, key(id, algorithm, material), issuers);
    }

    /** The 4th column: {@code issuers=*} (any) or {@code issuers=NAME,NAME}. */
    private static Set<String> issuers(String id, String field) {
        if (!field.startsWith(ISSUERS)) {
            throw new IllegalArgumentException("the 4th field of key '" + id + "' is '" + field + "'; it can only be " + ISSUERS
                    + "NAME,NAME (the issuers its commands may name) or " + ISSUERS + "* (any)");
        }
        String list = field.substring(ISSUERS.length());
        if (list.equals("*")) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : list.split(",", -1)) {
            if (name.isEmpty() || name.equals("*")) {
                throw new IllegalArgumentException("key '" + id + "' has " + field + ": name each issuer once, comma-separated, without"
                        + " empty entries, or give " + ISSUERS + "* alone for any issuer");
            }
            names.add(name);
        }
        return names;
    }

    /** The id, if it can stand in a signature header and a log line; else why not. */
    static String requireKeyId(String id) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("key id '" + id + "' must be 1-64 of A-Z a-z 0-9 . _ @ / -");
        }
        return id;
    }

    private static Key key(String id, SignatureAlgorithm algorithm, byte[] material) {
        if (algorithm == SignatureAlgorithm.HMAC_SHA256) {
            if (material.length < MIN_HMAC_SECRET_BYTES) {
                throw new IllegalArgumentException("the hmac-sha256 secret of '" + id + "' is " + material.length + " bytes; use at least "
                        + MIN_HMAC_SECRET_BYTES + " (openssl rand -base64 32)");
            }
            return new SecretKeySpec(material, "HmacSHA256");
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(material));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the key of '" + id + "' is not a base64 X.509 Ed25519 public key ("
                    + e.getMessage() + "); make it with: openssl pkey -in KEY.pem -pubout -outform DER | base64 -w0");
        }
    }

    public Optional<CommandKey> get(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    /** Where the keys came from, for messages. */
    public String source() {
        return source;
    }
}
