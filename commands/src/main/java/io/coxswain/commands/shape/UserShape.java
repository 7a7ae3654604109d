package io.coxswain.commands.shape;

import io.coxswain.avro.command.AclPatternType;
import io.coxswain.avro.command.AclResourceType;
import io.coxswain.avro.command.AclRule;
import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.UserQuotas;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shape checks of the user commands (CreateUser, UpdateUserAcls, DeleteUser): the user's name is a
 * principal Kafka and Kubernetes both accept, and each ACL rule is one Kafka's authorizer can hold.
 * What depends on the cluster (does it authenticate clients, does the user exist) is DECIDE's.
 */
public final class UserShape {

    public static final int MAX_NAME_LENGTH = 64;
    /** The principal name of Coxswain's own client of a managed cluster (its certificate's CN): a super user, never a user's name. */
    public static final String OPERATOR_PRINCIPAL = "coxswain-operator";
    public static final int MAX_ACLS = 200;
    /** How long a user's client certificate is valid from its issue; the executor issues them for no longer. */
    public static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(365);
    /**
     * How long a deleted user's name stays retired after its DeleteUser: a certificate issued to it,
     * which cannot be revoked, would otherwise act as the next user of that name. Its validity, and a
     * day for an executor that issued one while the deletion was on its way.
     */
    public static final Duration RETIRED_NAME_HOLD = CERTIFICATE_VALIDITY.plusDays(1);
    /** The only name of the CLUSTER resource Kafka knows. */
    public static final String CLUSTER_RESOURCE_NAME = "kafka-cluster";
    /**
     * Kafka's {@code AclOperation} names an ACL may grant or deny ({@code ANY} and {@code UNKNOWN}
     * only match or report). Written out, not read from the Kafka client, so the rules a replay
     * applies to old commands do not move with a client upgrade.
     */
    public static final List<String> OPERATIONS = List.of("ALL", "READ", "WRITE", "CREATE", "DELETE", "ALTER", "DESCRIBE",
            "CLUSTER_ACTION", "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE", "CREATE_TOKENS", "DESCRIBE_TOKENS");

    private UserShape() {
    }

    /**
     * The way between NONE and TLS for a running cluster: clients may present a certificate, and
     * those that do are named and their ACLs apply; the others connect as ANONYMOUS, which Kafka
     * allows wherever no ACL names the resource. A state value only (ChangeClientAuthentication): a
     * new cluster is created NONE or TLS.
     */
    public static final String OPTIONAL = "OPTIONAL";
    /** What {@code ChangeClientAuthentication.clientAuthentication} may be, in the order a cluster moves through them. */
    public static final List<String> CLIENT_AUTHENTICATIONS = List.of(ClientAuthentication.NONE.name(), OPTIONAL, ClientAuthentication.TLS.name());
    /** A user's own authentication: its client certificate (the default), or a SCRAM-SHA-512 password. */
    public static final String TLS_USER = "TLS";
    public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";
    public static final List<String> USER_AUTHENTICATIONS = List.of(TLS_USER, SCRAM_SHA_512);

    public static boolean isScram(String userAuthentication) {
        return SCRAM_SHA_512.equals(userAuthentication);
    }

    public static void checkAuthentication(String authentication, List<Violation> v) {
        if (!USER_AUTHENTICATIONS.contains(authentication)) {
            v.add(new Violation("payload.authentication", "must be one of " + String.join(", ", USER_AUTHENTICATIONS) + ", got '"
                    + authentication + "'"));
        }
    }

    /**
     * Whether a cluster's {@code clientAuthentication}, as its state keeps it, has its brokers require
     * client certificates (TLS): then a client without one cannot connect, and platform components
     * connect as their users.
     */
    public static boolean authenticatesClients(String clientAuthentication) {
        return ClientAuthentication.TLS.name().equals(clientAuthentication);
    }

    /**
     * Whether clients may be named by a certificate (TLS or OPTIONAL): then users and their ACLs
     * apply (DECIDE) and the nodes run an authorizer (the executor).
     */
    public static boolean namesClients(String clientAuthentication) {
        return authenticatesClients(clientAuthentication) || OPTIONAL.equals(clientAuthentication);
    }

