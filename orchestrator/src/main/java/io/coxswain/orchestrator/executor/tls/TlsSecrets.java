package io.coxswain.orchestrator.executor.tls;

import io.coxswain.orchestrator.executor.model.ClusterNames;
import io.coxswain.orchestrator.executor.model.KafkaRole;
import io.coxswain.orchestrator.executor.model.KafkaClientAuthProperties;
import io.coxswain.orchestrator.executor.model.KafkaTlsProperties;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The TLS Secrets of a cluster as Kubernetes objects, and the names each node's certificate must
 * carry. Pure: the key material comes in from {@link CertificateIssuer}, so the same material gives
 * the same Secrets. Secrets carry the cluster's labels, so deleting the cluster removes them.
 *
 * <ul>
 *   <li>{@code <cluster>-cluster-ca}: {@code ca.crt}, {@code ca.key}; for the executor only, mounted nowhere;
 *   <li>{@code <cluster>-cluster-ca-cert}: {@code ca.crt}; what applications mount to trust the cluster;
 *   <li>{@code <cluster>-kafka-tls}: {@code <pod>.crt}, {@code <pod>.key} per controller and broker pod, and {@code ca.crt};
 *   <li>{@code <cluster>-operator-tls}: {@code user.crt}, {@code user.key}, {@code ca.crt}; Coxswain's own client identity, for the executor only;
 *   <li>{@code <cluster>-user-<name>}: the same entries, for one user (application identity).
 * </ul>
 */
public final class TlsSecrets {

    public static final String CA_CERT = KafkaTlsProperties.CA_CERT_FILE;
    public static final String CA_KEY = "ca.key";
    /** A SCRAM user's password, and the JAAS line with it (see {@link #scramUser}). */
    public static final String SCRAM_PASSWORD = "password";
    public static final String SCRAM_JAAS = "sasl.jaas.config";
    /** A client Secret's certificate (PEM) and its unencrypted PKCS#8 PEM key. */
    public static final String CLIENT_CERT = "user.crt";
    public static final String CLIENT_KEY = "user.key";
    /**
     * In a user's Secret: {@link #CLIENT_KEY} then {@link #CLIENT_CERT} in one file, what a Kafka client's
     * {@code ssl.keystore.location} reads with {@code ssl.keystore.type=PEM} (a PEM keystore file holds the
     * key and its chain together), so an application mounts the Secret and points at it.
     */
    public static final String CLIENT_KEYSTORE = KafkaClientAuthProperties.USER_KEYSTORE_FILE;
    /**
     * On the node Secret: how many times node certificates were re-issued before expiry, or a CA was
     * added to its trust bundle. It goes into the pods' config hash, so a renewal rolls the pods
     * (Kafka reads its keystore and truststore at start); and onto the pods themselves, so a CA
     * renewal can tell which pods were started since ({@link PodRenewals}).
     */
    public static final String RENEWALS_ANNOTATION = ClusterNames.CERTIFICATE_RENEWALS_ANNOTATION;

    private TlsSecrets() {
    }

    public static String certificateKey(String pod) {
        return KafkaTlsProperties.certificateFile(pod);
    }

    public static String privateKeyKey(String pod) {
        return KafkaTlsProperties.privateKeyFile(pod);
    }

    /** The pod's certificate and key as the node Secret's entries hold them, when both are there. */
    static Optional<KeyMaterial> nodeMaterial(Map<String, String> entries, String pod) {
        String certificate = entries.get(certificateKey(pod));
        String key = entries.get(privateKeyKey(pod));
        return certificate == null || key == null ? Optional.empty() : Optional.of(new KeyMaterial(certificate, key));
    }

    /** The pods the node Secret's entries hold a certificate of: each {@code <pod>.crt} but the CA's {@code ca.crt}. */
    static List<String> podsIn(Map<String, String> entries) {
        return entries.keySet().stream().filter(k -> !k.equals(CA_CERT) && k.equals(certificateKey(podOf(k)))).map(TlsSecrets::podOf).toList();
    }

