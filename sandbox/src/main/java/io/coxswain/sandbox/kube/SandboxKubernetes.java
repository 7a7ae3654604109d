package io.coxswain.sandbox.kube;

import io.coxswain.sandbox.kube.apiserver.SandboxApiServer;
import io.coxswain.sandbox.kube.apps.StatefulSetController;
import io.coxswain.sandbox.kube.kubelet.Kubelet;
import io.coxswain.sandbox.kube.namespaces.NamespaceController;
import io.coxswain.sandbox.kube.storage.StorageClasses;
import io.coxswain.sandbox.kube.storage.VolumeBinder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Kubernetes cluster in this JVM: fabric8's mock API server in CRUD mode on
 * 127.0.0.1 (see {@link SandboxApiServer}), a StatefulSet controller, a volume binder, and one
 * node whose kubelet runs every pod through a {@link PodRuntime}. Clients reach it over HTTP like
 * any cluster, through {@link #client()} or any client given {@link #url()} or {@link #kubeconfig()}.
 */
public final class SandboxKubernetes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxKubernetes.class);
    /** Namespaces every cluster starts with. */
    private static final List<String> INITIAL_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final SandboxApiServer apiServer;
    private final KubernetesClient client;
    private final List<AutoCloseable> components = new ArrayList<>();
    private Kubelet kubelet;

    private SandboxKubernetes(SandboxApiServer apiServer) {
        this.apiServer = apiServer;
        this.client = new KubernetesClientBuilder().withConfig(config(apiServer.url())).build();
    }

    /**
     * Starts the API server on {@code port} (0 = any free port) and the simulated controllers.
     *
     * @param runtime what runs inside pods; {@link PodRuntime#readyAtOnce()} for none
     */
    public static SandboxKubernetes start(int port, PodRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        return start(port, client -> runtime);
    }

    /**
     * As {@link #start(int, PodRuntime)}, for a runtime that itself needs a client of the sandbox
     * (to read the ConfigMaps and Secrets its pods mount, say).
     */
    public static SandboxKubernetes start(int port, Function<KubernetesClient, PodRuntime> runtimeFactory) {
        SandboxApiServer apiServer = SandboxApiServer.start(port);
        SandboxKubernetes kube = new SandboxKubernetes(apiServer);
        try {
            KubernetesClient client = kube.client;
            kube.components.add(new NamespaceController(client));
            kube.createInitialNamespaces();
            kube.kubelet = new Kubelet(client, Objects.requireNonNull(runtimeFactory.apply(client), "runtime"));
            kube.components.add(kube.kubelet);
            StorageClasses.ensureDefault(client);
            kube.components.add(new VolumeBinder(client));
            kube.components.add(new StatefulSetController(client));
        } catch (RuntimeException e) {
            kube.close();
            throw e;
        }
        log.info("Sandbox Kubernetes ready at {}", kube.url());
        return kube;
    }

    /** {@code http://127.0.0.1:PORT} */
    public String url() {
        return apiServer.url();
    }

    public int port() {
        return apiServer.port();
    }

    /** A client of the sandbox, built from an ordinary config, as for any cluster; closed with the sandbox. */
    public KubernetesClient client() {
        return client;
    }

    /** A kubeconfig document for the sandbox (plain HTTP, no credentials), for kubectl or any client. */
    public String kubeconfig() {
        return String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: coxswain-sandbox",
                "  cluster:",
                "    server: " + url(),
                "contexts:",
                "- name: coxswain-sandbox",
                "  context:",
                "    cluster: coxswain-sandbox",
                "    user: coxswain-sandbox",
                "    namespace: default",
                "current-context: coxswain-sandbox",
                "users:",
                "- name: coxswain-sandbox",
                "  user: {}",
                "");
    }

    /** Writes {@link #kubeconfig()} to {@code file}, creating its directory if needed. */
    public Path writeKubeconfig(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            return Files.writeString(file, kubeconfig());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kubeconfig " + file, e);
        }
    }

    /** The kubelet of the sandbox's only node. */
    public Kubelet kubelet() {
        return kubelet;
    }

    /** Shorthand for {@code kubelet().setNeverReady(podName)}: matching pods never become Ready. */
    public void setNeverReady(Predicate<String> podName) {
        kubelet.setNeverReady(podName);
    }

    private static Config config(String url) {
        // Config.empty(): nothing from ~/.kube/config or the environment may leak into the sandbox.
        return new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default")
                .withHttp2Disable(true).build();
    }

    private void createInitialNamespaces() {
        for (String namespace : INITIAL_NAMESPACES) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                    .addToLabels("kubernetes.io/metadata.name", namespace).endMetadata().build()).create();
        }
    }

    /** Stops the controllers (the kubelet stops every pod's runtime), then the API server. */
    @Override
    public void close() {
        for (int i = components.size() - 1; i >= 0; i--) {
            try {
                components.get(i).close();
            } catch (Exception e) {
                log.warn("Sandbox Kubernetes: error stopping {}", components.get(i), e);
            }
        }
        components.clear();
        client.close();
        apiServer.close();
    }
}
