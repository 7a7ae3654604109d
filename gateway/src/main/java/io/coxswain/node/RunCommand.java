package io.coxswain.node;

import io.coxswain.gateway.Gateway;
import io.coxswain.gateway.GatewayConfig;
import io.coxswain.orchestrator.executor.KubeClients;
import io.coxswain.orchestrator.executor.KubernetesExecutor;
import io.coxswain.orchestrator.node.CoxswainNode;
import io.coxswain.orchestrator.operations.drive.OperationDrivers;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code coxswain run}: a node against an existing bootstrap Kafka. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a Coxswain node against an existing Kafka.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "The bootstrap Kafka, HOST:PORT[,HOST:PORT...].")
    String bootstrapServers;

    @Option(names = "--state-dir", defaultValue = ".coxswain/streams", description = "Kafka Streams state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--replication-factor", defaultValue = "3", description = "Replication factor of topics Coxswain creates (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--kubeconfig", description = "Kubernetes to manage clusters on; default: in-cluster service account, else KUBECONFIG or ~/.kube/config.")
    Path kubeconfig;

    @Option(names = "--no-executor", description = "Run only the command log (decide/fold), no Kubernetes executor.")
    boolean noExecutor;

    @Mixin
    NodeOptions options = new NodeOptions();

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Mixin
    ExecutorOptions executor = new ExecutorOptions();

    @Override
    public Integer call() {
        GatewayConfig config;
        try {
            config = gateway.config("0.0.0.0", RunAuth.resolve(gateway));
            options.signatures(); // a bad key file or signing option stops the start before anything runs
            executor.check(); // and so does a bad installation default
            FixedPorts.refuseTaken(config.host(), config.port(), "--http-port"); // and a port taken before anything starts
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("Coxswain refuses to start: " + e.getMessage());
            return 2;
        }
        if (config.tls() == null && !RunningNode.loopback(config.host())) {
            System.err.println("Coxswain: the gateway serves plain HTTP on " + config.host() + ", so tokens cross the network in clear;"
                    + " give --tls-cert and --tls-key, or terminate TLS in front of it");
        }
        if (!config.access().enforced()) {
            System.err.println("Coxswain: no --roles-file given, so every caller with a token may issue every command on every cluster");
        }
        RunningNode running = new RunningNode();
        try {
            CoxswainNode node = running.startNode(bootstrapServers, stateDir, options, replicationFactor);
            KubernetesClient client = null;
            CompletableFuture<KubernetesExecutor> executorStart = null;
            if (!noExecutor) {
                client = running.add(kubeconfig != null ? KubeClients.fromKubeconfig(kubeconfig) : KubeClients.autoConfigured());
                KubernetesClient kube = client;
                // the executor needs the node's topics and schemas, not its Streams: it starts while they join and restore
                // (and the gateway starts), so a node restarted after a crash resumes its clusters' operations sooner.
                // In a real cluster Coxswain reaches each managed cluster at the bootstrap address it published
                executorStart = running.startAside("executor", () -> executor.startWithOperations(bootstrapServers, options, kube, running,
                        OperationDrivers.publishedBootstrap(), OperationDrivers.inClusterConnect(), node.registry()));
            }
            CompletableFuture<Gateway> gatewayStart = running.startGateway(node, config);
            running.awaitRunning(node);
            Gateway gw = running.await(gatewayStart);
            ReadyLine ready = new ReadyLine().put("bootstrap", bootstrapServers).put("http", RunningNode.httpUrl(config, gw));
            if (executorStart != null) {
                running.await(executorStart);
                ready.put("kube", client.getMasterUrl().toString());
            }
            System.out.println(ready);
            System.out.flush();
        } catch (RuntimeException e) {
            running.stop();
            System.err.println("Coxswain failed to start: " + e.getMessage());
            return 1;
        }
        return running.awaitShutdown();
    }
}
