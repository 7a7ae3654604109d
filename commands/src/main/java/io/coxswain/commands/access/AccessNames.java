package io.coxswain.commands.access;

/**
 * What an application outside Coxswain relies on to reach a managed cluster, defined once: the ports its listeners answer
 * on inside Kubernetes and the Secrets it mounts. The executor builds the pods and Secrets from these (Ports,
 * ClusterNames), and {@code cox client-config} prints them, so the two cannot drift apart.
 */
public final class AccessNames {

    /** The CLIENTS listener: TLS, with a client certificate where the cluster asks for one. */
    public static final int CLIENTS_PORT = 9092;
    /** The SCRAM listener (SASL_SSL, SCRAM-SHA-512), while the cluster has a SCRAM-SHA-512 user. */
    public static final int SCRAM_PORT = 9095;
    /** Kafka's provider for the files of a mounted Secret: each key a file, read when the client starts. */
    public static final String DIRECTORY_PROVIDER = "org.apache.kafka.common.config.provider.DirectoryConfigProvider";

    private AccessNames() {
    }

    /** What stands between the cluster and the user in a user Secret's name: {@code <cluster>-user-<name>}. */
    public static final String USER_SECRET_INFIX = "-user-";

    /** The Secret of a user's credentials and the cluster's trust bundle. */
    public static String userSecret(String clusterId, String user) {
        return clusterId + USER_SECRET_INFIX + user;
    }

    /** The Secret of the cluster CA's certificate ({@code ca.crt}), for clients that only trust the cluster. */
    public static String caCertSecret(String clusterId) {
        return clusterId + "-cluster-ca-cert";
    }
}
