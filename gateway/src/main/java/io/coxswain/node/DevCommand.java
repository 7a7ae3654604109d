package io.coxswain.node;

import io.coxswain.gateway.Gateway;
import io.coxswain.gateway.GatewayConfig;
import io.coxswain.gateway.tls.GatewayTls;
import io.coxswain.orchestrator.executor.KubernetesExecutor;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.sandbox.kafka.EmbeddedKafka;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.sandbox.kafkapods.KafkaNodes;
import io.coxswain.sandbox.kafkapods.ManagedClusterPods;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.sandbox.kube.PodRuntime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import io.coxswain.sandbox.kube.SandboxKubernetes;
import io.coxswain.sandbox.tls.DevCertificates;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code coxswain dev}: everything on one machine, on an embedded bootstrap Kafka. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run Coxswain with an embedded single-node KRaft Kafka as its bootstrap Kafka.")
final class DevCommand implements Callable<Integer> {

    /** The namespace Coxswain runs in, as far as the sandbox's executor knows, unless --own-namespace says otherwise. */
    static final String DEV_OWN_NAMESPACE = "coxswain";

    /**
     * Why, with the default --pods=ready, an operation waits for ever and nothing the state asks of a cluster's Kafka or Connect
     * (topics, users, live broker keys, connectors, mirrors, offset resets) is done, and what to do: each cluster is told.
     */
    static final String NO_KAFKA = "this executor was started by coxswain dev --pods=ready, whose pods are only marked Ready and"
            + " run no Kafka node or Connect worker, so there is nothing to restart, drain or move data on, nor any Kafka to create topics,"
            + " users or connectors on. To see it done, restart it as coxswain dev --pods=real (the same --data-dir keeps every"
            + " cluster and command; the sandbox's pods are made anew, running Kafka), or run Coxswain against a real Kubernetes"
            + " cluster (coxswain run)";

