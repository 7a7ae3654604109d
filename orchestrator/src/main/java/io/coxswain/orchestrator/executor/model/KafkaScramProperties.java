package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The part of a broker's {@code server.properties} that a cluster with a SCRAM-SHA-512 user adds
 * ({@code spec.scramListener}): a listener of its own, {@value #LISTENER} on {@link Ports#SCRAM},
 * where an application authenticates with its user's password over TLS (SASL_SSL) and is known as
 * {@code User:<name>}, so the users' ACLs and quotas apply as to a certificate user. The brokers
 * present their own certificate there as everywhere. Empty otherwise, so a cluster without SCRAM
 * users keeps its configuration, and its pods' config hash, exactly as before SCRAM existed.
 * Controllers never get it: applications do not talk to them.
 */
public final class KafkaScramProperties {

    public static final String LISTENER = "SCRAM";
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** Credentials live in the cluster's metadata (set with alterUserScramCredentials): the login module needs no options. */
    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required;";

    private KafkaScramProperties() {
    }

    /** @param tls the TLS properties already decided, whose protocol map this extends */
    static Map<String, String> common(ClusterSpec spec, KafkaRole role, Map<String, String> tls) {
        Map<String, String> p = new LinkedHashMap<>();
        if (role != KafkaRole.BROKER || !spec.getScramListener()) {
            return p;
        }
        String prefix = "listener.name." + LISTENER.toLowerCase(Locale.ROOT) + ".";
        p.put("listener.security.protocol.map", tls.get("listener.security.protocol.map") + "," + LISTENER + ":SASL_SSL");
        p.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
        p.put(prefix + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", JAAS);
        // the password authenticates the client: no certificate is asked for on this listener
        p.put(prefix + "ssl.client.auth", "none");
        return p;
    }
}
