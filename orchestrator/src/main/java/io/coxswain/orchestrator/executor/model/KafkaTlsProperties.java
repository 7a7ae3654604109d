package io.coxswain.orchestrator.executor.model;

import io.coxswain.commands.access.AccessNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TLS part of a node's {@code server.properties}: every listener speaks SSL. Nodes authenticate
 * each other (mutual TLS on CONTROLLER and REPLICATION); clients authenticate the brokers only, unless
 * the cluster authenticates clients too ({@link KafkaClientAuthProperties}, clientAuthentication TLS).
 *
 * <p>No key material is written here: values are references, {@code ${dir:<mount>:<file>}}, that
 * Kafka's {@code DirectoryConfigProvider} resolves at start from the files of the mounted
 * {@code <cluster>-kafka-tls} Secret, so the ConfigMap holds paths, never a key or certificate.
 * Given inline this way, an unencrypted PKCS#8 key needs no {@code ssl.key.password}; a PEM
 * <em>file</em> keystore ({@code ssl.keystore.location}) would need key and chain in one file.
 *
 * <p>Host names are not verified between nodes: a per-cluster CA signs only this cluster's nodes,
 * so a certificate that chains to it is the identity check (and the sandbox reaches nodes at 127.0.0.1).
 */
public final class KafkaTlsProperties {

    /** Where the pods mount the node Secret, read-only. */
    public static final String MOUNT = "/etc/kafka/tls";
    /** The files of the Secret the node config names: the CA certificate, and each pod's certificate chain and key. */
    public static final String CA_CERT_FILE = "ca.crt";
    public static final String PROVIDER = "dir";
    public static final String PROVIDER_CLASS = AccessNames.DIRECTORY_PROVIDER;
    /**
     * Kafka (3.8 and later) resolves config providers named in a config file only if they are in this
     * system property's list, when it is set; the pods set it to exactly the one provider they use.
     */
    public static final String AUTOMATIC_PROVIDERS_PROPERTY = "org.apache.kafka.automatic.config.providers";
    static final List<String> MUTUAL = List.of("CONTROLLER", "REPLICATION");
    static final List<String> SERVER_ONLY = List.of("CLIENTS", "EXTERNAL");

    private KafkaTlsProperties() {
    }

    /** Role-wide: protocols, the config provider, who must present a certificate on which listener. */
    static Map<String, String> common(KafkaRole role) {
        Map<String, String> p = new LinkedHashMap<>();
        List<String> listeners = role == KafkaRole.CONTROLLER ? List.of("CONTROLLER") : List.of("CONTROLLER", "REPLICATION", "CLIENTS", "EXTERNAL");
        p.put("listener.security.protocol.map", String.join(",", listeners.stream().map(l -> l + ":SSL").toList()));
        p.put("config.providers", PROVIDER);
        p.put("config.providers." + PROVIDER + ".class", PROVIDER_CLASS);
        // the provider reads nothing outside the Secret's mount
        p.put("config.providers." + PROVIDER + ".param.allowed.paths", MOUNT);
        p.put("ssl.keystore.type", "PEM");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.certificates", reference(CA_CERT_FILE));
        for (String l : listeners) {
            String prefix = "listener.name." + l.toLowerCase(Locale.ROOT) + ".";
            if (MUTUAL.contains(l)) {
                p.put(prefix + "ssl.client.auth", "required");
                p.put(prefix + "ssl.endpoint.identification.algorithm", "");
            } else {
                p.put(prefix + "ssl.client.auth", "none");
            }
        }
        return p;
    }

    /** The node's own certificate and key, the same on every listener (and as a client of the others). */
    static Map<String, String> node(String pod) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ssl.keystore.certificate.chain", reference(certificateFile(pod)));
        p.put("ssl.keystore.key", reference(privateKeyFile(pod)));
        return p;
    }

    public static String certificateFile(String pod) {
        return pod + ".crt";
    }

    /** Unencrypted PKCS#8 PEM. */
    public static String privateKeyFile(String pod) {
        return pod + ".key";
    }

    /** {@code ${dir:/etc/kafka/tls:<file>}}: the content of one file of the mounted Secret. */
    static String reference(String file) {
        return "${" + PROVIDER + ":" + MOUNT + ":" + file + "}";
    }
}
