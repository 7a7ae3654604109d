package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/**
 * The users' Secrets against fabric8's mock API server (CRUD): issued once, kept, re-issued near expiry,
 * a same-named Secret made by hand taken over, a deleted user's Secret found by its labels and removed.
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
    KubernetesClient client;

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
    void aSecretOfTheNameMadeByHandIsTakenOverAndADeletedUsersSecretIsFoundByItsLabels() {
        client.resource(new SecretBuilder().withNewMetadata().withName("payments-user-billing").withNamespace("payments").endMetadata()
                .withData(Map.of("user.crt", "bm90IGEgY2VydGlmaWNhdGU=")).build()).create();
        users.ensureSecrets(withUsers("billing", "orders-app"), names, "user-2", client, access);
        assertThat(sink.actions(ResourceAction.UPDATE)).singleElement()
                .satisfies(a -> assertThat(a.getReason()).contains("re-issues the client certificate of user billing"));
        assertThat(secret("billing").getMetadata().getLabels()).containsEntry("coxswain.io/user", "billing");

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
