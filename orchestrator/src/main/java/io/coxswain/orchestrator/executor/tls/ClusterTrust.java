package io.coxswain.orchestrator.executor.tls;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a Kafka client trusts a managed cluster: the CA certificate of {@code <cluster>-cluster-ca-cert},
 * the Secret applications mount. Coxswain's own Admin clients take the same certificate from
 * {@link ClusterTls#caCertificate}, which wrote that Secret, instead of reading it back.
 */
public final class ClusterTrust {

    private ClusterTrust() {
    }

    /** The cluster CA's certificate (PEM) as an application reads it, or empty while the executor has not made it yet. */
    public static Optional<String> caCertificate(KubernetesClient client, ClusterNames names) {
        Secret secret = client.secrets().inNamespace(names.namespace()).withName(names.clusterCaCertSecret()).get();
        return Optional.ofNullable(TlsSecrets.decoded(secret).get(TlsSecrets.CA_CERT)).filter(s -> !s.isBlank());
    }

    /**
     * Client settings for TLS to the brokers' CLIENTS listener, trusting only {@code caCertificate}:
     * one certificate, or during a CA renewal the bundle of both, which Kafka's PEM truststore reads whole.
     *
     * @param verifyHostnames whether the brokers' certificates must name the host connected to; off
     *     only where nodes are reached at addresses their certificates cannot name (the sandbox's 127.0.0.1)
     */
    public static Map<String, Object> clientConfig(String caCertificate, boolean verifyHostnames) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("security.protocol", "SSL");
        config.put("ssl.truststore.type", "PEM");
        config.put("ssl.truststore.certificates", caCertificate);
        if (!verifyHostnames) {
            config.put("ssl.endpoint.identification.algorithm", "");
        }
        return config;
    }

    /**
     * {@link #clientConfig(String, boolean)} presenting Coxswain's own certificate ({@code CN=coxswain-operator}),
     * inline as PEM: a cluster with clientAuthentication TLS requires one, and maps it to a super user;
     * a cluster that authenticates no client ignores it.
     */
    public static Map<String, Object> clientConfig(ClusterAccess access, boolean verifyHostnames) {
        Map<String, Object> config = clientConfig(access.caCertificate(), verifyHostnames);
        config.put("ssl.keystore.type", "PEM");
        config.put("ssl.keystore.certificate.chain", access.operator().certificate());
        config.put("ssl.keystore.key", access.operator().key());
        return config;
    }
}
