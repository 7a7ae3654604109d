package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.avro.state.UserSpec;
import io.coxswain.orchestrator.executor.RecordingSink;
import io.coxswain.orchestrator.executor.TestStates;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.tls.CertificateIssuer;
import io.coxswain.orchestrator.executor.tls.ClusterAccess;
import io.coxswain.orchestrator.executor.tls.KeyMaterial;
import io.coxswain.orchestrator.executor.tls.Pem;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import io.coxswain.sandbox.time.SettableClock;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The users' Secrets against fabric8's mock API server (CRUD): issued once, kept, re-issued near expiry,
 * a same-named Secret Coxswain did not make for the user (by hand, or another cluster's whose names collide) never
 * written, told once and taken up once the name is free, a deleted user's Secret found by its labels and removed.
 * Their ACLs need a real authorizer: {@code UsersEndToEndTest}.
 */
@EnableKubernetesMockClient(crud = true)
class UserSecretsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ClusterNames names = ClusterNames.of("payments", "{cluster}");
    private final RecordingSink sink = new RecordingSink();
    private final SettableClock clock = new SettableClock(T0);
    private final UserSync users = new UserSync(new OperationRecorder(sink), clock);
    private final CertificateIssuer issuer = new CertificateIssuer();
    private final KeyMaterial ca = issuer.newCa("payments", T0);
    private final ClusterAccess access = new ClusterAccess(ca.certificate(), issuer.client(ca, "coxswain-operator", T0), ca,
            List.of(ca.certificate()), issuer);
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    KubernetesClient client;

    @BeforeEach
    void captureWarnings() {
        warnings.start();
        ((Logger) LoggerFactory.getLogger(ForeignUserSecrets.class)).addAppender(warnings);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(ForeignUserSecrets.class)).detachAppender(warnings);
    }

    @Test
    void eachUserGetsItsCertificateOnceAndAgainNearItsExpiry() throws Exception {
        ClusterState state = withUsers("orders-app", "audit");
        assertThat(users.ensureSecrets(state, names, "user-1", client, access).gone()).isEmpty();
        assertThat(sink.actions(ResourceAction.CREATE)).extracting(ResourceActionObserved::getName)
                .containsExactly("payments-user-audit", "payments-user-orders-app");
        assertThat(sink.actions(ResourceAction.CREATE).get(1).getReason()).contains("CreateUser", "orders-app", "CN=orders-app, O=coxswain");
        Map<String, String> files = files("orders-app");
        assertThat(files).containsOnlyKeys("user.crt", "user.key", "user.pem", "ca.crt");
        assertThat(files.get("ca.crt")).isEqualTo(ca.certificate());
        assertThat(Pem.certificate(files.get("user.crt")).getSubjectX500Principal().getName()).isEqualTo("CN=orders-app,O=coxswain");
        assertThat(Pem.certificate(files.get("user.crt")).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(secret("orders-app").getMetadata().getLabels()).containsAllEntriesOf(names.clusterSelector())
                .containsEntry("coxswain.io/user", "orders-app");
        assertThat(sink.all()).allSatisfy(a -> assertThat(a.toString()).doesNotContain("BEGIN"));

        sink.clear();
        clock.set(T0.plus(Duration.ofDays(100)));
        users.ensureSecrets(state, names, "resync", client, access);
        assertThat(sink.all()).as("a pass with nothing to do").isEmpty();

        clock.set(T0.plus(Duration.ofDays(340)));
        users.ensureSecrets(state, names, "resync", client, access);
        assertThat(sink.actions(ResourceAction.UPDATE)).hasSize(2)
                .allSatisfy(a -> assertThat(a.getReason()).contains("re-issues the client certificate", "expires within 30 days"));
        assertThat(files("orders-app").get("user.crt")).isNotEqualTo(files.get("user.crt"));
    }

    @Test
    void aSecretOfTheNameMadeByHandIsLeftUntouchedUntilTheNameIsFreeAndADeletedUsersSecretIsFoundByItsLabels() {
        Secret byHand = client.resource(new SecretBuilder().withNewMetadata().withName("payments-user-billing").withNamespace("payments")
                .addToLabels("team", "billing").endMetadata().withData(Map.of("token", "aGFuZA==")).build()).create();
        users.ensureSecrets(withUsers("billing", "orders-app"), names, "user-2", client, access);
        users.ensureSecrets(withUsers("billing", "orders-app"), names, "resync", client, access);
        assertThat(sink.actions(ResourceAction.UPDATE)).as("the hand-made Secret is not written").isEmpty();
        assertThat(sink.actions(ResourceAction.CREATE)).extracting(ResourceActionObserved::getName).containsExactly("payments-user-orders-app");
        assertThat(secret("billing").getData()).isEqualTo(Map.of("token", "aGFuZA=="));
        assertThat(secret("billing").getMetadata().getLabels()).isEqualTo(Map.of("team", "billing"));
        assertThat(secret("billing").getMetadata().getResourceVersion()).isEqualTo(byHand.getMetadata().getResourceVersion());
        assertThat(warnings()).as("told once, naming the Secret, the cluster, the user and what to do").singleElement().satisfies(w -> assertThat(w)
                .contains("cluster payments", "user billing", "payments/payments-user-billing", "Delete or rename that Secret",
                        "kubectl -n payments delete secret payments-user-billing"));

        // the name freed: the next pass makes the user's Secret
        client.secrets().inNamespace("payments").withName("payments-user-billing").delete();
        users.ensureSecrets(withUsers("billing", "orders-app"), names, "resync", client, access);
        assertThat(secret("billing").getMetadata().getLabels()).containsEntry("coxswain.io/user", "billing");
        assertThat(files("billing")).containsKey("user.crt");

        sink.clear();
        Map<String, Secret> gone = users.ensureSecrets(withUsers("billing"), names, "delete-user", client, access).gone();
        assertThat(gone).containsOnlyKeys("orders-app");
        users.removeSecret("payments", names, "orders-app", gone.get("orders-app"), "delete-user", client);
        assertThat(secret("orders-app")).isNull();
        assertThat(sink.actions(ResourceAction.DELETE)).singleElement().satisfies(a -> {
            assertThat(a.getReason()).contains("DeleteUser", "orders-app");
            assertThat(a.getCauseCommandId()).isEqualTo("delete-user");
        });
    }

    @Test
    void anotherClustersSecretWhoseNameCollidesWithAUsersIsNeverWrittenNorTakenAsAComponentsIdentity() {
        // cluster "payments-user"'s node certificates are named as cluster payments' user "kafka-tls"'s Secret
        ClusterNames other = ClusterNames.of("payments-user", "payments");
        Secret nodes = client.resource(TlsSecrets.nodes(other, "CA", Map.of("payments-user-broker-0", new KeyMaterial("CERT", "KEY")), 0)).create();
        // and a copy of another cluster's user Secret under this cluster's user's name, labels and all
        Secret copied = client.resource(new SecretBuilder(TlsSecrets.client(ClusterNames.of("orders", "payments"), "etl", "CA",
                new KeyMaterial("CERT", "KEY"))).editMetadata().withName("payments-user-etl").endMetadata().build()).create();
        users.ensureSecrets(withUsers("kafka-tls", "etl"), names, "user-3", client, access);
        users.issueMissing(withUsers("kafka-tls", "etl"), names, List.of("kafka-tls", "etl"), "user-3", client, access);
        assertThat(sink.all()).as("nothing written, nothing created").isEmpty();
        assertThat(client.secrets().inNamespace("payments").withName("payments-user-kafka-tls").get().getData()).isEqualTo(nodes.getData());
        assertThat(secret("etl").getMetadata().getLabels()).isEqualTo(copied.getMetadata().getLabels());
        assertThat(warnings()).hasSize(2).anySatisfy(w -> assertThat(w).contains("user kafka-tls", "TLS keys of cluster payments-user",
                "Do not delete it", "DeleteUser")).anySatisfy(w -> assertThat(w).contains("user etl", "the credentials of user etl of cluster orders"));
    }

    @Test
    void whetherASecretUnderAUsersNameIsTheUsersIsToldByItsNameAndEveryLabelCoxswainGivesIt() {
        Secret mine = TlsSecrets.client(names, "etl", "CA", new KeyMaterial("CERT", "KEY"));
        assertThat(ForeignUserSecrets.whyNotTaken(mine, names, "etl")).isEmpty();
        assertThat(ForeignUserSecrets.whyNotTaken(null, names, "etl")).as("none: Coxswain makes it").isEmpty();
        Secret forAnotherUser = new SecretBuilder(mine).editMetadata().addToLabels("coxswain.io/user", "audit").endMetadata().build();
        assertThat(ForeignUserSecrets.whyNotTaken(forAnotherUser, names, "etl")).isPresent();
        Secret unlabelled = new SecretBuilder(mine).editMetadata().removeFromLabels("app.kubernetes.io/managed-by").endMetadata().build();
        assertThat(ForeignUserSecrets.whyNotTaken(unlabelled, names, "etl")).isPresent();
    }

    private List<String> warnings() {
        return warnings.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private ClusterState withUsers(String... names) {
        ClusterState state = TestStates.created("payments", TestStates.create(1, 1).setClientAuthentication(ClientAuthentication.TLS).build());
        Map<String, UserSpec> users = new TreeMap<>();
        for (String name : names) {
            users.put(name, new UserSpec(List.of(), null, "TLS", null, null));
        }
        state.setUsers(users);
        return state;
    }

    private Secret secret(String user) {
        return client.secrets().inNamespace("payments").withName("payments-user-" + user).get();
    }

    private Map<String, String> files(String user) {
        return TlsSecrets.decoded(secret(user));
    }
}
