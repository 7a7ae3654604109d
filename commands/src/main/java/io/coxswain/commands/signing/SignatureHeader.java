package io.coxswain.commands.signing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The record header that carries a command's signature: name {@value #NAME}, value (UTF-8)
 * {@code KEYID:ALGORITHM:BASE64SIGNATURE}, e.g. {@code billing-2026:ed25519:3q2+7w...}. The signature
 * covers the record's value bytes exactly as written (Confluent wire format: magic byte, schema id, Avro
 * body), not a re-encoding of the decoded command, so it stays verifiable after the schema evolves and
 * the value stays what any Confluent deserializer reads. The Avro field {@code Command.signature} is
 * not used: a signature inside the bytes it signs cannot cover them.
 */
public record SignatureHeader(String keyId, String algorithm, byte[] signature) {

    public static final String NAME = "coxswain.signature";

    public byte[] encode() {
        return (keyId + ":" + algorithm + ":" + Base64.getEncoder().encodeToString(signature)).getBytes(StandardCharsets.UTF_8);
    }

    /** Throws {@link IllegalArgumentException} saying what is wrong with the header's value. */
    public static SignatureHeader parse(byte[] value) {
        String text = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        String[] parts = text.split(":", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new IllegalArgumentException("the " + NAME + " header '" + abbreviate(text) + "' is not KEYID:ALGORITHM:BASE64SIGNATURE");
        }
        return new SignatureHeader(parts[0], parts[1], Base64s.decode(parts[2], "the signature in the " + NAME + " header"));
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
