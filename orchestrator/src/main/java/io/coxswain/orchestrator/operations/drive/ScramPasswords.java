package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.PasswordRotation;
import io.coxswain.avro.state.UserSpec;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which password a SCRAM user's Secret should hold, decided from the state and the Secret as it is.
 * Pure apart from drawing a new password.
 *
 * <p>The Secret says two things of its password in annotations: the rotation {@link #GENERATION}
 * it was made for (the state's {@code passwordRotation.generation}; a Secret made for an older one
 * gets a new password), and a {@link #CREDENTIAL} digest of the password whose credential Kafka was
 * last given. Kafka keeps only a salted hash and cannot say which password it holds, so the digest
 * is how a pass knows a password written by an earlier one (a crash in between, a rotation) has not
 * reached Kafka yet: {@link ScramCredentials} sets the credential whenever it differs.
 */
final class ScramPasswords {

    static final String GENERATION = "coxswain.io/password-generation";
    static final String CREDENTIAL = "coxswain.io/scram-credential";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int PASSWORD_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param password what the Secret is to hold
     * @param generation the rotation it was made for; 0: the user's first password
     * @param annotations the Secret's annotations: the generation, and the credential digest while it still matches
     * @param why null when the password is kept; else why the Secret gets a new one
     * @param cause the command the password comes from: the rotation's, or the pass's for a user's first password
     */
    record Plan(String password, int generation, Map<String, String> annotations, String why, String cause) {

        /** Whether Kafka was last given this very password's credential. */
        boolean credentialSet() {
            return digest(password).equals(annotations.get(CREDENTIAL));
        }
    }

    private ScramPasswords() {
    }

    static Plan plan(String user, UserSpec spec, Secret live, String passCause) {
        PasswordRotation rotation = spec.getPasswordRotation();
        int wanted = rotation == null ? 0 : rotation.getGeneration();
        String kept = TlsSecrets.decoded(live).get(TlsSecrets.SCRAM_PASSWORD);
        Map<String, String> annotations = live == null || live.getMetadata().getAnnotations() == null ? Map.of()
                : live.getMetadata().getAnnotations();
        String cause = rotation == null ? passCause : rotation.getCommandId();
        if (kept != null && !kept.isEmpty() && generation(annotations) >= wanted) {
            Map<String, String> keep = new TreeMap<>(Map.of(GENERATION, String.valueOf(wanted)));
            if (annotations.containsKey(CREDENTIAL)) {
                keep.put(CREDENTIAL, annotations.get(CREDENTIAL));
            }
            return new Plan(kept, wanted, keep, null, cause);
        }
        String why = kept == null || kept.isEmpty() ? "user " + user + " authenticates with a password: its Secret holds a new one"
                : "RotateUserPassword: user " + user + "'s password is rotated (generation " + wanted
                        + (rotation.getReason() == null ? "" : ", " + rotation.getReason())
                        + "); the old one is refused once Kafka's credential is set from the new one";
        return new Plan(newPassword(), wanted, Map.of(GENERATION, String.valueOf(wanted)), why, cause);
    }

    /** Letters and digits (about 190 bits): no character a JAAS line or a shell would need escaped. */
    static String newPassword() {
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    /** A SHA-256 digest of a password: says which one Kafka was given without keeping it a second time. */
    static String digest(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static int generation(Map<String, String> annotations) {
        try {
            return Integer.parseInt(annotations.getOrDefault(GENERATION, "0"));
        } catch (NumberFormatException e) {
            return 0; // edited by hand: taken as the first password's, so only a rotation not yet carried out makes a new one
        }
    }
}
