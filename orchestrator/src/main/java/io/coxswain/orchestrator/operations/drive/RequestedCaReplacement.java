package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.command.StepState;
import io.coxswain.orchestrator.executor.tls.CaReplacement;
import io.coxswain.orchestrator.executor.tls.CaReplacement.Progress;
import io.coxswain.orchestrator.executor.tls.Pem;
import io.coxswain.orchestrator.executor.tls.TlsSecrets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CA replacement a person asked for ({@code ReplaceClusterCa}, pending in {@code spec.caReplacement}).
 * The reconcile step writes each of its three steps into the CA and node Secrets ({@link CaReplacement});
 * this driver records where it stands (steps {@code trust-new-ca}, {@code reissue-certificates},
 * {@code distrust-old-ca}) and rolls the pods through each with the checked rolling restart, then
 * hands the pass back so the reconcile step can write the next. Both read the Secret, so a driver
 * that replaces a killed one resumes at the step the Secret shows.
 */
final class RequestedCaReplacement {

    private static final List<Progress> STEPS = List.of(Progress.TRUST_NEW, Progress.REISSUE, Progress.DISTRUST);

    private final RollingRestart roll;
    /** "operation/step/state" this driver recorded: the log may not show them yet. */
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();

    RequestedCaReplacement(RollingRestart roll) {
        this.roll = roll;
    }

    Outcome step(DriveContext c) {
        Map<String, String> ca = TlsSecrets.decoded(c.kube().secrets().inNamespace(c.names().namespace()).withName(c.names().clusterCaSecret()).get());
        Progress progress = CaReplacement.progress(ca, c.op().cause());
        if (progress == Progress.NOT_STARTED) {
            return c.waitForPass(Progress.TRUST_NEW.step(), "the reconcile step to begin the CA replacement",
                    "Secret " + c.names().clusterCaSecret() + " does not show it begun");
        }
        announce(c, progress);
        Optional<Outcome> rolled = roll.rollNext(c);
        if (rolled.isPresent()) {
            return rolled.get();
        }
        if (progress != Progress.DONE) {
            // every pod restarted for this step: the reconcile step sees that and writes the next
            return c.waitForPass(progress.step(), "the reconcile step to take the CA replacement past " + progress.step(),
                    "every pod restarted for it; Secret " + c.names().clusterCaSecret() + " does not show the next step yet");
        }
        return c.succeed("every node, Coxswain and the cluster's users hold certificates of the new CA" + validity(ca.get(TlsSecrets.CA_CERT))
                + ", and no node trusts the old one; applications trust ca.crt of Secret " + c.names().clusterCaCertSecret());
    }

    /** Records the steps reached as STARTED and those passed as FINISHED, each once. */
    private void announce(DriveContext c, Progress progress) {
        int reached = progress == Progress.DONE ? STEPS.size() : STEPS.indexOf(progress) + 1;
        for (int i = 0; i < reached; i++) {
            Progress step = STEPS.get(i);
            record(c, step, StepState.STARTED, i, started(step));
            if (i < reached - 1 || progress == Progress.DONE) {
                record(c, step, StepState.FINISHED, i + 1, finished(step));
            }
        }
    }

    private void record(DriveContext c, Progress step, StepState state, int done, String reason) {
        String key = c.op().id() + "/" + step.step() + "/" + state;
        if (recorded.contains(key) || c.logged(step.step(), state)) {
            return;
        }
        c.recorder().step(c.op(), step.step(), state, null, reason, done, STEPS.size());
        recorded.add(key);
    }

    private static String started(Progress step) {
        return switch (step) {
            case TRUST_NEW -> "a CA of a new key is trusted beside the old one; the pods roll to load both. Applications must reload the CA bundle"
                    + " before the next step";
            case REISSUE -> "the new CA signs: node, operator and user certificates are re-issued under it and the pods roll again."
                    + " Applications must load their re-issued certificates before the next step ends";
            default -> "the old CA's certificates leave every trust bundle; the pods roll so no node trusts them";
        };
    }

    private static String finished(Progress step) {
        return switch (step) {
            case TRUST_NEW -> "every pod trusts both CAs";
            case REISSUE -> "every pod runs certificates of the new CA";
            default -> "no pod trusts the old CA";
        };
    }

    private static String validity(String certificate) {
        try {
            return " (valid until " + Pem.certificate(certificate).getNotAfter().toInstant() + ")";
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            return "";
        }
    }

    void forget(String operationId) {
        recorded.removeIf(k -> k.startsWith(operationId + "/"));
    }
}
