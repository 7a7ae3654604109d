package io.coxswain.node;

import io.coxswain.gateway.Gateway;
import io.coxswain.gateway.GatewayConfig;
import io.coxswain.gateway.auth.Authenticator;
import io.coxswain.orchestrator.node.CoxswainNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    @Mixin
    NodeOptions options = new NodeOptions();

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Override
    public Integer call() {
        Authenticator auth;
        try {
            auth = RunAuth.resolve(gateway);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("Coxswain refuses to start: " + e.getMessage());
            return 2;
        }
        RunningNode running = new RunningNode();
        try {
            CoxswainNode node = running.startNode(bootstrapServers, stateDir, options, replicationFactor);
            GatewayConfig config = gateway.config("0.0.0.0", auth);
            Gateway gw = running.startGateway(node, config);
            System.out.println(new ReadyLine().put("bootstrap", bootstrapServers).put("http", RunningNode.httpUrl(config, gw)));
            System.out.flush();
        } catch (RuntimeException e) {
            running.stop();
            System.err.println("Coxswain failed to start: " + e.getMessage());
            return 1;
        }
        return running.awaitShutdown();
    }
}
