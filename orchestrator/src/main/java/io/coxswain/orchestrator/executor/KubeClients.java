package io.coxswain.orchestrator.executor;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubernetes clients for the executor: from a kubeconfig file, or configured the usual way. */
public final class KubeClients {

    private KubeClients() {
    }

    /** From an explicit kubeconfig (its current context). */
    public static KubernetesClient fromKubeconfig(Path file) {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(file))).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kubeconfig " + file, e);
        }
    }

    /** In a pod: its service account; elsewhere: {@code KUBECONFIG} or {@code ~/.kube/config}. */
    public static KubernetesClient autoConfigured() {
        return new KubernetesClientBuilder().build();
    }
}
