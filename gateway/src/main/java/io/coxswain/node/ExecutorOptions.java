package io.coxswain.node;

import io.coxswain.avro.Topics;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.CommandLogSink;
import io.coxswain.orchestrator.executor.ExecutorConfig;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.operations.drive.DriveSettings;
import io.coxswain.orchestrator.operations.drive.OperationDrivers;
import io.coxswain.orchestrator.executor.KubernetesExecutor;
import io.coxswain.orchestrator.executor.ops.ClusterOperations;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine.Option;

/** Options of the Kubernetes executor, shared by {@code dev} and {@code run}. */
public final class ExecutorOptions {

    @Option(names = "--namespace-template", defaultValue = "{cluster}",
            description = "Namespace of a managed cluster's objects; {cluster} becomes the cluster id (default: ${DEFAULT-VALUE}).")
    String namespaceTemplate;

    @Option(names = "--executor-id", description = "Names this node's executor in the observations it records (default: the host name).")
    String executorId;

    @Option(names = "--resync", defaultValue = "60s", description = "How often every owned cluster is reconciled even without news, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    String resync;

    @Option(names = "--bootstrap-address-template",
            description = "Address published as a cluster's bootstrap servers; {cluster} and {namespace} are replaced (default: the in-cluster bootstrap Service).")
    String bootstrapAddressTemplate;

    @Option(names = "--no-broker-hostname-verification",
            description = "Do not check that a managed cluster's broker certificates name the address Coxswain connects to (the"
                    + " certificates must still be signed by that cluster's CA). Only for clusters reached at addresses their"
                    + " certificates cannot name, such as a port-forward or the sandbox's 127.0.0.1.")
    boolean noBrokerHostnameVerification;

    /** Starts the executor of this node; its consumer group is the node's application id + "-executor". */
    KubernetesExecutor start(String bootstrap, NodeOptions node, KubernetesClient client) {
        return KubernetesExecutor.start(config(bootstrap, node), client, ClusterOperations.none());
    }

    /**
     * Starts the executor with the day-2 operation drivers, which reach each managed cluster at
     * {@code managedBootstrap}; the drivers and their observation sink are added to {@code running}.
     */
    KubernetesExecutor startWithOperations(String bootstrap, NodeOptions node, KubernetesClient client, RunningNode running,
                                           BiFunction<ClusterState, ClusterNames, String> managedBootstrap) {
        ExecutorConfig config = config(bootstrap, node);
        CommandLogSink sink = running.add(new CommandLogSink(config));
        DriveSettings settings = noBrokerHostnameVerification ? DriveSettings.defaults().withoutHostnameVerification() : DriveSettings.defaults();
        OperationDrivers drivers = running.add(new OperationDrivers(client, sink, settings,
                config.model().namespaceTemplate(), managedBootstrap, Map.of()));
        return KubernetesExecutor.start(config, client, drivers);
    }

    private ExecutorConfig config(String bootstrap, NodeOptions node) {
        return ExecutorConfig.defaults(bootstrap, new Topics(node.topicPrefix), observerId())
                .withGroupId(node.applicationId + "-executor")
                .withSchemaRegistryUrl(node.schemaRegistryUrl)
                .withModel(io.coxswain.orchestrator.executor.model.ModelSettings.defaults().withNamespaceTemplate(namespaceTemplate))
                .withResync(Duration.parse("PT" + resync.toUpperCase()))
                .withBootstrapOverride(bootstrapAddressTemplate)
                .withSigner(node.signatures().signer());
    }

    private String observerId() {
        if (executorId != null) {
            return executorId;
        }
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "coxswain";
        }
    }
}
