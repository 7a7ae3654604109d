package io.coxswain.commands.access;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Kafka client inside Kubernetes sets to reach a managed cluster: one answer per way in, kept beside the facts
 * that decide it (every listener speaks TLS with the cluster CA's certificates; a certificate user presents
 * {@code user.pem}; a SCRAM-SHA-512 user logs in on the SCRAM listener's port). The credentials stay in the Secret the
 * application mounts: the properties only name its files, so the output can be pasted into a ConfigMap or a ticket
 * without leaking a key or a password.
 */
public final class ClientProperties {

    /** How the application proves who it is. */
    public enum Access {
        /** No identity: the cluster authenticates its brokers only (clientAuthentication NONE, or OPTIONAL without a user). */
        TRUST_ONLY,
        /** A certificate user: the Secret's user.pem (key and certificate in one file). */
        CERTIFICATE,
        /** A SCRAM-SHA-512 user: the Secret's sasl.jaas.config, on the SCRAM listener. */
        SCRAM
    }

    private ClientProperties() {
    }

    /**
     * @param bootstrap the cluster's bootstrap address for the CLIENTS listener ({@code status.bootstrapServers})
     * @param dir       where the application mounts the Secret (the user's, or for {@link Access#TRUST_ONLY} the cluster's
     *                  {@code <cluster>-cluster-ca-cert}); every file named is under it
     * @return the properties in the order a person reads them
     */
    public static Map<String, String> of(Access access, String bootstrap, String dir) {
        String base = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", access == Access.SCRAM ? onScramPort(bootstrap) : bootstrap);
        p.put("security.protocol", access == Access.SCRAM ? "SASL_SSL" : "SSL");
        if (access == Access.SCRAM) {
            p.put("sasl.mechanism", "SCRAM-SHA-512");
            // read from the mounted file, so that a rotated password reaches the application when it next starts
            p.put("config.providers", "secret");
            p.put("config.providers.secret.class", AccessNames.DIRECTORY_PROVIDER);
            p.put("sasl.jaas.config", "${secret:" + base + ":sasl.jaas.config}");
        } else if (access == Access.CERTIFICATE) {
            p.put("ssl.keystore.type", "PEM");
            p.put("ssl.keystore.location", base + "/user.pem");
        }
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", base + "/ca.crt");
        return p;
    }

    /** The same hosts on the SCRAM listener's port: every bootstrap address the cluster publishes ends in the CLIENTS port. */
    static String onScramPort(String bootstrap) {
        StringBuilder out = new StringBuilder();
        for (String address : bootstrap.split(",")) {
            int colon = address.lastIndexOf(':');
            if (colon < 0 || !address.substring(colon + 1).trim().equals(String.valueOf(AccessNames.CLIENTS_PORT))) {
                throw new IllegalArgumentException("bootstrap address '" + address.trim() + "' is not on the clients port "
                        + AccessNames.CLIENTS_PORT + ": its SCRAM port cannot be told");
            }
            out.append(out.length() == 0 ? "" : ",").append(address.trim(), 0, address.trim().lastIndexOf(':') + 1).append(AccessNames.SCRAM_PORT);
        }
        return out.toString();
    }

    /** As a properties file's lines. */
    public static String text(Map<String, String> properties) {
        StringBuilder out = new StringBuilder();
        properties.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }
}
