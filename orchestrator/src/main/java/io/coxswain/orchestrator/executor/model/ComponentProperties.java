package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.avro.state.PlatformComponentSpec;
import io.coxswain.commands.access.AccessNames;
import io.coxswain.commands.shape.PlatformComponent;
import io.coxswain.commands.shape.UserShape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The properties file of a platform component: Coxswain's wiring to the cluster, defaults a user
 * may change, and the user's {@code config}. The file is the same for every pod of the component;
 * the one line that names the pod ({@link ComponentProfile#hostKey}) is appended at start.
 */
public final class ComponentProperties {

    static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
    static final String DIRECTORY_PROVIDER = AccessNames.DIRECTORY_PROVIDER;

    private ComponentProperties() {
    }

    /** The component's entry in the spec; the builders are only asked for components the spec has. */
    public static PlatformComponentSpec specOf(ClusterSpec spec, PlatformComponent component) {
        PlatformComponentSpec c = spec.getComponents().get(component.componentName());
        if (c == null) {
            throw new IllegalArgumentException("the cluster spec has no component " + component.componentName());
        }
        return c;
    }

    /** {@code <image>:<version>}, e.g. {@code confluentinc/cp-schema-registry:8.0.0}. */
    public static String image(ClusterSpec spec, PlatformComponent component) {
        PlatformComponentSpec c = specOf(spec, component);
        return c.getImage() + ":" + c.getVersion();
    }

    /**
     * Everything in the file, in this order: the wiring, the defaults the user did not replace, then
     * the user's other keys. A managed key in the user's config is skipped (the shape check refuses
     * it in commands; an old log must still not cut the component off its cluster).
     */
    public static Map<String, String> of(ClusterSpec spec, ClusterNames names, PlatformComponent component) {
        Map<String, String> user = new TreeMap<>(specOf(spec, component).getConfig());
        user.keySet().removeAll(component.managedKeys());
        Map<String, String> p = new LinkedHashMap<>(managed(spec, names, component));
        defaults(spec, names, component).forEach((k, v) -> p.put(k, user.getOrDefault(k, v)));
        user.forEach(p::putIfAbsent);
        return p;
    }

    /** The file as written to the ConfigMap. */
    public static String render(ClusterSpec spec, ClusterNames names, PlatformComponent component) {
        return KafkaProperties.render(of(spec, names, component));
    }

    /**
     * Hash of what the pods run with: the file and the image. It goes on the pod template, so a
     * change makes a new StatefulSet revision and the pods roll; the replica count is not in it.
     */
    public static String configHash(ClusterSpec spec, ClusterNames names, PlatformComponent component) {
        return KafkaProperties.hash(render(spec, names, component) + "\nimage=" + image(spec, component));
    }

    /** How the component finds its cluster and serves its clients; keys of {@link PlatformComponent#managedKeys()}. */
    static Map<String, String> managed(ClusterSpec spec, ClusterNames names, PlatformComponent component) {
        ComponentProfile profile = ComponentProfile.of(component);
        boolean identified = UserShape.authenticatesClients(spec.getClientAuthentication());
        Map<String, String> p = new LinkedHashMap<>();
        switch (component) {
            case SCHEMA_REGISTRY -> {
                p.put("kafkastore.bootstrap.servers", "SSL://" + names.bootstrapServers());
                p.putAll(clientTls("kafkastore.", identified));
            }
            case REST_PROXY -> {
                p.put("bootstrap.servers", "SSL://" + names.bootstrapServers());
                p.putAll(clientTls("client.", identified));
            }
            case CONNECT -> {
                p.put("bootstrap.servers", names.bootstrapServers());
                // the workers of one Connect cluster find each other by group; one per Kafka cluster
                p.put("group.id", names.component(component));
                // the worker's own clients, then those it makes for connectors, which take only their prefix
                for (String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
                    p.putAll(clientTls(prefix, identified));
                }
            }
            case KSQLDB -> {
                p.put("bootstrap.servers", names.bootstrapServers());
                // prefixes ksqlDB's internal topics: one ksqlDB cluster per Kafka cluster
                p.put("ksql.service.id", names.clusterId() + "_ksqldb_");
                // ksqlDB hands unprefixed client keys to its Streams apps and their clients
                p.putAll(clientTls("", identified));
            }
        }
        p.put("listeners", profile.listener());
        return p;
    }

    /**
     * Kafka client settings, under the component's own prefix, that reach the brokers over TLS and
     * trust only the cluster CA: a PEM file from the mounted {@code <cluster>-cluster-ca-cert} Secret
     * (a PEM truststore takes no password). The client verifies the brokers' host names. Beside a
     * cluster that requires client certificates, the component also presents the certificate of
     * the user of its own name ({@code <cluster>-user-<component>}, key and certificate in one PEM
     * file), so Kafka knows it as {@code User:<component>} and allows what that user's ACLs allow.
     */
    static Map<String, String> clientTls(String prefix, boolean identified) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(prefix + "security.protocol", "SSL");
        p.put(prefix + "ssl.truststore.type", "PEM");
        p.put(prefix + "ssl.truststore.location", ComponentPodTemplate.CLUSTER_CA_MOUNT + "/" + ComponentPodTemplate.CLUSTER_CA_FILE);
        if (identified) {
            p.put(prefix + "ssl.keystore.type", "PEM");
            p.put(prefix + "ssl.keystore.location", ComponentPodTemplate.IDENTITY_MOUNT + "/" + ComponentPodTemplate.IDENTITY_FILE);
        }
        return p;
    }

    /** Coxswain's choices a user may replace: where Connect keeps its state, converters, how it reads mounted Secrets, the schema registry. */
    static Map<String, String> defaults(ClusterSpec spec, ClusterNames names, PlatformComponent component) {
        Map<String, String> p = new LinkedHashMap<>();
        String registry = spec.getComponents().containsKey(PlatformComponent.SCHEMA_REGISTRY.componentName())
                ? ComponentProfile.of(PlatformComponent.SCHEMA_REGISTRY).url(names) : null;
        switch (component) {
            case CONNECT -> {
                String prefix = "_" + names.component(component) + "-";
                for (String store : new String[] {"config", "offset", "status"}) {
                    p.put(store + ".storage.topic", prefix + store + (store.equals("status") ? "" : "s"));
                    // -1: the cluster's default.replication.factor (KafkaProperties sets it), whatever its size
                    p.put(store + ".storage.replication.factor", "-1");
                }
                p.put("key.converter", JSON_CONVERTER);
                p.put("value.converter", JSON_CONVERTER);
                p.put("plugin.path", "/usr/share/java,/usr/share/confluent-hub-components");
                if (!specOf(spec, component).getSecrets().isEmpty() || MirrorSecret.mounted(spec)) {
                    // the Secrets mounted for connectors are read as they are, ${directory:/mnt/secrets/<Secret>:<key>}, and
                    // nothing outside them (not the component's own key under /etc/kafka); the mirrors' Secret is read so too
                    p.put("config.providers", "directory");
                    p.put("config.providers.directory.class", DIRECTORY_PROVIDER);
                    p.put("config.providers.directory.param.allowed.paths", ComponentPodTemplate.USER_SECRETS_MOUNT);
                }
            }
            case REST_PROXY -> {
                if (registry != null) {
                    p.put("schema.registry.url", registry);
                }
            }
            case KSQLDB -> {
                if (registry != null) {
                    p.put("ksql.schema.registry.url", registry);
                }
                // ksqlDB's own defaults are 1 replica for its command topic and its queries' internal topics:
                // one broker's loss would lose every persistent query (its recommended production settings
                // ask for 3 and min.insync.replicas 2)
                int rf = KafkaProperties.replicationFactor(spec.getBrokers());
                p.put("ksql.internal.topic.replicas", String.valueOf(rf));
                p.put("ksql.internal.topic.min.insync.replicas", String.valueOf(Math.min(2, rf)));
                p.put("ksql.streams.replication.factor", String.valueOf(rf));
                p.put("ksql.streams.topic.min.insync.replicas", String.valueOf(Math.min(2, rf)));
            }
            default -> {
            }
        }
        return p;
    }
}
