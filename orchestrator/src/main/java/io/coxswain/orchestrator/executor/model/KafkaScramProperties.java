package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The part of a broker's {@code server.properties} that a cluster with a SCRAM-SHA-512 user adds
 * ({@code spec.scramListener}): a listener of its own, {@value #LISTENER} on {@link Ports#SCRAM},
 * where an application authenticates with its user's password over TLS (SASL_SSL) and is known as
 * {@code User:<name>}, so the users' ACLs and quotas apply as to a certificate user. The brokers
 * present their own certificate there as everywhere. Empty otherwise, so a cluster without SCRAM
 * users keeps its configuration, and its pods' config hash, exactly as before SCRAM existed.
 * Controllers never get it: applications do not talk to them.
 *
 * <p>A cluster with external access too gets a second such listener, {@value #EXTERNAL_LISTENER} on
 * {@link Ports#EXTERNAL_SCRAM}, for applications outside Kubernetes: the same settings, reached through
 * the per-broker external Services beside EXTERNAL. A cluster without external access keeps its files
 * as they were before it existed.
 */
public final class KafkaScramProperties {

    public static final String LISTENER = "SCRAM";
    public static final String EXTERNAL_LISTENER = "EXTERNAL_SCRAM";
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** Credentials live in the cluster's metadata (set with alterUserScramCredentials): the login module needs no options. */
    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required;";

    private KafkaScramProperties() {
    }

    /** Whether the brokers take SCRAM clients from outside Kubernetes as well: the cluster has a SCRAM user and external access. */
    public static boolean outside(ClusterSpec spec) {
        return spec.getScramListener() && KafkaServices.externalType(spec.getExternalAccess()) != null;
    }

    /**
     * @param tls the TLS properties already decided, whose protocol map this extends. Both listeners are
     *     declared role-wide (and so in the config hash) while the spec asks for them; whether the brokers
     *     bind and advertise the external one is {@link KafkaProperties#forNode}'s, once its port is observed
     */
    static Map<String, String> common(ClusterSpec spec, KafkaRole role, Map<String, String> tls) {
        Map<String, String> p = new LinkedHashMap<>();
        if (role != KafkaRole.BROKER || !spec.getScramListener()) {
            return p;
        }
        List<String> listeners = outside(spec) ? List.of(LISTENER, EXTERNAL_LISTENER) : List.of(LISTENER);
        p.put("listener.security.protocol.map", tls.get("listener.security.protocol.map")
                + listeners.stream().map(l -> "," + l + ":SASL_SSL").collect(Collectors.joining()));
        for (String listener : listeners) {
            String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
            p.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
            p.put(prefix + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", JAAS);
            // the password authenticates the client: no certificate is asked for on this listener
            p.put(prefix + "ssl.client.auth", "none");
        }
        return p;
    }
}