    /**
     * The user's name: a DNS-1123 label of at most {@value #MAX_NAME_LENGTH} characters. It is the
     * certificate's CN, the principal {@code User:<name>} and part of the Secret's name, so it must
     * survive all three unchanged (no commas, equals signs or upper case).
     */
    public static void checkName(String name, List<Violation> v) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || !Names.isDnsLabel(name)) {
            v.add(new Violation("payload.name", "must be a DNS-1123 label of at most " + MAX_NAME_LENGTH + " characters (lower-case letters, digits"
                    + " and '-', starting and ending with a letter or digit): it becomes the principal User:<name>, got '" + name + "'"));
        }
    }

    /**
     * Quotas Kafka accepts: byte rates of at least 1 byte per second, a request share above 0%. A rate
     * is per broker, as Kafka applies it; null quotas, or a null field, set none.
     */
    public static void checkQuotas(UserQuotas quotas, List<Violation> v) {
        if (quotas == null) {
            return;
        }
        checkRate(quotas.getProducerByteRate(), "payload.quotas.producerByteRate", v);
        checkRate(quotas.getConsumerByteRate(), "payload.quotas.consumerByteRate", v);
        Double share = quotas.getRequestPercentage();
        if (share != null && (!Double.isFinite(share) || share <= 0)) {
            v.add(new Violation("payload.quotas.requestPercentage", "must be a percentage of one broker thread above 0 (e.g. 25, or 200 for"
                    + " two threads' worth), got " + share));
        }
    }

    private static void checkRate(Long rate, String field, List<Violation> v) {
        if (rate != null && rate < 1) {
            v.add(new Violation(field, "must be at least 1 byte per second per broker (e.g. 1048576 for 1 MiB/s), got " + rate));
        }
    }

    public static void checkAcls(List<AclRule> acls, List<Violation> v) {
        if (acls.size() > MAX_ACLS) {
            v.add(new Violation("payload.acls", "must hold at most " + MAX_ACLS + " rules, got " + acls.size()));
            return;
        }
        Set<AclRule> seen = new HashSet<>();
        for (int i = 0; i < acls.size(); i++) {
            AclRule rule = acls.get(i);
            String field = "payload.acls[" + i + "]";
            checkRule(rule, field, v);
            if (!seen.add(rule)) {
                v.add(new Violation(field, "repeats an earlier rule; name each rule once"));
            }
        }
    }

    private static void checkRule(AclRule rule, String field, List<Violation> v) {
        String name = rule.getName();
        if (rule.getResourceType() == AclResourceType.CLUSTER) {
            if (!CLUSTER_RESOURCE_NAME.equals(name) || rule.getPatternType() != AclPatternType.LITERAL) {
                v.add(new Violation(field + ".name", "a CLUSTER rule must name the LITERAL resource '" + CLUSTER_RESOURCE_NAME
                        + "', Kafka's only cluster resource, got " + rule.getPatternType() + " '" + name + "'"));
            }
        } else if (name == null || name.isEmpty() || name.length() > 249 || name.chars().anyMatch(Character::isWhitespace)) {
            v.add(new Violation(field + ".name", "must be 1-249 characters without spaces: a " + rule.getResourceType()
                    + " name, a prefix of one (patternType PREFIXED), or * for all, got '" + name + "'"));
        } else if ("*".equals(name) && rule.getPatternType() == AclPatternType.PREFIXED) {
            v.add(new Violation(field + ".patternType", "'*' already means every " + rule.getResourceType() + "; use it with LITERAL"));
        }
        if (rule.getOperations().isEmpty()) {
            v.add(new Violation(field + ".operations", "name at least one of " + String.join(", ", OPERATIONS)));
        }
        for (String op : rule.getOperations()) {
            if (!OPERATIONS.contains(op)) {
                v.add(new Violation(field + ".operations", "'" + op + "' is not a Kafka ACL operation; use " + String.join(", ", OPERATIONS)));
                break;
            }
        }
        if (rule.getOperations().size() != new HashSet<>(rule.getOperations()).size()) {
            v.add(new Violation(field + ".operations", "names an operation twice"));
        }
        String host = rule.getHost();
        if (host == null || host.isEmpty() || host.length() > 255 || host.chars().anyMatch(Character::isWhitespace)) {
            v.add(new Violation(field + ".host", "must be * (any host) or one IP address, got '" + host + "'"));
        }
    }
}
