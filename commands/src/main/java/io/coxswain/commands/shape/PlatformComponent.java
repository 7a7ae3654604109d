package io.coxswain.commands.shape;

import io.coxswain.commands.access.AccessNames;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The platform components Coxswain runs beside a Kafka cluster, by the name commands and
 * {@code status.components} use. Each names its default image and the properties Coxswain derives
 * from the cluster (its bootstrap servers, the component's listeners and host names): a user
 * setting one of those would cut the component off from its cluster or its peers.
 */
public enum PlatformComponent {
    SCHEMA_REGISTRY("schema-registry", "confluentinc/cp-schema-registry",
            Set.of("listeners", "kafkastore.bootstrap.servers", "host.name")),
    CONNECT("connect", "confluentinc/cp-kafka-connect",
            Set.of("bootstrap.servers", "listeners", "rest.advertised.host.name", "rest.port", "group.id")),
    REST_PROXY("rest-proxy", "confluentinc/cp-kafka-rest",
            Set.of("bootstrap.servers", "listeners", "host.name")),
    KSQLDB("ksqldb", "confluentinc/cp-ksqldb-server",
            Set.of("bootstrap.servers", "listeners", "ksql.advertised.listener", "ksql.service.id"));

    /** Confluent Platform release a component gets when its first SetComponent names none. */
    public static final String DEFAULT_VERSION = "8.0.0";
    public static final int MAX_REPLICAS = 10;

    public static final int MAX_SECRETS = 20;
    private static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** The Secrets of a cluster's CA key, its nodes' keys and Coxswain's client key: {@code <cluster><suffix>}; users' are {@code <cluster>-user-<name>}. */
    private static final List<String> CLUSTER_KEY_SECRETS = List.of("-cluster-ca", "-kafka-tls", "-operator-tls");

    private static final Map<String, PlatformComponent> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(PlatformComponent::componentName, c -> c));

    private final String componentName;
    private final String defaultImage;
    private final Set<String> managedKeys;

    PlatformComponent(String componentName, String defaultImage, Set<String> managedKeys) {
        this.componentName = componentName;
        this.defaultImage = defaultImage;
        this.managedKeys = managedKeys;
    }

    /** The name in commands, in {@code spec.components} and {@code status.components}, and in object names. */
    public String componentName() {
        return componentName;
    }

    public String defaultImage() {
        return defaultImage;
    }

    public Set<String> managedKeys() {
        return managedKeys;
    }

    /**
     * Whether a Confluent Platform release (a component's version, {@code 7.6.1}) is older than {@code major.minor}: what a
     * feature of the component's software needs is decided here, one way. A version this does not read counts as recent
     * (none passes SetComponent; the workers answer for what they lack), one of fewer than two parts as old.
     */
    public static boolean releasedBefore(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            return parts.length < 2 || Integer.parseInt(parts[0]) < major
                    || (Integer.parseInt(parts[0]) == major && Integer.parseInt(parts[1]) < minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Asked per observation folded and per object reconciled: a map, not a scan of {@link #values()}. */
    public static Optional<PlatformComponent> named(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(PlatformComponent::componentName).toList();
    }

    /**
     * The Secrets a SetComponent mounts: Kubernetes Secret names, at most {@link #MAX_SECRETS}, none twice, and none
     * of those that hold keys Coxswain made: code a connector brings runs in these pods, and must never read a
     * CA's key (which signs any identity), the nodes' keys, Coxswain's own or the cluster's users' credentials.
     */
    public static void checkSecrets(String clusterId, List<String> secrets, String field, List<Violation> v) {
        if (secrets.size() > MAX_SECRETS) {
            v.add(new Violation(field, "at most " + MAX_SECRETS + " Secrets, got " + secrets.size()));
            return;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String name : secrets) {
            if (name == null || name.length() > 253 || !SECRET_NAME.matcher(name).matches()) {
                v.add(new Violation(field, "'" + name + "' is not a Kubernetes Secret name (lower-case letters, digits, '-' and '.', at most 253)"));
                return;
            }
            if (!seen.add(name)) {
                v.add(new Violation(field, "'" + name + "' is named twice"));
                return;
            }
            // any cluster's: in a namespace several clusters share, another's CA key signs identities there too
            boolean keys = CLUSTER_KEY_SECRETS.stream().anyMatch(name::endsWith) || name.startsWith(AccessNames.userSecret(clusterId, ""));
            if (keys) {
                v.add(new Violation(field, "'" + name + "' holds keys Coxswain made (a cluster's CA, nodes or operator, or a user's"
                        + " credentials, which would get round its ACLs), which no component may read; name a Secret of your own"));
                return;
            }
        }
    }
}
