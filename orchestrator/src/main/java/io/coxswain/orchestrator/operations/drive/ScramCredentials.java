package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.ResourceAction;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.operations.AdminCalls;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

/**
 * The SCRAM-SHA-512 credentials of the state's SCRAM users, in the cluster's metadata: set from the
 * password in the user's Secret when Kafka has none for the user, or when the Secret does not say
 * Kafka was given that password (a rotated one, or one written just before a crash); removed for a
 * user the state no longer has. Once Kafka took a credential, the Secret is marked with the
 * password's digest ({@link ScramPasswords#CREDENTIAL}): bookkeeping of the recorded credential
 * action, not an action of its own. Nothing is asked of a cluster without SCRAM users or leftovers.
 */
final class ScramCredentials {

    static final String KIND = "KafkaScramCredential";
    /** Kafka's minimum for SCRAM-SHA-512. */
    static final int ITERATIONS = 4096;

    private final OperationRecorder recorder;

    ScramCredentials(OperationRecorder recorder) {
        this.recorder = recorder;
    }

    /**
     * @param passwords each SCRAM user of the state → the password its Secret holds
     * @param gone users the state no longer has (their Secrets are about to go)
     */
    void sync(String cluster, ClusterNames names, Map<String, ScramPasswords.Plan> passwords, Collection<String> gone, String cause, Admin admin,
              KubernetesClient kube, Duration timeout) {
        if (passwords.isEmpty() && gone.isEmpty()) {
            return;
        }
        Map<String, UserScramCredentialsDescription> live = AdminCalls.await("describeUserScramCredentials",
                admin.describeUserScramCredentials().all(), timeout);
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        Map<String, String> set = new TreeMap<>();
        passwords.forEach((user, plan) -> {
            boolean held = live.containsKey(user) && live.get(user).credentialInfos().stream()
                    .anyMatch(i -> i.mechanism() == ScramMechanism.SCRAM_SHA_512);
            if (!held || !plan.credentialSet()) {
                recorder.clusterAction(cluster, ResourceAction.APPLY, KIND, null, UserAcls.principal(user), "the state has SCRAM-SHA-512 user "
                        + user + "; sets its credential from the password in its Secret" + (!held ? ""
                        : plan.generation() > 0 ? " (rotated, generation " + plan.generation() + "): the old password is refused from now on"
                        : ", which Kafka is not known to hold"), plan.cause(), null);
                alterations.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS),
                        plan.password()));
                set.put(user, ScramPasswords.digest(plan.password()));
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
        set.forEach((user, digest) -> kube.secrets().inNamespace(names.namespace()).withName(names.userSecret(user))
                .edit(s -> new SecretBuilder(s).editMetadata().addToAnnotations(ScramPasswords.CREDENTIAL, digest).endMetadata().build()));
    }
}
