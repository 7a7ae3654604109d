package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Secret {@code <cluster>-mirrors} in the target's namespace: what the cluster's mirrors need to reach their sources
 * and the target over TLS, copied by the executor from the Secrets Coxswain made (each source's CA certificate, a
 * {@code sourceUser}'s certificate and key (apart and in one file), the target's CA certificate and, where the target requires client certificates, its
 * connect user's certificate and key), one key per mirror and file. The connect pods
 * mount it at {@code /mnt/secrets/<cluster>-mirrors}, and the connectors name its files through the workers'
 * {@code directory} provider: no key material enters a connector's configuration or the log.
 */
public final class MirrorSecret {

    /** The component label of the Secret. */
    public static final String COMPONENT = "mirrors";
    public static final String TARGET_CA = "target-ca.crt";
    /** The connect component's own certificate and key (its user {@code connect}), for a target that requires client certificates. */
    public static final String TARGET_USER_CERT = "target-user.crt";
    public static final String TARGET_USER_KEY = "target-user.key";
    /** The keys every mirror of the cluster shares: how they reach the target. */
    public static final List<String> TARGET_KEYS = List.of(TARGET_CA, TARGET_USER_CERT, TARGET_USER_KEY);
    /** A mirror's files: {@code <mirror>.<file>}. */
    public static final String SOURCE_CA = "source-ca.crt";
    public static final String SOURCE_USER_CERT = "source-user.crt";
    public static final String SOURCE_USER_KEY = "source-user.key";
    /**
     * The same user's key and certificate in one PEM file, for the heartbeat connector's producer, which is given a file
     * ({@code ssl.keystore.location}) because the workers' producer settings it overrides name one.
     */
    public static final String SOURCE_USER_KEYSTORE = "source-user.pem";
    static final String VOLUME = "mirrors";
    /**
     * On the connect pod template, and so on its pods: the hash of what the Secret holds ({@link #contentHash}), so any change
     * of the copied material (a mirror's new source or user, a user's Secret made late, a CA replaced, a certificate
     * re-issued) rolls the pods onto it, and the executor knows which pods read it.
     */
    public static final String CONTENT_ANNOTATION = "coxswain.io/mirror-secret";

    /** One key to copy: the {@code key} of Secret {@code secret} in {@code namespace}. */
    public record From(String namespace, String secret, String key) {
    }

    private MirrorSecret() {
    }

    /** {@code <mirror>.<file>}: mirror names are Secret-key safe (letters, digits, '.', '_', '-'). */
    public static String key(String mirror, String file) {
        return mirror + "." + file;
    }

    /** The keys the Secret may hold for a mirror: its source's CA, its sourceUser's certificate and key, alone and together. */
    public static List<String> keysOf(String mirror) {
        return List.of(key(mirror, SOURCE_CA), key(mirror, SOURCE_USER_CERT), key(mirror, SOURCE_USER_KEY), key(mirror, SOURCE_USER_KEYSTORE));
    }

    /** Whether the connect pods mount the Secret: once the cluster has a mirror. */
    public static boolean mounted(ClusterSpec spec) {
        return !spec.getMirrors().isEmpty();
    }

    /**
     * What the Secret holds, hashed (keys and values, in key order): the pods read a certificate when a connector starts and
     * Kubernetes refreshes a mounted Secret late, so only pods started with this content can run the mirrors' connectors.
     */
    public static String contentHash(Map<String, String> data) {
        return KafkaProperties.hash(new java.util.TreeMap<>(data).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n")));
    }

    static Map<String, String> labels(ClusterNames names) {
        return names.labels(COMPONENT);
    }
}
