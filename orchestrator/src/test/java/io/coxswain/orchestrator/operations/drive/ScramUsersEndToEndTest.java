package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SCRAM-SHA-512 users on REAL Kafka nodes in the sandbox: the first one opens the brokers' SCRAM
 * listener with a roll; an application configured from the user's Secret writes over SASL_SSL where
 * its ACLs allow, and is refused elsewhere, with a wrong password, and once the user is deleted;
 * the last SCRAM user gone, a roll closes the listener.
 */
class ScramUsersEndToEndTest {

    private static final String CLUSTER = "pw";
    private static final String USER = "py-app";
    private static final int BROKERS = 2;
    private static DriveWorld world;

    @BeforeAll
    static void createCluster() throws Exception {
        world = DriveWorld.withReadyTlsCluster(CLUSTER, "exec-pw", BROKERS);
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void aScramUserWritesOverSaslSslWhereItsAclsAllowAndNowhereOnceDeleted() {
        accepted(Commands.on(CLUSTER).issuer("test").commandId("topic").createTopic("orders", 1, BROKERS, Map.of()));
        accepted(Commands.on(CLUSTER).issuer("test").commandId("topic-2").createTopic("payroll", 1, BROKERS, Map.of()));
        accepted(Commands.on(CLUSTER).issuer("test").commandId("user").createUser(USER,
                List.of(AclRules.parse("topic:orders:WRITE,DESCRIBE")), null, "SCRAM-SHA-512"));

        DriveWorld.await(Duration.ofSeconds(60), () -> "Secret of " + USER, () -> secret() != null);
        Map<String, String> files = TlsSecrets.decoded(secret());
        assertThat(files).containsOnlyKeys("password", "sasl.jaas.config", "ca.crt");
        assertThat(files.get("password")).matches("[A-Za-z0-9]{32}");
        assertThat(files.get("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"" + files.get("password") + "\";");

        // the brokers roll to open the listener: writes succeed once it is up and the credential is set
        DriveWorld.await(Duration.ofSeconds(180), () -> USER + " writes to orders over SASL_SSL", () -> writes(files.get("sasl.jaas.config"), "orders") == null);
        assertThat(writes(files.get("sasl.jaas.config"), "payroll")).as("a topic no ACL gives it").isInstanceOf(TopicAuthorizationException.class);
        assertThat(Producers.asUser(world.bootstrapOf(CLUSTER, BROKERS, "SCRAM"), files, "orders"))
                .as("configured as cox client-config prints it, the password read from the mounted Secret's file").isNull();
        String wrong = files.get("sasl.jaas.config").replace(files.get("password"), "not-the-password");
        assertThat(writes(wrong, "orders")).as("a wrong password").isInstanceOf(SaslAuthenticationException.class);
        assertThat(world.state(CLUSTER).orElseThrow().getSpec().getScramListener()).isTrue();
        assertThat(world.actions(CLUSTER)).filteredOn(a -> a.getAction() == ResourceAction.RESTART && "user".equals(a.getCauseCommandId()))
                .as("the listener's roll, caused by the CreateUser: brokers only, controllers have no SCRAM listener")
                .isNotEmpty().allSatisfy(a -> assertThat(a.getName()).startsWith(CLUSTER + "-broker-"));
        assertThat(world.actions(CLUSTER)).filteredOn(a -> ScramCredentials.KIND.equals(a.getKind())).singleElement().satisfies(a -> {
            assertThat(a.getAction()).isEqualTo(ResourceAction.APPLY);
            assertThat(a.getName()).isEqualTo("User:" + USER);
            assertThat(a.getCauseCommandId()).isEqualTo("user");
        });
        assertThat(world.actions(CLUSTER)).allSatisfy(a -> assertThat(a.toString()).doesNotContain(files.get("password")));

        world.awaitState(CLUSTER, Duration.ofSeconds(180), "the listener's roll over", s -> s.getStatus().getOperation() != null
                && "user".equals(s.getStatus().getOperation().getCauseCommandId()) && "SUCCEEDED".equals(s.getStatus().getOperation().getState()));
        Map<String, String> rotated = rotatesThePassword(files);

        accepted(Commands.on(CLUSTER).issuer("test").commandId("delete-user").deleteUser(USER));
        DriveWorld.await(Duration.ofSeconds(60), () -> "the user's Secret removed", () -> secret() == null);
        DriveWorld.await(Duration.ofSeconds(60), () -> "the deleted user's password refused",
                () -> writes(rotated.get("sasl.jaas.config"), "orders") instanceof SaslAuthenticationException);

        // the last SCRAM user gone: the brokers roll once more, to a configuration without the listener
        world.awaitState(CLUSTER, Duration.ofSeconds(180), "the listener closed by a roll caused by the DeleteUser", s ->
                !s.getSpec().getScramListener() && s.getStatus().getOperation() != null
                        && "delete-user".equals(s.getStatus().getOperation().getCauseCommandId())
                        && "SUCCEEDED".equals(s.getStatus().getOperation().getState()));
        assertThat(writes(rotated.get("sasl.jaas.config"), "orders")).as("nothing listens on the SCRAM port any more").isNotNull();
    }

    /**
     * RotateUserPassword: a new password in the Secret, taken by Kafka, the old one refused; no pod
     * restarts; every action the rotation's doing. Returns the Secret's new entries.
     */
    private static Map<String, String> rotatesThePassword(Map<String, String> before) {
        accepted(Commands.on(CLUSTER).issuer("test").commandId("rotate").rotateUserPassword(USER, "pasted into a ticket"));
        DriveWorld.await(Duration.ofSeconds(60), () -> "a new password in the Secret of " + USER,
                () -> !before.get("password").equals(TlsSecrets.decoded(secret()).get("password")));
        Map<String, String> after = TlsSecrets.decoded(secret());
        assertThat(after.get("password")).matches("[A-Za-z0-9]{32}");
        assertThat(after.get("sasl.jaas.config")).contains("password=\"" + after.get("password") + "\"");
        DriveWorld.await(Duration.ofSeconds(60), () -> USER + " writes with the new password", () -> writes(after.get("sasl.jaas.config"), "orders") == null);
        DriveWorld.await(Duration.ofSeconds(60), () -> "the old password refused",
                () -> writes(before.get("sasl.jaas.config"), "orders") instanceof SaslAuthenticationException);
        assertThat(world.actions(CLUSTER)).filteredOn(a -> "rotate".equals(a.getCauseCommandId()))
                .as("the Secret's new password, then Kafka's credential; no restart")
                .extracting(a -> a.getAction() + " " + a.getKind())
                .containsExactly("UPDATE " + UserSync.SECRET_KIND, "APPLY " + ScramCredentials.KIND);
        assertThat(world.actions(CLUSTER)).allSatisfy(a -> assertThat(a.toString()).doesNotContain(after.get("password")));
        return after;
    }

    /** One record sent as an application configured from a SCRAM user's Secret would be; null when written. */
    private static Throwable writes(String jaas, String topic) {
        Map<String, Object> config = new HashMap<>(world.clientSecurity(CLUSTER));
        config.put("bootstrap.servers", world.bootstrapOf(CLUSTER, BROKERS, "SCRAM"));
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        config.put("sasl.jaas.config", jaas);
        return Producers.send(config, topic);
    }

    private static Secret secret() {
        return world.kube.client().secrets().inNamespace(CLUSTER).withName(CLUSTER + "-user-" + USER).get();
    }

    private static void accepted(Command command) {
        assertThat(world.send(command)).as(command.getCommandId()).isInstanceOf(Outcome.Accepted.class);
    }
}