    @Option(names = "--data-dir", defaultValue = ".coxswain", description = "Where the embedded Kafka and the node keep their data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "0", description = "Port of the embedded Kafka; 0 picks a free port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--kube-port", defaultValue = "0", description = "Port of the simulated Kubernetes API server; 0 picks a free port (default: ${DEFAULT-VALUE}).")
    int kubePort;

    @Option(names = "--pods", defaultValue = "ready",
            description = "What runs in the sandbox's pods: 'real' starts a real Kafka node per controller and broker pod and "
                    + "drives day-2 operations (rolling upgrades, scaling, topics) against them; 'ready' runs nothing "
                    + "(pods are Ready at once; an operation a change calls for does not run, and cox get says so as Blocked) "
                    + "(default: ${DEFAULT-VALUE}).")
    String pods;

    @Option(names = "--tls", description = "Serve the gateway over HTTPS, with a certificate for localhost from a private CA kept in "
            + "<data-dir>/tls; the ready line names the CA (ca=...) for cox --cacert or COX_CACERT.")
    boolean tls;

    @Mixin
    NodeOptions options = new NodeOptions();

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Mixin
    ExecutorOptions executor = sandboxExecutor();

    /**
     * The sandbox plays an installation by the Helm chart's instructions, Coxswain in namespace {@value #DEV_OWN_NAMESPACE} and
     * clusters kept out of it, whatever the process's environment says (its API server is the sandbox's, not the one this
     * process may run on); {@code --own-namespace} replaces it.
     */
    private static ExecutorOptions sandboxExecutor() {
        ExecutorOptions options = new ExecutorOptions();
        options.ownNamespace = DEV_OWN_NAMESPACE;
        return options;
    }

    @Override
    public Integer call() {
        try {
            options.signatures(); // a bad key file or signing option stops the start before anything runs
            executor.check(); // and so does a bad installation default
            FixedPorts.refuseTaken(gateway.host("127.0.0.1"), gateway.httpPort, "--http-port"); // and a fixed port taken
            FixedPorts.refuseTaken("127.0.0.1", kafkaPort, "--kafka-port");
            FixedPorts.refuseTaken("127.0.0.1", kubePort, "--kube-port");
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("Coxswain refuses to start: " + e.getMessage());
            return 2;
        }
        RunningNode running = new RunningNode();
        String kubeUrl;
        try {
            if (!"real".equals(pods) && !"ready".equals(pods)) {
                throw new IllegalArgumentException("--pods must be 'real' or 'ready', not '" + pods + "'");
            }
            DevAuth auth = DevAuth.resolve(gateway, dataDir);
            GatewayConfig config = gateway.config("127.0.0.1", auth.authenticator());
            DevCertificates certificates = null;
            if (tls) {
                if (config.tls() != null) {
                    throw new IllegalArgumentException("--tls makes its own certificate; drop it, or drop --tls-cert and --tls-key");
                }
                certificates = DevCertificates.ensure(dataDir.resolve("tls"));
                config = config.withTls(GatewayTls.of(certificates.certificate(), certificates.key(), GatewayTls.DEFAULT_RELOAD));
            }
            // The sandbox's API server and controllers need nothing of Kafka: they start on their own thread while this one
            // starts Kafka and the node, instead of after them (most of either is class loading and waiting on round trips)
            AtomicReference<ManagedClusterPods> runtime = new AtomicReference<>();
            CompletableFuture<SandboxKubernetes> sandbox = running.startAside("sandbox-kubernetes", () -> "real".equals(pods)
                    // Kafka pods run Kafka nodes, connect pods Connect workers, in this JVM
                    ? SandboxKubernetes.start(kubePort, client -> {
                        runtime.set(new ManagedClusterPods(client, KafkaNodes.inProcess(), dataDir.resolve("pods")));
                        return runtime.get();
                    })
                    : SandboxKubernetes.start(kubePort, PodRuntime.readyAtOnce()));
            EmbeddedKafka kafka = running.add(EmbeddedKafka.start(dataDir, kafkaPort));
            CoxswainNode node = running.startNode(kafka.bootstrapServers(), dataDir.resolve("streams"), options, (short) 1);
            SandboxKubernetes kube = running.await(sandbox);
            // the executor needs the node's topics and schemas, Kafka and the sandbox, the gateway the node's topics and
            // schemas: each starts while the other does and the node's Streams join and restore
            CompletableFuture<Gateway> gatewayStart = running.startGateway(node, config);
            CompletableFuture<KubernetesExecutor> executorStart;
            if ("real".equals(pods)) {
                // the drivers reach each cluster's brokers at their real local ports, not the in-cluster Service
                // name, so the certificates cannot name them: they still must be signed by the cluster's CA
                executor.noBrokerHostnameVerification = true;
                executorStart = running.startAside("executor", () -> executor.startWithOperations(kafka.bootstrapServers(), options,
                        kube.client(), running,
                        (state, names) -> runtime.get().bootstrapServers(names.namespace(), names.statefulSet(KafkaRole.BROKER),
                                Math.max(1, Math.min(3, state.getSpec().getBrokers())), "CLIENTS"),
                        (state, names) -> runtime.get().connectUrl(names.namespace(), names.component(PlatformComponent.CONNECT)),
                        node.registry()));
            } else {
                executorStart = running.startAside("executor", () -> executor.startWithoutKafka(kafka.bootstrapServers(), options,
                        kube.client(), NO_KAFKA, node.registry()));
            }
            kubeUrl = kube.url();
            running.awaitRunning(node);
            Gateway gw = running.await(gatewayStart);
            running.await(executorStart);
            ReadyLine ready = new ReadyLine().put("bootstrap", kafka.bootstrapServers())
                    .put("http", RunningNode.httpUrl(config, gw)).put("kube", kubeUrl);
            if (certificates != null) {
                ready.put("ca", certificates.ca().toString());
            }
            if (auth.token() != null) {
                ready.put("token", auth.token());
            }
            System.out.println(ready);
            System.out.flush();
        } catch (RuntimeException | java.io.IOException e) {
            running.stop();
            System.err.println("Coxswain failed to start: " + e.getMessage());
            return 1;
        }
        return running.awaitShutdown();
    }
}
