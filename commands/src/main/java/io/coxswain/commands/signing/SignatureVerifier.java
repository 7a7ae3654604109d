package io.coxswain.commands.signing;

import io.coxswain.avro.wire.WireFormat;
import java.util.Iterator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Checks a command record's signature against the known keys. The rule, the same live and in replay:
 * a signature that is present must verify; a missing one is refused only when signatures are required.
 * The verdict depends only on the record and on this verifier's keys and flag, so a replay given the
 * same key file and flag decides every record as the node did.
 */
public final class SignatureVerifier {

    /** A verdict: {@code accepted} or not; {@code keyId} when the record named one; {@code problem} when refused. */
    public record Verdict(boolean accepted, String keyId, String problem) {
    }

    private final CommandKeys keys;
    private final boolean required;

    public SignatureVerifier(CommandKeys keys, boolean required) {
        this.keys = keys;
        this.required = required;
    }

    /** No keys, signatures optional: unsigned commands pass, and any signed one fails (its key is unknown). */
    public static SignatureVerifier permissive() {
        return new SignatureVerifier(CommandKeys.none(), false);
    }

    public boolean required() {
        return required;
    }

    public CommandKeys keys() {
        return keys;
    }

    public Verdict check(Headers headers, byte[] value) {
        Header found = null;
        int count = 0;
        for (Iterator<Header> it = headers.headers(SignatureHeader.NAME).iterator(); it.hasNext(); ) {
            found = it.next();
            count++;
        }
        if (count == 0) {
            return required
                    ? new Verdict(false, null, "the command is not signed (no " + SignatureHeader.NAME + " header) and this Coxswain requires"
                    + " signatures; sign its serialized bytes with a key listed in " + keys.source() + " (CommandClient.Builder.signer)")
                    : new Verdict(true, null, null);
        }
        if (count > 1) {
            return new Verdict(false, null, "the record carries " + count + " " + SignatureHeader.NAME + " headers; sign it exactly once");
        }
        SignatureHeader header;
        try {
            header = SignatureHeader.parse(found.value());
        } catch (IllegalArgumentException e) {
            return new Verdict(false, null, e.getMessage() + "; re-send it signed by CommandSigner");
        }
        String id = header.keyId();
        CommandKey key = keys.get(id).orElse(null);
        if (key == null) {
            return new Verdict(false, id, "it is signed with key '" + id + "', which is not in " + keys.source()
                    + "; add that key to the --command-keys file of every node (and give the same file to replays), or sign with a listed key");
        }
        if (!key.algorithm().token().equals(header.algorithm())) {
            return new Verdict(false, id, "its signature says key '" + id + "' is " + header.algorithm() + ", but " + keys.source()
                    + " lists it as " + key.algorithm().token() + "; sign with the key the file lists");
        }
        if (!key.verifies(SignedBytes.of(headers, value), header.signature())) {
            return new Verdict(false, id, "the " + key.algorithm().token() + " signature by key '" + id + "' does not match the record's bytes"
                    + " (its value, and its " + WireFormat.VALUE_SCHEMA_ID_HEADER + " header if it has one): they were changed after signing,"
                    + " or signed with another secret; sign the exact bytes written with key '" + id + "'");
        }
        return new Verdict(true, id, null);
    }
}
