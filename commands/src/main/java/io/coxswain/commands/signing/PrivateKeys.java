package io.coxswain.commands.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;

/** Reads an Ed25519 private key: PKCS#8, as PEM ({@code openssl genpkey -algorithm ed25519}) or bare base64. */
public final class PrivateKeys {

    private PrivateKeys() {
    }

    public static PrivateKey readEd25519(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key file " + file + ": " + e.getMessage(), e);
        }
        StringBuilder base64 = new StringBuilder();
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("-----") && !l.startsWith("#")) {
                base64.append(l);
            }
        }
        try {
            byte[] der = Base64s.decode(base64.toString(), "its content");
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the signing key file " + file + " does not hold a PKCS#8 Ed25519 private key (" + e.getMessage()
                    + "); make one with: openssl genpkey -algorithm ed25519 -out " + file.getFileName());
        }
    }
}
