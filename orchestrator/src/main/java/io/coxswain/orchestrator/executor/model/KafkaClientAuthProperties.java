package io.coxswain.orchestrator.executor.model;

import io.coxswain.avro.state.ClusterSpec;
import io.coxswain.commands.shape.CommandShape;
import io.coxswain.commands.shape.UserShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The part of a node's {@code server.properties} that a cluster with clientAuthentication TLS adds:
 * applications present a certificate on the CLIENTS and EXTERNAL listeners too, the certificate's
 * CN becomes the principal, and Kafka's StandardAuthorizer applies the users' ACLs; a cluster with
 * OPTIONAL asks for the certificate without requiring it (the way from NONE to TLS). Empty for a
 * cluster with clientAuthentication NONE, so such a cluster's configuration, and its pods' config
 * hash, stay exactly what they were before users existed.
 *
 * <p>Every certificate the cluster CA signs has the subject {@code O=coxswain, CN=<name>}, which
 * Kafka reads (RFC 2253, last RDN first) as {@code CN=<name>,O=coxswain}; {@link #PRINCIPAL_MAPPING_RULES}
 * maps it to {@code User:<name>}: a node to its pod's name, Coxswain's Admin client to
 * {@value #OPERATOR_PRINCIPAL}, a user to its name.
 */
public final class KafkaClientAuthProperties {

    public static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    /** The CN of Coxswain's own client certificate, and so its principal's name. */
    public static final String OPERATOR_PRINCIPAL = UserShape.OPERATOR_PRINCIPAL;
    /** {@code CN=<name>,O=coxswain} → {@code <name>}; any other subject keeps its full DN, which no ACL or super user names. */
    /**
     * In a user's Secret: its key then its certificate in one PEM file, what a Kafka client's
     * {@code ssl.keystore.location} reads with {@code ssl.keystore.type=PEM}; the platform components
     * of such a cluster read their user's this way too.
     */
    public static final String USER_KEYSTORE_FILE = "user.pem";
    public static final String PRINCIPAL_MAPPING_RULES = "RULE:^CN=([a-z0-9]([-a-z0-9]*[a-z0-9])?),O=coxswain$/$1/,DEFAULT";

    private KafkaClientAuthProperties() {
    }

    /**
     * Role-wide properties; empty unless the cluster names clients. OPTIONAL asks for a certificate
     * without requiring one ({@code requested}): a client that presents one is its user, one that does
     * not is ANONYMOUS, which Kafka lets through wherever no ACL names the resource
     * ({@code allow.everyone.if.no.acl.found}), so nothing that worked under NONE stops until an ACL
     * says so. TLS requires a certificate and denies what no ACL allows.
     */
    static Map<String, String> common(ClusterSpec spec, ClusterNames names, KafkaRole role) {
        Map<String, String> p = new LinkedHashMap<>();
        if (!UserShape.namesClients(spec.getClientAuthentication())) {
            return p;
        }
        boolean required = UserShape.authenticatesClients(spec.getClientAuthentication());
        if (role == KafkaRole.BROKER) {
            for (String listener : KafkaTlsProperties.SERVER_ONLY) {
                p.put("listener.name." + listener.toLowerCase(Locale.ROOT) + ".ssl.client.auth", required ? "required" : "requested");
            }
        }
        p.put("ssl.principal.mapping.rules", PRINCIPAL_MAPPING_RULES);
        p.put("authorizer.class.name", AUTHORIZER);
        p.put("allow.everyone.if.no.acl.found", String.valueOf(!required));
        p.put("super.users", String.join(";", superUsers(spec, names)));
        return p;
    }

    /**
     * Coxswain's own principals: every controller pod, every broker pod the cluster can ever run
     * (up to {@link CommandShape#MAX_BROKERS}), and the operator. Every possible broker, not the
     * current count: the list is part of the config hash, and a scale-out must roll nobody, yet the
     * running brokers must let a new broker replicate from them at once.
     */
    static List<String> superUsers(ClusterSpec spec, ClusterNames names) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < spec.getControllers(); i++) {
            users.add("User:" + names.pod(KafkaRole.CONTROLLER, i));
        }
        for (int i = 0; i < CommandShape.MAX_BROKERS; i++) {
            users.add("User:" + names.pod(KafkaRole.BROKER, i));
        }
        users.add("User:" + OPERATOR_PRINCIPAL);
        return users;
    }
}
