package io.coxswain.node;

import io.coxswain.avro.Topics;
import io.coxswain.avro.registry.SchemaRegistry;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.orchestrator.executor.CommandLogSink;
import io.coxswain.orchestrator.executor.ExecutorConfig;
import io.coxswain.commands.shape.ResourceShape;
import io.coxswain.commands.shape.ThrottleShape;
import io.coxswain.commands.shape.Violation;
import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.ImageMirrors;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.model.ModelSettings;
import io.coxswain.orchestrator.operations.drive.DriveSettings;
import io.coxswain.orchestrator.operations.drive.KafkalessOperations;
import io.coxswain.orchestrator.operations.drive.OperationDrivers;
import io.coxswain.orchestrator.executor.KubernetesExecutor;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** Options of the Kubernetes executor, shared by {@code dev} and {@code run}. */
public final class ExecutorOptions {

    /** The keys of a default sizing: those of a cluster's own ({@code CreateCluster.resources.<role>}). */
    private static final List<String> SIZING_FIELDS = List.of("cpuRequest", "cpuLimit", "memory", "heap");

    @Option(names = "--namespace-template", defaultValue = "{cluster}",
            description = "Namespace of a managed cluster's objects; {cluster} becomes the cluster id (default: ${DEFAULT-VALUE}).")
    String namespaceTemplate;

    @Option(names = "--own-namespace", paramLabel = "NS",
            description = "The namespace this node runs in, where no managed cluster is ever reconciled (its gateway tokens and TLS keys"
                    + " are Secrets there); default: the POD_NAMESPACE variable, else the in-cluster service account's namespace, else none"
                    + " (nothing protected, and a warning at start).")
    String ownNamespace;

    /** Where the namespace is read from when the option does not give it: this process's, or a test's. */
    Function<String, String> environment = System::getenv;
    Path serviceAccountNamespace = OwnNamespace.SERVICE_ACCOUNT_FILE;

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

    @Option(names = "--image-mirror", paramLabel = "FROM=TO", split = ",",
            description = "Pull every image whose registry or repository starts with FROM from TO instead, e.g. docker.io=registry.corp.example/hub"
                    + " (images without a registry are docker.io's); repeatable or comma-separated (an empty value adds none), the longest FROM wins. The state keeps the images as asked"
                    + " for: only the pods see the mirror. A change rolls the pods of every cluster to the new image references.")
    List<String> imageMirrors = new java.util.ArrayList<>();

    @Option(names = "--controller-resources", paramLabel = "SIZING",
            description = "Default sizing of the controllers' pods, for clusters that do not size them: cpuRequest=...,memory=...,heap=...[,cpuLimit=...]"
                    + " (default: cpuRequest=250m,memory=1Gi,heap=512m).")
    String controllerResources;

    @Option(names = "--broker-resources", paramLabel = "SIZING",
            description = "Default sizing of the brokers' pods, as --controller-resources (default: cpuRequest=500m,memory=2Gi,heap=1g).")
    String brokerResources;

    @Option(names = "--component-resources", paramLabel = "SIZING",
            description = "Sizing of each platform component's pods (schema registry, Connect, REST Proxy, ksqlDB), as --controller-resources"
                    + " (default: cpuRequest=250m,memory=1Gi,heap=512m).")
    String componentResources;

    @Option(names = "--jmx-exporter-image", paramLabel = "IMAGE",
            description = "Image whose init container gives Kafka pods the Prometheus JMX exporter agent (default: bitnami/jmx-exporter:1.1.0;"
                    + " its jar must be at /opt/bitnami/jmx-exporter/jmx_prometheus_javaagent.jar).")
    String jmxExporterImage;

    @Option(names = "--replication-throttle", paramLabel = "RATE", defaultValue = "50MiB",
            description = "Replication throttle per broker while Coxswain moves data (a scale-out, a scale-in's drain, a replication factor"
                    + " change, a rebalance that names none): bytes per second, or 512KiB, 50MiB, 1GiB; from 1MiB to 10GiB (default: ${DEFAULT-VALUE}).")
    String replicationThrottle;

    @Option(names = "--network-policies", arity = "1", defaultValue = "true", paramLabel = "true|false",
            description = "Whether each managed cluster gets NetworkPolicies that admit to its controllers and its brokers' replication"
                    + " listener only the cluster's own pods and Coxswain's (default: ${DEFAULT-VALUE}). false where the network plugin"
                    + " enforces none or the policies are managed elsewhere: Coxswain then neither makes, reads nor deletes any.")
    boolean networkPolicies = true;

