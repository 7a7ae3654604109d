package io.coxswain.sandbox.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Test classes that share one simulated cluster (pods ready at once) for all their tests, each
 * test in namespaces of its own. Test classes run one after another (one fork, no parallel
 * execution), so the fields are one class's at a time.
 */
abstract class OnSandbox {

    static SandboxKubernetes kube;
    static KubernetesClient client;

    @BeforeAll
    static void startSandbox() {
        kube = SandboxKubernetes.start(0, PodRuntime.readyAtOnce());
        client = kube.client();
    }

    @AfterAll
    static void stopSandbox() {
        kube.close();
    }
}
