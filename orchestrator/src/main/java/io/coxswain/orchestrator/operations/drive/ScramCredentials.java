package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.orchestrator.operations.AdminCalls;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

/**
 * The SCRAM-SHA-512 credentials of the state's SCRAM users, in the cluster's metadata: set from the
 * password in the user's Secret when Kafka has none for the user, or when the Secret's password was
 * just made; removed for a user the state no longer has. Kafka keeps only a salted hash and cannot say
 * which password it holds, so a password is set again only when Coxswain wrote a new one. Nothing is
 * asked of a cluster without SCRAM users or leftovers.
 */
final class ScramCredentials {

    static final String KIND = "KafkaScramCredential";
    /** Kafka's minimum for SCRAM-SHA-512. */
    static final int ITERATIONS = 4096;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int PASSWORD_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OperationRecorder recorder;

    ScramCredentials(OperationRecorder recorder) {
        this.recorder = recorder;
    }

    /** Letters and digits (about 190 bits): no character a JAAS line or a shell would need escaped. */
    static String newPassword() {
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    /**
     * @param passwords each SCRAM user of the state → the password its Secret holds
     * @param newPasswords those whose password was written in this pass
     * @param gone users the state no longer has (their Secrets are about to go)
     */
    void sync(String cluster, Map<String, String> passwords, Set<String> newPasswords, Collection<String> gone, String cause, Admin admin,
              Duration timeout) {
        if (passwords.isEmpty() && gone.isEmpty()) {
            return;
        }
        Map<String, UserScramCredentialsDescription> live = AdminCalls.await("describeUserScramCredentials",
                admin.describeUserScramCredentials().all(), timeout);
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        passwords.forEach((user, password) -> {
            boolean held = live.containsKey(user) && live.get(user).credentialInfos().stream()
                    .anyMatch(i -> i.mechanism() == ScramMechanism.SCRAM_SHA_512);
            if (!held || newPasswords.contains(user)) {
                recorder.clusterAction(cluster, ResourceAction.APPLY, KIND, null, UserAcls.principal(user), "the state has SCRAM-SHA-512 user "
                        + user + "; sets its credential from the password in its Secret" + (held ? " (a new password)" : ""), cause, null);
                alterations.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password));
            }
        });
        for (String user : gone) {
            if (live.containsKey(user)) {
                recorder.clusterAction(cluster, ResourceAction.DELETE, KIND, null, UserAcls.principal(user), "DeleteUser: the state no longer has user "
                        + user + "; its SCRAM credential goes with it", cause, null);
                alterations.add(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512));
            }
        }
        if (!alterations.isEmpty()) {
            AdminCalls.await("alterUserScramCredentials", admin.alterUserScramCredentials(alterations).all(), timeout);
        }
    }
}
