package io.coxswain.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The namespace this node runs in, which the executor keeps every managed cluster out of (its gateway tokens and TLS keys are
 * Secrets there). Known from, first to last: {@code --own-namespace}, the downward API's {@code POD_NAMESPACE} (the Helm chart
 * and deploy/kubernetes set it), the service account's namespace file Kubernetes mounts into a pod.
 */
final class OwnNamespace {

    static final String ENV = "POD_NAMESPACE";
    static final Path SERVICE_ACCOUNT_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    private OwnNamespace() {
    }

    /** The namespace; empty when none of the three says. */
    static Optional<String> resolve(String option, Function<String, String> env, Path serviceAccountFile) {
        if (option != null && !option.isBlank()) {
            return Optional.of(option.trim());
        }
        String fromEnv = env.apply(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.trim());
        }
        if (Files.isReadable(serviceAccountFile)) {
            try {
                String fromFile = Files.readString(serviceAccountFile).trim();
                if (!fromFile.isEmpty()) {
                    return Optional.of(fromFile);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + serviceAccountFile + " (the namespace this node runs in): " + e.getMessage()
                        + "; give --own-namespace", e);
            }
        }
        return Optional.empty();
    }
}
