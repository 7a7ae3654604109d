package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.commands.shape.CommandShape;
import io.coxswain.orchestrator.operations.config.DynamicConfigs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code server.properties} of each Kafka node. The file of a node is complete and literal (one
 * ConfigMap key per pod ordinal), so whatever starts the node, the image's start script or the
 * sandbox's simulated kubelet, reads the same thing; only the pod's zone and host IP, unknown
 * until it is scheduled, are filled in at start ({@code @ZONE@}, {@code @HOST_IP@}).
 */
public final class KafkaProperties {

    public static final String DATA_DIR = "/var/lib/kafka/data";
    public static final String LOG_DIR = DATA_DIR + "/logs";
    public static final String ZONE_PLACEHOLDER = "@ZONE@";

    /**
     * Keys Coxswain owns: a user's brokerConfig cannot change how the nodes find each other. The
     * shape check already refuses them in commands; skipping them here too keeps an old log safe.
     */
    public static final Set<String> RESERVED = CommandShape.MANAGED_BROKER_KEYS;

    private KafkaProperties() {
    }

    /**
     * Properties every node of a role shares. A change here is a reason to restart the role's
     * pods; node counts are deliberately absent, so adding a broker restarts nobody.
     */
    public static Map<String, String> common(ClusterSpec spec, ClusterNames names, KafkaRole role) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", role.processRole());
        p.put("controller.quorum.voters", voters(spec, names));
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", LOG_DIR);
        Map<String, String> tls = KafkaTlsProperties.common(role);
        tls.putAll(KafkaClientAuthProperties.common(spec, names, role)); // nothing for a cluster that authenticates no client
        tls.putAll(KafkaScramProperties.common(spec, role, tls)); // nothing for a cluster without a SCRAM user
        if (role == KafkaRole.CONTROLLER) {
            p.put("listeners", "CONTROLLER://:" + Ports.CONTROLLER);
            p.putAll(tls);
            return p;
        }
        p.put("inter.broker.listener.name", "REPLICATION");
        if (spec.getRackAware()) {
            p.put("broker.rack", ZONE_PLACEHOLDER);
        }
        p.putAll(tls);
        new TreeMap<>(spec.getBrokerConfig()).forEach((k, v) -> {
            // TLS is not optional: a user's key cannot turn a listener back to PLAINTEXT, swap the stores or drop the authorizer
            if (!RESERVED.contains(k) && !tls.containsKey(k)) {
                p.put(k, v);
            }
        });
        return p;
    }

    /** The complete file of one node. */
    public static String forNode(ClusterSpec spec, ClusterNames names, KafkaRole role, int ordinal,
                                 int brokerCount, Optional<ExternalAddress> external) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("node.id", String.valueOf(role.nodeId(ordinal)));
        Map<String, String> common = common(spec, names, role);
        p.putAll(common);
        p.putAll(KafkaTlsProperties.node(names.pod(role, ordinal)));
        String host = names.podHost(role, ordinal);
        // internal topics cannot ask for more replicas than there are brokers; only read when a topic is created
        int internalRf = replicationFactor(brokerCount);
        // a topic created without a count (Connect's and ksqlDB's, auto-created ones) gets this; in KRaft the
        // active controller decides it, so controllers carry it too, and a user's brokerConfig value wins on both
        p.put("default.replication.factor", spec.getBrokerConfig().getOrDefault("default.replication.factor", String.valueOf(internalRf)));
        if (role == KafkaRole.CONTROLLER) {
            p.put("advertised.listeners", "CONTROLLER://" + host + ":" + Ports.CONTROLLER);
        } else {
            StringJoiner listeners = new StringJoiner(",");
            StringJoiner advertised = new StringJoiner(",");
            listen(listeners, advertised, "REPLICATION", Ports.REPLICATION, host + ":" + Ports.REPLICATION);
            listen(listeners, advertised, "CLIENTS", Ports.CLIENTS, host + ":" + Ports.CLIENTS);
            external.ifPresent(a -> listen(listeners, advertised, "EXTERNAL", Ports.EXTERNAL, a.toString()));
            if (spec.getScramListener()) {
                listen(listeners, advertised, KafkaScramProperties.LISTENER, Ports.SCRAM, host + ":" + Ports.SCRAM);
            }
            // like EXTERNAL, left out until Kubernetes assigned its port: a broker never advertises an address nobody answers at
            external.filter(a -> KafkaScramProperties.outside(spec)).flatMap(ExternalAddress::scram)
                    .ifPresent(a -> listen(listeners, advertised, KafkaScramProperties.EXTERNAL_LISTENER, Ports.EXTERNAL_SCRAM, a));
            p.put("listeners", listeners.toString());
            p.put("advertised.listeners", advertised.toString());
            putIfAbsent(p, common, "offsets.topic.replication.factor", String.valueOf(internalRf));
            putIfAbsent(p, common, "transaction.state.log.replication.factor", String.valueOf(internalRf));
            putIfAbsent(p, common, "transaction.state.log.min.isr", String.valueOf(Math.min(2, internalRf)));
        }
        return render(p);
    }

    /**
     * Replicas of the topics Coxswain does not size itself (Kafka's internal topics, and those created
     * without a count): 3, or every broker of a smaller cluster. Without it Kafka's default is 1, and a
     * Connect worker's offsets or a ksqlDB query's state would live on one broker.
     */
    public static int replicationFactor(int brokerCount) {
        return Math.max(1, Math.min(3, brokerCount));
    }

    /** One listener of a broker: bound on {@code port} on every interface, advertised at {@code address} (host:port). */
    private static void listen(StringJoiner listeners, StringJoiner advertised, String name, int port, String address) {
        listeners.add(name + "://:" + port);
        advertised.add(name + "://" + address);
    }

    private static void putIfAbsent(Map<String, String> p, Map<String, String> userSet, String key, String value) {
        if (!userSet.containsKey(key)) {
            p.put(key, value);
        }
    }

    /** Static KRaft voters: the controller count is fixed at creation (1, 3 or 5). */
    public static String voters(ClusterSpec spec, ClusterNames names) {
        return IntStream.range(0, spec.getControllers())
                .mapToObj(i -> KafkaRole.CONTROLLER.nodeId(i) + "@" + names.podHost(KafkaRole.CONTROLLER, i) + ":" + Ports.CONTROLLER)
                .collect(Collectors.joining(","));
    }

    /**
     * The Kafka cluster id used to format storage: derived from the cluster id, so a cluster
     * re-created over kept volumes finds its own data again.
     */
    public static String kafkaClusterId(String clusterId) {
        byte[] digest = sha256("kafka-cluster-id:" + clusterId);
        byte[] uuid = new byte[16];
        System.arraycopy(digest, 0, uuid, 0, 16);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
    }

    /**
     * Short hash of the restart-relevant configuration of a role (its common properties and image).
     * A user's key that Kafka changes without a restart is left out: the operation drivers apply it
     * live, so changing only such keys rolls no pod (the ConfigMap still carries the new value).
     */
    public static String configHash(ClusterSpec spec, ClusterNames names, KafkaRole role) {
        Map<String, String> restartRelevant = new LinkedHashMap<>(common(spec, names, role));
        restartRelevant.keySet().removeIf(k -> spec.getBrokerConfig().containsKey(k) && DynamicConfigs.modeOf(k) != DynamicConfigs.Mode.RESTART);
        return hash(render(restartRelevant) + "\nimage=" + Images.of(spec));
    }

    public static String hash(String text) {
        return HexFormat.of().formatHex(sha256(text), 0, 8);
    }

    static String render(Map<String, String> p) {
        StringBuilder b = new StringBuilder("# Written by Coxswain; edits are replaced on the next reconcile.\n");
        p.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
