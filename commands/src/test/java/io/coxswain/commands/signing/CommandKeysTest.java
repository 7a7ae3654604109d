package io.coxswain.commands.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandKeysTest {

    @TempDir
    Path dir;

    @Test
    void readsBothAlgorithmsSkippingCommentsAndBlankLines() throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "# keys of the installation\n\n  ops   hmac-sha256   " + TestKeys.hmacSecret() + "  \n"
                + "billing ed25519 " + TestKeys.publicKey(TestKeys.ed25519()) + " # billing's public key\n");
        CommandKeys keys = CommandKeys.load(file);
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.get("ops").orElseThrow().algorithm()).isEqualTo(SignatureAlgorithm.HMAC_SHA256);
        assertThat(keys.get("billing").orElseThrow().algorithm()).isEqualTo(SignatureAlgorithm.ED25519);
        assertThat(keys.get("nobody")).isEmpty();
        assertThat(keys.source()).isEqualTo(file.toString());
    }

    @Test
    void aMalformedLineNamesTheFileItsLineAndTheProblem() {
        String good = "ok hmac-sha256 " + TestKeys.hmacSecret();
        assertMalformed(List.of("# header", good, "two fields"), 3, "has 2 fields, not 3");
        assertMalformed(List.of("k rsa AAAA"), 1, "unknown algorithm 'rsa'");
        assertMalformed(List.of("", "k hmac-sha256 not*base64"), 2, "not valid base64");
        assertMalformed(List.of("k hmac-sha256 " + Base64.getEncoder().encodeToString(new byte[8])), 1, "is 8 bytes; use at least 16");
        assertMalformed(List.of("k ed25519 " + TestKeys.hmacSecret()), 1, "not a base64 X.509 Ed25519 public key");
        assertMalformed(List.of(good, "#", good), 3, "key id 'ok' appears twice");
        assertMalformed(List.of("a:b hmac-sha256 " + TestKeys.hmacSecret()), 1, "key id 'a:b'");
        assertMalformed(List.of("k hmac-sha256 " + TestKeys.hmacSecret() + " billing"), 1, "the 4th field of key 'k' is 'billing'");
        assertMalformed(List.of("k hmac-sha256 " + TestKeys.hmacSecret() + " issuers=a,,b"), 1, "name each issuer once");
        assertMalformed(List.of("k hmac-sha256 " + TestKeys.hmacSecret() + " issuers=a,*"), 1, "issuers=* alone");
        assertMalformed(List.of("k hmac-sha256 " + TestKeys.hmacSecret() + " issuers=a extra"), 1, "has 5 fields, not 3 or 4");
    }

    @Test
    void aKeyMayBeBoundToTheIssuersItSignsForAndWithoutTheColumnSignsForAny() {
        CommandKeys keys = CommandKeys.parse("keys.txt", List.of("old hmac-sha256 " + TestKeys.hmacSecret(),
                "node hmac-sha256 " + TestKeys.hmacSecret() + " issuers=*",
                "billing ed25519 " + TestKeys.publicKey(TestKeys.ed25519()) + " issuers=billing-team,ops   # bound"));
        assertThat(keys.get("old").orElseThrow().mayIssueAs("anyone")).as("files without the column keep working").isTrue();
        assertThat(keys.get("node").orElseThrow().mayIssueAs("alice")).isTrue();
        CommandKey billing = keys.get("billing").orElseThrow();
        assertThat(billing.mayIssueAs("ops")).isTrue();
        assertThat(billing.mayIssueAs("billing-team")).isTrue();
        assertThat(billing.mayIssueAs("mallory")).isFalse();
        assertThat(billing.issuers()).containsExactly("billing-team", "ops");
    }

    private static void assertMalformed(List<String> lines, int lineNumber, String problem) {
        assertThatThrownBy(() -> CommandKeys.parse("keys.txt", lines))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys.txt line " + lineNumber + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void nodeSettingsRefuseWhatWouldRejectTheNodesOwnWrites() throws Exception {
        KeyPair pair = TestKeys.ed25519();
        Path keysFile = dir.resolve("keys");
        Files.writeString(keysFile, "ops hmac-sha256 " + TestKeys.hmacSecret() + "\nnode ed25519 " + TestKeys.publicKey(pair) + "\n");
        Path pem = dir.resolve("node.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Path otherPem = dir.resolve("other.pem");
        Files.writeString(otherPem, Base64.getEncoder().encodeToString(TestKeys.ed25519().getPrivate().getEncoded()));

        assertThat(CommandSignatures.load(keysFile, true, "ops", null).signer().keyId()).isEqualTo("ops");
        assertThat(CommandSignatures.load(keysFile, true, "node", pem).signer().algorithm()).isEqualTo(SignatureAlgorithm.ED25519);
        assertThat(CommandSignatures.load(null, false, null, null).signing()).isEmpty();

        assertThatThrownBy(() -> CommandSignatures.load(keysFile, true, null, null)).hasMessageContaining("--require-signatures needs --signing-key");
        assertThatThrownBy(() -> CommandSignatures.load(keysFile, false, "node", null)).hasMessageContaining("--signing-key-file");
        assertThatThrownBy(() -> CommandSignatures.load(keysFile, false, "node", otherPem)).hasMessageContaining("is not the private key of 'node'");
        assertThatThrownBy(() -> CommandSignatures.load(keysFile, false, "missing", null)).hasMessageContaining("'missing' is not in");
        assertThatThrownBy(() -> CommandSignatures.load(null, false, "ops", null)).hasMessageContaining("needs --command-keys");
        assertThatThrownBy(() -> CommandSignatures.load(keysFile, false, "ops", keysFile)).hasMessageContaining("PKCS#8 Ed25519 private key");
        Path boundFile = dir.resolve("bound-keys");
        Files.writeString(boundFile, "ops hmac-sha256 " + TestKeys.hmacSecret() + " issuers=ops\n");
        assertThatThrownBy(() -> CommandSignatures.load(boundFile, true, "ops", null))
                .hasMessageContaining("--signing-key 'ops' is bound to issuers=ops", "give that key issuers=*");
    }
}
