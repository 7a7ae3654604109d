package io.coxswain.commands.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.wire.UndecodableRecordException;
import io.coxswain.avro.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final byte[] VALUE = {0, 0, 0, 0, 42, 2, 4, 'a', 'b', 'c'};

    private final String hmacSecret = TestKeys.hmacSecret();
    private final KeyPair pair = TestKeys.ed25519();
    private final CommandKeys keys = CommandKeys.parse("keys.txt", List.of(
            "# test keys",
            "ops hmac-sha256 " + hmacSecret,
            "",
            "billing ed25519 " + TestKeys.publicKey(pair) + "   # the billing service"));
    private final SignatureVerifier optional = new SignatureVerifier(keys, false);
    private final SignatureVerifier required = new SignatureVerifier(keys, true);

    private static Headers signed(CommandSigner signer, byte[] value) {
        Headers h = new RecordHeaders();
        signer.sign(h, value);
        return h;
    }

    @Test
    void bothAlgorithmsVerifyTheExactBytesTheySigned() {
        for (CommandSigner signer : List.of(CommandSigner.hmac(keys, "ops"), CommandSigner.ed25519("billing", pair.getPrivate()))) {
            SignatureVerifier.Verdict v = required.check(signed(signer, VALUE), VALUE);
            assertThat(v.accepted()).as(signer.keyId()).isTrue();
            assertThat(v.keyId()).isEqualTo(signer.keyId());
        }
    }

    /**
     * Logs written before signing moved to Bouncy Castle were signed by the JDK's Ed25519, and services in
     * other languages sign with their own libraries: RFC 8032 signatures are deterministic, so each side
     * must accept, and produce, exactly the other's bytes.
     */
    @Test
    void ed25519SignaturesAreTheJdksByteForByte() throws Exception {
        java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
        jdk.initSign(pair.getPrivate());
        jdk.update(SignedBytes.of(new RecordHeaders(), VALUE));
        byte[] jdkSignature = jdk.sign();

        SignatureHeader ours = CommandSigner.ed25519("billing", pair.getPrivate()).sign(SignedBytes.of(new RecordHeaders(), VALUE));
        assertThat(ours.signature()).as("the same signature as the JDK's").isEqualTo(jdkSignature);

        Headers signedByJdk = new RecordHeaders();
        signedByJdk.add(SignatureHeader.NAME, new SignatureHeader("billing", SignatureAlgorithm.ED25519.token(), jdkSignature).encode());
        assertThat(required.check(signedByJdk, VALUE).accepted()).as("a JDK-made signature verifies").isTrue();

        java.security.Signature jdkVerifier = java.security.Signature.getInstance("Ed25519");
        jdkVerifier.initVerify(pair.getPublic());
        jdkVerifier.update(SignedBytes.of(new RecordHeaders(), VALUE));
        assertThat(jdkVerifier.verify(ours.signature())).as("ours verifies with the JDK").isTrue();
    }

    @Test
    void anEd25519SignatureOfTheWrongLengthIsInvalidNotAnError() {
        CommandKey key = keys.get("billing").orElseThrow();
        for (int length : new int[] {0, 1, 63, 65, 128}) {
            assertThat(key.verifies(VALUE, new byte[length])).as(length + " bytes").isFalse();
        }
        assertThat(key.verifies(VALUE, new byte[64])).as("64 zero bytes").isFalse();
    }

    @Test
    void tamperedBytesFailForBothAlgorithms() {
        for (CommandSigner signer : List.of(CommandSigner.hmac(keys, "ops"), CommandSigner.ed25519("billing", pair.getPrivate()))) {
            Headers h = signed(signer, VALUE);
            byte[] tampered = VALUE.clone();
            tampered[tampered.length - 1] ^= 1;
            SignatureVerifier.Verdict v = optional.check(h, tampered);
            assertThat(v.accepted()).isFalse();
            assertThat(v.keyId()).isEqualTo(signer.keyId());
            assertThat(v.problem()).contains("does not match the record's bytes").contains("'" + signer.keyId() + "'");
        }
    }

    @Test
    void aSchemaReferenceCarriedInTheHeaderIsCoveredBySignature() {
        // bare Avro body: the reader takes the schema from the __value_schema_id header
        byte[] body = {2, 4, 'a', 'b', 'c'};
        for (CommandSigner signer : List.of(CommandSigner.hmac(keys, "ops"), CommandSigner.ed25519("billing", pair.getPrivate()))) {
            Headers h = new RecordHeaders().add(WireFormat.VALUE_SCHEMA_ID_HEADER, new byte[] {0, 0, 0, 0, 7});
            signer.sign(h, body);
            assertThat(required.check(h, body).accepted()).as(signer.keyId()).isTrue();

            Headers swapped = copyWithSchemaHeader(h, new byte[] {0, 0, 0, 0, 8});
            SignatureVerifier.Verdict v = required.check(swapped, body);
            assertThat(v.accepted()).as("another schema id under the same signature").isFalse();
            assertThat(v.problem()).contains(WireFormat.VALUE_SCHEMA_ID_HEADER);

            Headers dropped = copyWithSchemaHeader(h, null);
            assertThat(required.check(dropped, body).accepted()).as("header removed").isFalse();
            // the signed form sent as a value without the header verifies, but no reader accepts a value starting with 0xFF
            byte[] signedForm = SignedBytes.of(h, body);
            assertThatThrownBy(() -> WireFormat.parse(dropped, signedForm)).isInstanceOf(UndecodableRecordException.class);
        }
    }

    private static Headers copyWithSchemaHeader(Headers from, byte[] schemaRef) {
        Headers copy = new RecordHeaders();
        from.forEach(header -> {
            if (!header.key().equals(WireFormat.VALUE_SCHEMA_ID_HEADER)) {
                copy.add(header);
            }
        });
        if (schemaRef != null) {
            copy.add(WireFormat.VALUE_SCHEMA_ID_HEADER, schemaRef);
        }
        return copy;
    }

    @Test
    void aSignatureByAnotherSecretOrKeyPairUnderAKnownIdFails() {
        CommandKeys forgerKeys = CommandKeys.parse("forger", List.of("ops hmac-sha256 " + TestKeys.hmacSecret()));
        assertThat(optional.check(signed(CommandSigner.hmac(forgerKeys, "ops"), VALUE), VALUE).accepted()).isFalse();
        CommandSigner otherPair = CommandSigner.ed25519("billing", TestKeys.ed25519().getPrivate());
        assertThat(optional.check(signed(otherPair, VALUE), VALUE).accepted()).isFalse();
    }

    @Test
    void unknownKeyIdAndWrongAlgorithmAreNamed() {
        CommandSigner stranger = CommandSigner.ed25519("stranger", TestKeys.ed25519().getPrivate());
        SignatureVerifier.Verdict unknown = optional.check(signed(stranger, VALUE), VALUE);
        assertThat(unknown.accepted()).isFalse();
        assertThat(unknown.problem()).contains("key 'stranger'").contains("not in keys.txt");

        Headers h = new RecordHeaders();
        h.add(SignatureHeader.NAME, new SignatureHeader("ops", "ed25519", new byte[64]).encode());
        assertThat(optional.check(h, VALUE).problem()).contains("lists it as hmac-sha256");

        assertThat(SignatureVerifier.permissive().check(signed(CommandSigner.hmac(keys, "ops"), VALUE), VALUE).problem())
                .contains("no --command-keys file");
    }

    @Test
    void malformedOrRepeatedHeadersFail() {
        for (String bad : List.of("", "ops", "ops:hmac-sha256", "ops:hmac-sha256:%%%", ":hmac-sha256:AAAA", "a:b:c:d")) {
            Headers h = new RecordHeaders();
            h.add(SignatureHeader.NAME, bad.getBytes(StandardCharsets.UTF_8));
            SignatureVerifier.Verdict v = optional.check(h, VALUE);
            assertThat(v.accepted()).as(bad).isFalse();
            assertThat(v.problem()).as(bad).contains(SignatureHeader.NAME);
        }
        Headers twice = signed(CommandSigner.hmac(keys, "ops"), VALUE);
        twice.add(SignatureHeader.NAME, CommandSigner.hmac(keys, "ops").sign(VALUE).encode());
        assertThat(optional.check(twice, VALUE).problem()).contains("2 coxswain.signature headers");
    }

    @Test
    void aMissingSignatureFailsOnlyWhenRequired() {
        assertThat(optional.check(new RecordHeaders(), VALUE).accepted()).isTrue();
        SignatureVerifier.Verdict v = required.check(new RecordHeaders(), VALUE);
        assertThat(v.accepted()).isFalse();
        assertThat(v.keyId()).isNull();
        assertThat(v.problem()).contains("not signed").contains("requires signatures");
    }

    @Test
    void signingReplacesAnEarlierSignature() {
        Headers h = new RecordHeaders();
        h.add(SignatureHeader.NAME, "junk".getBytes(StandardCharsets.UTF_8));
        CommandSigner.hmac(keys, "ops").sign(h, VALUE);
        assertThat(required.check(h, VALUE).accepted()).isTrue();
    }
}