    /** The operation drivers' settings; throws IllegalArgumentException naming the option when the throttle is no rate or out of bounds. */
    DriveSettings drive() {
        long rate = ThrottleShape.parse(replicationThrottle).orElseThrow(() -> new IllegalArgumentException(
                "--replication-throttle must be " + ThrottleShape.FORMS + "; got '" + replicationThrottle + "'"));
        if (!ThrottleShape.within(rate)) {
            throw new IllegalArgumentException("--replication-throttle must be " + ThrottleShape.BOUNDS + "; got '" + replicationThrottle + "'");
        }
        DriveSettings settings = DriveSettings.defaults().withThrottleBytes(rate);
        return noBrokerHostnameVerification ? settings.withoutHostnameVerification() : settings;
    }

    /** Checks every installation default, so a bad one stops the start before anything runs (IllegalArgumentException naming the option). */
    void check() {
        model();
        drive();
    }

    /**
     * What the builders put in every cluster's pods: the installation's defaults, as the options
     * give them. Throws IllegalArgumentException naming the option and the problem, so a bad value
     * stops the start before anything runs.
     */
    ModelSettings model() {
        ModelSettings model = ModelSettings.defaults().withNamespaceTemplate(namespaceTemplate)
                .withImageMirrors(ImageMirrors.parse(imageMirrors))
                .withCoxswainNamespace(OwnNamespace.resolve(ownNamespace, environment, serviceAccountNamespace).orElse(null))
                .withNetworkPolicies(networkPolicies);
        if (jmxExporterImage != null) {
            model = model.withJmxExporterImage(jmxExporterImage);
        }
        model = sized(model, KafkaRole.CONTROLLER, "--controller-resources", controllerResources);
        model = sized(model, KafkaRole.BROKER, "--broker-resources", brokerResources);
        return sized(model, null, "--component-resources", componentResources);
    }

    private static ModelSettings sized(ModelSettings model, KafkaRole role, String option, String value) {
        return value == null ? model : model.withResources(role, ModelSettings.Resources.of(sizing(option, value)));
    }

    /** {@code cpuRequest=500m,memory=2Gi,heap=1g}: the fields of a cluster's own sizing, every one of them checked. */
    static ResourceShape.Sizing sizing(String option, String value) {
        Map<String, String> fields = new java.util.TreeMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part.trim() : part.substring(0, eq).trim();
            if (eq < 0 || !SIZING_FIELDS.contains(key) || fields.put(key, part.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException(option + " takes " + String.join(", ", SIZING_FIELDS)
                        + " each at most once, as KEY=VALUE separated by commas, e.g. cpuRequest=500m,memory=2Gi,heap=1g; got '" + part.trim() + "'");
            }
        }
        ResourceShape.Sizing sizing = new ResourceShape.Sizing(fields.get("cpuRequest"), fields.get("cpuLimit"), fields.get("memory"), fields.get("heap"));
        List<Violation> violations = ResourceShape.checkDefaults(sizing, "");
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(option + " " + value + ": " + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
        return sizing;
    }

    /**
     * Starts the executor of this node for pods that run no Kafka: it drives no operation, and says so for each cluster one
     * waits on ({@link KafkalessOperations}, {@code why} naming the way out). Its consumer group is the node's application id +
     * "-executor". It reads and writes schemas through {@code registry}, its node's, which it leaves open.
     */
    KubernetesExecutor startWithoutKafka(String bootstrap, NodeOptions node, KubernetesClient client, String why, SchemaRegistry registry) {
        return KubernetesExecutor.start(config(bootstrap, node), client, new KafkalessOperations(client, why), registry);
    }

    /**
     * Starts the executor with the day-2 operation drivers, which reach each managed cluster at
     * {@code managedBootstrap} and their Connect REST API at {@code connect}; the drivers and their
     * observation sink are added to {@code running}. The executor and the drivers' sink read and write schemas through
     * {@code registry}, the node's, which they leave open.
     */
    KubernetesExecutor startWithOperations(String bootstrap, NodeOptions node, KubernetesClient client, RunningNode running,
                                           BiFunction<ClusterState, ClusterNames, String> managedBootstrap,
                                           BiFunction<ClusterState, ClusterNames, String> connect, SchemaRegistry registry) {
        ExecutorConfig config = config(bootstrap, node);
        CommandLogSink sink = running.add(new CommandLogSink(config, registry));
        OperationDrivers drivers = running.add(new OperationDrivers(client, sink, drive(),
                config.model().namespaceTemplate(), managedBootstrap, Map.of(), connect));
        return KubernetesExecutor.start(config, client, drivers, registry);
    }

    private ExecutorConfig config(String bootstrap, NodeOptions node) {
        return ExecutorConfig.defaults(bootstrap, new Topics(node.topicPrefix), observerId())
                .withGroupId(node.applicationId + "-executor")
                .withSchemaRegistryUrl(node.schemaRegistryUrl)
                .withModel(model())
                .withResync(Duration.parse("PT" + resync.toUpperCase()))
                .withSessionTimeout(node.sessionTimeout)
                .withBootstrapOverride(bootstrapAddressTemplate)
                .withSignatures(node.signatures());
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
