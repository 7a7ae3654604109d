package io.coxswain.commands.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cox replace-ca CLUSTER [--reason TEXT]}: ReplaceClusterCa. The help says what applications must do
 * and by when, since that is the part a person cannot undo: once the last step ends, an application still
 * holding the old CA's certificate is refused.
 */
@Command(name = "replace-ca", mixinStandardHelpOptions = true, description = {
        "Replace the cluster's CA with a new key in three rolls; applications must reload the CA bundle and their user certificates; after it the old CA is trusted nowhere.",
        "For a CA key that may be compromised, or a policy. One operation",
        "(ReplaceClusterCa, phase ReplacingCa: follow it with cox operation show",
        "CLUSTER), three steps, each ending in a rolling restart of the Kafka pods:",
        "  trust-new-ca: a new CA (new key) is trusted beside the old one in every",
        "    ca.crt (Secret CLUSTER-cluster-ca-cert, the users' Secrets);",
        "  reissue-certificates: node, Coxswain's and every user's certificate",
        "    (Secret CLUSTER-user-NAME) are re-issued under the new CA;",
        "  distrust-old-ca: the old CA leaves every trust bundle; a certificate",
        "    it signed is refused from then on.",
        "Applications load the new ca.crt (both CAs) before step 2's roll, and",
        "their re-issued user certificate before step 3 ends.",
        "Needs no other operation running; waits for a maintenance window if the",
        "cluster has any; cox get CLUSTER shows it pending until it is done.",
        "cox operation abandon stops it where it is (before step 3, both CAs are",
        "still trusted, so every certificate issued works); a new replace-ca",
        "carries on from the step reached. Unlike the automatic renewal (same",
        "key, old certificate trusted until it expires), the key changes and the",
        "old trust goes at once."})
final class CaReplacementCommand implements Callable<Integer> {
    @ParentCommand Cox cox;
    @Mixin Submit submit;
    @Parameters(index = "0", paramLabel = "CLUSTER") String cluster;
    @Option(names = "--reason", description = "Why (kept in the log): a key that may have leaked, a rotation policy.") String reason;

    @Override
    public Integer call() {
        return submit.send(cox, cluster, "ReplaceClusterCa", ClusterCommands.withReason(ClusterCommands.object(), reason));
    }

    /** Fingerprint pairs shown: 8 of SHA-256's 32 tell CAs apart at a glance; the whole is in {@code -o json}. */
    private static final int SHORT_PAIRS = 8;

    /**
     * Under {@code cox get CLUSTER}: the CA the cluster runs on ({@code status.ca}), and, when more than one is
     * trusted, that a renewal or replacement is under way; nothing before the executor has reported it.
     */
    static void printCa(PrintWriter out, JsonNode ca) {
        if (!ca.isObject()) {
            return;
        }
        String fingerprint = ca.path("fingerprint").asText();
        String[] pairs = fingerprint.split(":");
        // ASCII, as all of cox's output: a terminal under the C locale shows an ellipsis character as ?
        String shown = pairs.length > SHORT_PAIRS ? String.join(":", Arrays.copyOf(pairs, SHORT_PAIRS)) + "..." : fingerprint;
        // notAfter is an ISO-8601 instant in UTC: its first 10 characters are the date
        String until = ca.path("notAfter").asText();
        int trusted = ca.path("trusted").size();
        out.println();
        out.println("CA: " + shown + " valid until " + until.substring(0, Math.min(10, until.length()))
                + (trusted > 1 ? " (" + trusted + " CAs trusted: a renewal or replacement is under way)" : ""));
    }

    /** Under {@code cox get CLUSTER}: the CA replacement asked for and not done yet ({@code spec.caReplacement}); nothing when there is none. */
    static void printPending(PrintWriter out, JsonNode request) {
        if (!request.isObject()) {
            return;
        }
        out.println();
        out.println("CA replacement pending: " + ClusterCommands.askedBy(request)
                + (request.hasNonNull("reason") ? "; reason: " + request.get("reason").asText() : ""));
    }
}
