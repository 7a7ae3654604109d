package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coxswain.gateway.GatewayHarness.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code cox rotate-password} and the PASSWORD column {@code cox get} shows for each user, end to end
 * (CoxCliTest's way of running cox); and {@code POST /v1/commands} refusing a malformed RotateUserPassword.
 */
class RotatePasswordCliTest extends CoxCliHarness {

    private static JsonNode rotation(String cluster, String user) throws Exception {
        return GatewayHarness.JSON.readTree(cox("get", cluster, "-o", "json").out()).at("/users/" + user + "/passwordRotation");
    }

    private static long rotationsLogged(String cluster) {
        return cox("history", cluster).out().lines().filter(l -> l.contains("RotateUserPassword")).count();
    }

    /** A cluster taking users, with SCRAM user {@code ledger-app} and certificate user {@code audit-app}. */
    private static void clusterWithBothKindsOfUser(String cluster) {
        assertThat(cox("create-cluster", cluster, "--kafka-version", "4.1.0", "--client-authentication", "TLS").code()).isZero();
        Run scram = cox("create-user", cluster, "ledger-app", "--authentication", "SCRAM-SHA-512");
        assertThat(scram.code()).as(scram.err()).isZero();
        assertThat(cox("create-user", cluster, "audit-app").code()).isZero();
    }

    @Test
    void aScramUsersPasswordIsRotatedAndCoxGetShowsWhen() throws Exception {
        clusterWithBothKindsOfUser("till");
        assertThat(cox("get", "till").out()).containsPattern("USER +AUTH +SECRET +PASSWORD")
                .containsPattern("ledger-app +SCRAM-SHA-512 +till-user-ledger-app +set at creation")
                .containsPattern("audit-app +TLS +till-user-audit-app +-\\R");

        Run dry = cox("rotate-password", "till", "ledger-app", "--reason", "pasted in a ticket", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("RotateUserPassword on till: would be accepted as version 4", "passwordRotation", "null -> {",
                "\"generation\":1", "\"reason\":\"pasted in a ticket\"");
        assertThat(rotation("till", "ledger-app").isNull()).as("a dry run writes nothing").isTrue();

        Run accepted = cox("rotate-password", "till", "ledger-app", "--reason", "pasted in a ticket", "--command-id", "rot-till-1");
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.out()).contains("RotateUserPassword on till: accepted, version 4 (command rot-till-1)");
        JsonNode first = rotation("till", "ledger-app");
        assertThat(first.get("generation").asInt()).isEqualTo(1);
        assertThat(first.get("commandId").asText()).isEqualTo("rot-till-1");
        assertThat(first.get("reason").asText()).isEqualTo("pasted in a ticket");
        assertThat(cox("get", "till").out()).containsPattern("ledger-app +SCRAM-SHA-512 +till-user-ledger-app +rotated "
                + first.get("requestedAt").asText() + " \\(#1\\)");

        // again, without a reason: the next generation, named by its own command
        assertThat(cox("rotate-password", "till", "ledger-app", "--command-id", "rot-till-2").code()).isZero();
        JsonNode second = rotation("till", "ledger-app");
        assertThat(second.get("generation").asInt()).isEqualTo(2);
        assertThat(second.get("commandId").asText()).isEqualTo("rot-till-2");
        assertThat(second.get("reason").isNull()).isTrue();
        assertThat(cox("get", "till").out()).containsPattern("ledger-app .* \\(#2\\)");

        // picocli wraps the help at 80 columns: compared with the line breaks read as spaces
        assertThat(cox("rotate-password", "--help").out().replaceAll("\\s+", " ")).contains("Secret <cluster>-user-<name>",
                "keys password and sasl.jaas.config", "old password is refused", "Connections already open stay until they reconnect",
                "no pod restarts", "Kafka cannot revoke a certificate", "cox replace-ca", "--reason=<reason>", "--dry-run", "--expected-version");
        assertThat(cox("--help").out()).contains("rotate-password");
    }

    @Test
    void aCertificateUserIsRefusedWithWhyAndBadInputExitsTwoWithNothingWritten() throws Exception {
        clusterWithBothKindsOfUser("vault");
        Run certificate = cox("rotate-password", "vault", "audit-app");
        assertThat(certificate.code()).isEqualTo(1);
        assertThat(certificate.err()).contains("RotateUserPassword on vault rejected (INVALID_COMMAND)", "Kafka cannot revoke a certificate",
                "ReplaceClusterCa");
        assertThat(rotation("vault", "audit-app").isNull()).isTrue();
        Run unknown = cox("rotate-password", "vault", "nobody");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("rejected (USER_NOT_FOUND)");
        assertThat(rotationsLogged("vault")).as("both rejections are in the log").isEqualTo(2);

        Run badName = cox("rotate-password", "vault", "Ledger_App");
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("[payload.name]");
        Run tooLong = cox("rotate-password", "vault", "ledger-app", "--reason", "x".repeat(501));
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.err()).contains("[payload.reason]");
        assertThat(cox("rotate-password", "vault").code()).as("NAME is required").isEqualTo(2);
        assertThat(rotationsLogged("vault")).as("the bad input never reached the log").isEqualTo(2);
        assertThat(rotation("vault", "ledger-app").isNull()).isTrue();
    }

    @Test
    void aMalformedRotationOverRestIs400NamingTheField() {
        assertThat(cox("create-cluster", "mint", "--kafka-version", "4.1.0", "--client-authentication", "TLS").code()).isZero();
        Map<String, String> fieldOfPayload = Map.of(
                "{}", "payload.name",
                "{\"name\":7}", "payload.name",
                "{\"name\":\"Not A Label\"}", "payload.name",
                "{\"name\":\"ledger-app\",\"reason\":[\"why\"]}", "payload.reason",
                "{\"name\":\"ledger-app\",\"password\":\"hunter2\"}", "payload.password");
        fieldOfPayload.forEach((payload, field) -> {
            Reply r = h.post("/v1/commands?wait=true", "{\"clusterId\":\"mint\",\"type\":\"RotateUserPassword\",\"payload\":" + payload + "}");
            assertThat(r.status()).as(payload + ": " + r).isEqualTo(400);
            assertThat(r.json().get("field").asText()).as(payload + ": " + r).isEqualTo(field);
        });
        assertThat(rotationsLogged("mint")).isZero();
    }
}
