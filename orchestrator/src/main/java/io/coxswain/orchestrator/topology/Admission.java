package io.coxswain.orchestrator.topology;

import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.wire.StoredCommands;
import io.coxswain.commands.signing.CommandKey;
import io.coxswain.commands.signing.SignatureVerifier;
import io.coxswain.orchestrator.fold.Rejection;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * What a decoded command record must pass before DECIDE sees it: keyed by its own cluster id, signed
 * as the node's signature rules ask, and decoded whole: no field it sets dropped, nor a command type or enum
 * symbol it holds unknown, because a newer commands schema wrote it ({@link NewerWriterFields}). A refused record is rejected but its command id is
 * <em>not</em> remembered, so it never changes state and cannot burn the id: a forger who sends a
 * legitimate command's id first does not turn the real command into a duplicate. Used by the live
 * topology and by the audit replay alike, so both decide every record the same way.
 */
public final class Admission {

    /** Why a record was refused; {@code keyId} is the signing key it named, if any. */
    public record Refusal(Rejection rejection, String keyId) {
    }

    private final SignatureVerifier signatures;

    public Admission(SignatureVerifier signatures) {
        this.signatures = signatures;
    }

    /** Unsigned commands pass, signed ones fail (no keys): the rules of a node started without signature options. */
    public static Admission permissive() {
        return new Admission(SignatureVerifier.permissive());
    }

    /**
     * Empty when the record may be decided; the record key is compared as text, null for no key.
     *
     * A record holding what this node's commands schema lacks (a field set, a command type, an enum symbol) is refused
     * last, after the key and signature checks, as {@link NewerWriterFields} says.
     */
    public Optional<Refusal> check(String key, CommandRecord command, Headers headers, byte[] value) {
        if (!command.clusterId().equals(key)) {
            // Keyed elsewhere, the command sits in another partition than its cluster's state: refuse it.
            return Optional.of(new Refusal(new Rejection(RejectionCode.INVALID_COMMAND, "record key '" + key
                    + "' is not the command's clusterId '" + command.clusterId() + "'; produce commands with key = clusterId"), null));
        }
        SignatureVerifier.Verdict verdict = signatures.check(headers, value);
        if (!verdict.accepted()) {
            return Optional.of(new Refusal(new Rejection(RejectionCode.SIGNATURE_INVALID, "signature check failed, nothing was done: "
                    + verdict.problem()), verdict.keyId()));
        }
        Optional<Refusal> issuer = verdict.keyId() == null ? Optional.empty() : checkIssuer(command, verdict.keyId());
        if (issuer.isPresent() || command.dropped().isEmpty()) {
            return issuer;
        }
        return Optional.of(new Refusal(NewerWriterFields.rejection(command, command.dropped().get(), StoredCommands.CURRENT_VERSION),
                verdict.keyId()));
    }

    /**
     * A signature proves which key signed, not who issued: a key bound to issuers in the keys file signs only commands
     * naming one of them, so one key holder cannot issue (or approve a proposal) under another person's name.
     */
    private Optional<Refusal> checkIssuer(CommandRecord command, String keyId) {
        CommandKey key = signatures.keys().get(keyId).orElseThrow(); // the verdict found it there
        if (key.mayIssueAs(command.issuer())) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(new Rejection(RejectionCode.SIGNATURE_INVALID, "signature check failed, nothing was done: the command"
                + " names issuer '" + command.issuer() + "', but key '" + keyId + "' may sign only for issuers=" + String.join(",", key.issuers())
                + " in " + signatures.keys().source() + "; sign it with that issuer's key, or add the issuer to the key's issuers= in the"
                + " --command-keys file of every node (and give the same file to replays)"), keyId));
    }
}
