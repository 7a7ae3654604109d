package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code cox create-user --authentication} and the users {@code cox get} lists with theirs, end to end (CoxCliTest's way of running cox). */
class ScramUserCliTest extends CoxCliHarness {

    private static JsonNode cluster(String id) throws Exception {
        return GatewayHarness.JSON.readTree(cox("get", id, "-o", "json").out());
    }

    private static long createUsersLogged(String id) {
        return cox("history", id).out().lines().filter(l -> l.contains("CreateUser")).count();
    }

    @Test
    void aScramUserIsCreatedListedWithItsAuthenticationAndOpensTheListenerUntilItIsDeleted() throws Exception {
        assertThat(cox("create-cluster", "bank", "--kafka-version", "4.1.0", "--client-authentication", "TLS").code()).isZero();
        Run scram = cox("create-user", "bank", "ledger-app", "--authentication", "SCRAM-SHA-512", "--acl", "topic:ledger:READ");
        assertThat(scram.code()).as(scram.err()).isZero();
        assertThat(scram.out()).contains("CreateUser on bank: accepted");
        assertThat(cox("create-user", "bank", "audit-app").code()).as("TLS by default").isZero();

        Run shown = cox("get", "bank");
        assertThat(shown.out()).containsPattern("USER +AUTH +SECRET").containsPattern("ledger-app +SCRAM-SHA-512 +bank-user-ledger-app")
                .containsPattern("audit-app +TLS +bank-user-audit-app").contains("SCRAM listener: port 9095 of bank-kafka-bootstrap")
                .containsPattern("ledger-app +topic:ledger:READ");
        JsonNode bank = cluster("bank");
        assertThat(bank.at("/users/ledger-app/authentication").asText()).isEqualTo("SCRAM-SHA-512");
        assertThat(bank.at("/users/audit-app/authentication").asText()).isEqualTo("TLS");
        assertThat(bank.at("/spec/scramListener").asBoolean()).isTrue();

        // the last SCRAM user gone, the listener closes and the name is free again at once (no certificate outlives it)
        assertThat(cox("delete-user", "bank", "ledger-app").code()).isZero();
        assertThat(cluster("bank").at("/spec/scramListener").asBoolean()).isFalse();
        assertThat(cox("get", "bank").out()).doesNotContain("SCRAM listener");
        assertThat(cox("create-user", "bank", "ledger-app").code()).as("again, now with a certificate").isZero();
        assertThat(cluster("bank").at("/users/ledger-app/authentication").asText()).isEqualTo("TLS");
    }

    @Test
    void aClusterReachedFromOutsideListsTheExternalScramPort() {
        assertThat(cox("create-cluster", "edge", "--kafka-version", "4.1.0", "--client-authentication", "TLS", "--external-access", "NODE_PORT")
                .code()).isZero();
        assertThat(cox("create-user", "edge", "mobile-app").code()).isZero();
        assertThat(cox("get", "edge").out()).as("no SCRAM user: no SCRAM listener inside or out").doesNotContain("SCRAM listener", "external-scram");
        assertThat(cox("create-user", "edge", "py-app", "--authentication", "SCRAM-SHA-512").code()).isZero();
        assertThat(cox("get", "edge").out()).contains("SCRAM listener: port 9095 of edge-kafka-bootstrap",
                "from outside (NODE_PORT): port external-scram of each edge-broker-N-external Service");
    }

    @Test
    void anUnknownAuthenticationIsBadInputAndAComponentsNameIsRefusedAScramUser() {
        assertThat(cox("create-cluster", "mint", "--kafka-version", "4.1.0", "--client-authentication", "TLS").code()).isZero();
        Run plain = cox("create-user", "mint", "coins-app", "--authentication", "PLAIN");
        assertThat(plain.code()).isEqualTo(2);
        assertThat(plain.err()).contains("[payload.authentication]", "must be one of TLS, SCRAM-SHA-512, got 'PLAIN'");
        assertThat(createUsersLogged("mint")).as("the bad one never reached the log").isZero();

        Run connect = cox("create-user", "mint", "connect", "--authentication", "SCRAM-SHA-512");
        assertThat(connect.code()).isEqualTo(1);
        assertThat(connect.err()).contains("CreateUser on mint rejected (INVALID_COMMAND)", "create it with authentication TLS");
        assertThat(cox("get", "mint").out()).doesNotContain("connect");

        // picocli wraps the help at 80 columns: compared with the line breaks read as spaces
        assertThat(cox("create-user", "--help").out().replaceAll("\\s+", " ")).contains("--authentication=KIND",
                "TLS (the default): a client certificate: user.crt, user.key, ca.crt",
                "SCRAM-SHA-512: a password: password, sasl.jaas.config", "delete it and create it again");
    }
}
