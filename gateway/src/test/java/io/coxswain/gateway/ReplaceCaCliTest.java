package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code cox replace-ca} and the pending request {@code cox get} shows, end to end (run through CoxCliHarness). */
class ReplaceCaCliTest extends CoxCliHarness {

    private static JsonNode pending(String cluster) throws Exception {
        return GatewayHarness.JSON.readTree(cox("get", cluster, "-o", "json").out()).at("/spec/caReplacement");
    }

    /** What the executor reports of the ReplaceClusterCa operation caused by {@code commandId}. */
    private static void operation(String cluster, String commandId, String state) {
        h.observe(cluster, "{\"type\":\"OperationObserved\",\"operationId\":\"ReplaceClusterCa/" + commandId + "\",\"operation\":\"ReplaceClusterCa\","
                + "\"state\":\"" + state + "\",\"causeCommandId\":\"" + commandId + "\"}");
    }

    @Test
    void aCaReplacementIsAskedThroughTheCliAndShownPendingUntilItsOperationSucceeds() throws Exception {
        assertThat(cox("create-cluster", "vault", "--kafka-version", "4.1.0").code()).isZero();
        Run dry = cox("replace-ca", "vault", "--reason", "CA key in a public bucket", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("ReplaceClusterCa on vault: would be accepted as version 2", "spec.caReplacement: null -> {",
                "\"reason\":\"CA key in a public bucket\"");
        assertThat(pending("vault").isNull()).as("a dry run writes nothing").isTrue();

        Run accepted = cox("replace-ca", "vault", "--reason", "CA key in a public bucket", "--expected-version", "1", "--command-id", "ca-vault-1");
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.out()).contains("ReplaceClusterCa on vault: accepted, version 2");
        JsonNode request = pending("vault");
        assertThat(request.get("commandId").asText()).isEqualTo("ca-vault-1");
        assertThat(request.get("issuer").asText()).isEqualTo(GatewayHarness.PRINCIPAL);
        assertThat(cox("get", "vault").out()).contains("CA replacement pending: asked by " + GatewayHarness.PRINCIPAL + " at "
                + request.get("requestedAt").asText() + " (command ca-vault-1); reason: CA key in a public bucket");

        // while its operation runs, a second is refused and the first stays pending
        operation("vault", "ca-vault-1", "RUNNING");
        Run busy = cox("replace-ca", "vault");
        assertThat(busy.code()).isEqualTo(1);
        assertThat(busy.err()).contains("ReplaceClusterCa on vault rejected (OPERATION_IN_PROGRESS)", "ReplaceClusterCa ReplaceClusterCa/ca-vault-1");
        assertThat(cox("get", "vault").out()).contains("ReplacingCa", "CA replacement pending");
        operation("vault", "ca-vault-1", "SUCCEEDED");
        assertThat(cox("get", "vault").out()).doesNotContain("CA replacement pending");
        assertThat(pending("vault").isNull()).isTrue();

        // without a reason, and withdrawn by abandoning its operation
        Run again = cox("replace-ca", "vault", "--command-id", "ca-vault-2");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(cox("get", "vault").out()).contains("(command ca-vault-2)").doesNotContain("reason:");
        operation("vault", "ca-vault-2", "RUNNING");
        assertThat(cox("operation", "abandon", "vault", "ReplaceClusterCa/ca-vault-2", "--reason", "during the sale").code()).isZero();
        assertThat(cox("get", "vault").out()).doesNotContain("CA replacement pending");
    }

    @Test
    void badInputIsRefusedNamingTheFieldWithNothingWrittenAndExitCodesAreCox() {
        assertThat(cox("create-cluster", "keys", "--kafka-version", "4.1.0").code()).isZero();
        Run tooLong = cox("replace-ca", "keys", "--reason", "x".repeat(501));
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.err()).contains("[payload.reason]");
        Run stale = cox("replace-ca", "keys", "--expected-version", "7");
        assertThat(stale.code()).isEqualTo(1);
        assertThat(stale.err()).contains("rejected (VERSION_CONFLICT)");
        assertThat(cox("history", "keys").out().lines().filter(l -> l.contains("ReplaceClusterCa")).count())
                .as("the long reason never reached the log; the stale one did, rejected").isEqualTo(1);

        Run missing = cox("replace-ca", "no-such-cluster");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("rejected (CLUSTER_NOT_FOUND)");
        Run noToken = coxWith(null, "replace-ca", "keys");
        assertThat(noToken.code()).isEqualTo(4);
        assertThat(cox("replace-ca").code()).as("CLUSTER is required").isEqualTo(2);

        // picocli wraps the help at 80 columns: compared with the line breaks read as spaces
        assertThat(cox("replace-ca", "--help").out().replaceAll("\\s+", " ")).contains("three rolls",
                "reload the CA bundle and their user certificates", "old CA is trusted nowhere",
                "trust-new-ca", "reissue-certificates", "distrust-old-ca", "--reason=<reason>", "--expected-version", "--dry-run");
        assertThat(cox("--help").out()).contains("replace-ca");
    }
}