    /** {@code <pod>.crt} → {@code <pod>}; any other key gives a name whose certificate key differs from it. */
    private static String podOf(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    /**
     * Every pod that needs a node certificate, controllers first, with the names it must carry: its
     * DNS names in the cluster and, for a broker reached from outside by a load balancer, that address.
     *
     * @param externalHosts broker ordinal → host name or IP address clients outside Kubernetes connect to
     */
    public static Map<String, List<String>> nodes(ClusterNames names, int controllers, int brokers, Map<Integer, String> externalHosts) {
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        for (int i = 0; i < controllers; i++) {
            nodes.put(names.pod(KafkaRole.CONTROLLER, i), dnsNames(names, KafkaRole.CONTROLLER, i));
        }
        for (int i = 0; i < brokers; i++) {
            List<String> hostNames = new ArrayList<>(dnsNames(names, KafkaRole.BROKER, i));
            String external = externalHosts.get(i);
            if (external != null && !hostNames.contains(external)) {
                hostNames.add(external);
            }
            nodes.put(names.pod(KafkaRole.BROKER, i), List.copyOf(hostNames));
        }
        return nodes;
    }

    /**
     * The pod's stable names through its headless Service, short and fully qualified; a broker also
     * answers for the bootstrap Service, which clients in the cluster connect to first.
     */
    static List<String> dnsNames(ClusterNames names, KafkaRole role, int ordinal) {
        String host = names.podHost(role, ordinal);
        if (role == KafkaRole.CONTROLLER) {
            return List.of(host, host + ".cluster.local");
        }
        String bootstrap = names.bootstrapService();
        String ns = names.namespace();
        return List.of(host, host + ".cluster.local", bootstrap, bootstrap + "." + ns, bootstrap + "." + ns + ".svc",
                bootstrap + "." + ns + ".svc.cluster.local");
    }

    /** The CA Secret: {@code ca.crt} and {@code ca.key}, and the entries of a CA renewal under way (see {@link CaRenewal}). */
    static Secret ca(ClusterNames names, Map<String, String> entries) {
        return secret(names, names.clusterCaSecret(), entries, Map.of());
    }

    /** @param caCertificate one CA certificate, or while the CA is renewed a PEM bundle of several */
    public static Secret caCertificate(ClusterNames names, String caCertificate) {
        return secret(names, names.clusterCaCertSecret(), Map.of(CA_CERT, caCertificate), Map.of());
    }

    public static Secret nodes(ClusterNames names, String caCertificate, Map<String, KeyMaterial> certificates, int renewals) {
        Map<String, String> data = new TreeMap<>();
        data.put(CA_CERT, caCertificate);
        certificates.forEach((pod, m) -> {
            data.put(certificateKey(pod), m.certificate());
            data.put(privateKeyKey(pod), m.key());
        });
        return secret(names, names.kafkaTlsSecret(), data, renewals == 0 ? Map.of() : Map.of(RENEWALS_ANNOTATION, String.valueOf(renewals)));
    }

    /**
     * A client's Secret ({@link #CLIENT_CERT}, {@link #CLIENT_KEY}, {@link #CA_CERT}): Coxswain's own
     * ({@code <cluster>-operator-tls}), or a user's ({@code <cluster>-user-<name>}, labelled with the user's name, with {@link #CLIENT_KEYSTORE} too).
     *
     * @param user the user's name, or null for Coxswain's own Secret
     */
    public static Secret client(ClusterNames names, String user, String caCertificate, KeyMaterial material) {
        Map<String, String> data = new TreeMap<>(Map.of(CLIENT_CERT, material.certificate(), CLIENT_KEY, material.key(), CA_CERT, caCertificate));
        if (user == null) {
            return secret(names, names.operatorTlsSecret(), data, Map.of());
        }
        data.put(CLIENT_KEYSTORE, keystoreFile(material));
        Secret s = secret(names, names.userSecret(user), data, Map.of());
        s.getMetadata().setLabels(userLabels(names, user));
        return s;
    }

    /**
     * A SCRAM-SHA-512 user's Secret ({@code <cluster>-user-<name>}, labelled like a certificate user's):
     * its {@link #SCRAM_PASSWORD}, the line a Kafka client takes as {@code sasl.jaas.config}
     * ({@link #SCRAM_JAAS}), and the trust bundle it verifies the brokers with ({@link #CA_CERT}).
     *
     * @param password letters and digits only, so the JAAS line needs no escaping
     * @param annotations what the executor notes of the password (its rotation, whether Kafka holds it)
     */
    public static Secret scramUser(ClusterNames names, String user, String caCertificate, String password, Map<String, String> annotations) {
        Map<String, String> data = new TreeMap<>(Map.of(SCRAM_PASSWORD, password, CA_CERT, caCertificate,
                SCRAM_JAAS, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";"));
        Secret s = secret(names, names.userSecret(user), data, annotations);
        s.getMetadata().setLabels(userLabels(names, user));
        return s;
    }

    /** The key, then the certificate, each ending with a line break: a PEM keystore file. */
    static String keystoreFile(KeyMaterial material) {
        String key = material.key().endsWith("\n") ? material.key() : material.key() + "\n";
        String certificate = material.certificate().endsWith("\n") ? material.certificate() : material.certificate() + "\n";
        return key + certificate;
    }

    /** The labels of a user's Secret: the cluster's (deleting the cluster removes it) and the user's name. */
    public static Map<String, String> userLabels(ClusterNames names, String user) {
        Map<String, String> labels = names.labels(ClusterNames.USER_COMPONENT);
        labels.put(ClusterNames.USER_LABEL, user);
        return labels;
    }

    /**
     * Whether {@code secret} is user {@code user}'s Secret of the cluster {@code names} as Coxswain makes it: its name, and every
     * label {@link #userLabels} gives it. A Secret of that name without them was made by someone else (by hand, or by Coxswain for
     * another cluster whose names collide: cluster {@code x-user}'s {@code x-user-kafka-tls} is cluster {@code x}'s user
     * {@code kafka-tls}'s name) and is not Coxswain's to write or to mount as the user's.
     */
    public static boolean isUserSecretOf(Secret secret, ClusterNames names, String user) {
        Map<String, String> labels = secret.getMetadata() == null || secret.getMetadata().getLabels() == null
                ? Map.of() : secret.getMetadata().getLabels();
        return names.userSecret(user).equals(secret.getMetadata().getName()) && labels.entrySet().containsAll(userLabels(names, user).entrySet());
    }

    /**
     * What keys Coxswain made a Secret holds, told by the labels it puts on every Secret it makes ({@link #secret},
     * {@link #userLabels}), whatever the Secret's name: a user's credentials (certificate key or SCRAM password), or a
     * cluster's TLS keys (its CA's, its nodes', Coxswain's own). Empty for a Secret without Coxswain's labels, and for
     * the one Coxswain makes with nothing but the CA certificate in it ({@code <cluster>-cluster-ca-cert}), which is
     * there for applications to trust a cluster by. The words name the cluster and user from the labels, never an entry.
     */
    public static Optional<String> keyMaterialOf(Secret secret) {
        Map<String, String> labels = secret.getMetadata() == null || secret.getMetadata().getLabels() == null
                ? Map.of() : secret.getMetadata().getLabels();
        String user = labels.get(ClusterNames.USER_LABEL);
        if (!ClusterNames.MANAGED_BY_VALUE.equals(labels.get(ClusterNames.MANAGED_BY_LABEL)) && user == null) {
            return Optional.empty();
        }
        String cluster = labels.getOrDefault(ClusterNames.INSTANCE_LABEL, "(unnamed)");
        if (user != null || ClusterNames.USER_COMPONENT.equals(labels.get(ClusterNames.COMPONENT_LABEL))) {
            return Optional.of("the credentials of user " + (user == null ? "(unnamed)" : user) + " of cluster " + cluster);
        }
        boolean caCertificateOnly = secret.getData() != null && secret.getData().keySet().equals(Set.of(CA_CERT))
                && (secret.getStringData() == null || secret.getStringData().isEmpty());
        return caCertificateOnly ? Optional.empty() : Optional.of("TLS keys of cluster " + cluster + " (its CA's, its nodes' or Coxswain's own)");
    }

    /** The certificate and key of a client's Secret, when both are there. */
    public static Optional<KeyMaterial> clientMaterial(Secret secret) {
        Map<String, String> entries = decoded(secret);
        String certificate = entries.get(CLIENT_CERT);
        String key = entries.get(CLIENT_KEY);
        return certificate == null || key == null ? Optional.empty() : Optional.of(new KeyMaterial(certificate, key));
    }

    /** The Secret's entries as text (Secrets hold them base64-encoded in {@code data}). */
    public static Map<String, String> decoded(Secret secret) {
        Map<String, String> out = new TreeMap<>();
        if (secret != null && secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.US_ASCII)));
        }
        return out;
    }

    public static int renewals(Secret secret) {
        return renewals(secret == null ? null : secret.getMetadata().getAnnotations());
    }

    /** The renewal count of the node Secret's, or a pod's, annotations (0 when absent). */
    static int renewals(Map<String, String> annotations) {
        String value = annotations == null ? null : annotations.get(RENEWALS_ANNOTATION);
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0; // edited by hand: counting starts again, the next renewal still changes the hash
        }
    }

    private static Secret secret(ClusterNames names, String name, Map<String, String> data, Map<String, String> annotations) {
        Map<String, String> encoded = new TreeMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
        return new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(names.namespace())
                .withLabels(names.labels(ClusterNames.TLS_COMPONENT)).withAnnotations(annotations.isEmpty() ? null : annotations).endMetadata()
                .withType("Opaque")
                .withData(encoded)
                .build();
    }
}
