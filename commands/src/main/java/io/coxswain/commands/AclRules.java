package io.coxswain.commands;

import io.coxswain.avro.command.AclPatternType;
import io.coxswain.avro.command.AclPermission;
import io.coxswain.avro.command.AclResourceType;
import io.coxswain.avro.command.AclRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * ACL rules for the user commands, and their one-line text form, the {@code --acl} argument of
 * {@code cox create-user} and {@code cox update-user-acls}:
 *
 * <pre>
 *   TYPE:NAME[:literal|prefixed]:OPERATION[,OPERATION...][:allow|deny][@HOST]
 *
 *   topic:orders:prefixed:READ,WRITE        ALLOW READ and WRITE on every topic whose name starts with "orders"
 *   group:orders-app:READ                   ALLOW READ on the consumer group "orders-app"
 *   cluster:kafka-cluster:IDEMPOTENT_WRITE  the cluster resource has this one name
 *   topic:payments:ALL:deny@10.0.0.7        DENY everything on "payments" from that host
 * </pre>
 *
 * TYPE is topic, group, cluster or transactional-id; operations are Kafka's AclOperation names
 * (case-insensitive). A NAME holding ':' cannot be written this way: send the JSON form instead.
 */
public final class AclRules {

    private AclRules() {
    }

    /** ALLOW {@code operations} on {@code name} (or every name starting with it, when {@code pattern} is PREFIXED), from any host. */
    public static AclRule allow(AclResourceType type, String name, AclPatternType pattern, String... operations) {
        return new AclRule(type, name, pattern, new ArrayList<>(Arrays.asList(operations)), "*", AclPermission.ALLOW);
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code text} and the form it should take */
    public static AclRule parse(String text) {
        String spec = text.trim();
        String host = "*";
        int at = spec.lastIndexOf('@');
        if (at >= 0) {
            host = spec.substring(at + 1);
            spec = spec.substring(0, at);
        }
        List<String> parts = new ArrayList<>(Arrays.asList(spec.split(":", -1)));
        if (parts.size() < 3 || parts.size() > 5) {
            throw invalid(text, "expected 3 to 5 parts separated by ':'");
        }
        AclResourceType type = resourceType(text, parts.remove(0));
        String name = parts.remove(0);
        AclPatternType pattern = AclPatternType.LITERAL;
        if (isOneOf(parts.get(0), "literal", "prefixed")) {
            pattern = AclPatternType.valueOf(parts.remove(0).toUpperCase(Locale.ROOT));
        }
        if (parts.isEmpty()) {
            throw invalid(text, "no operations");
        }
        List<String> operations = Arrays.stream(parts.remove(0).split(",")).map(s -> s.trim().toUpperCase(Locale.ROOT).replace('-', '_')).toList();
        AclPermission permission = AclPermission.ALLOW;
        if (!parts.isEmpty()) {
            String p = parts.remove(0);
            if (!isOneOf(p, "allow", "deny")) {
                throw invalid(text, "'" + p + "' is neither allow nor deny");
            }
            permission = AclPermission.valueOf(p.toUpperCase(Locale.ROOT));
        }
        if (!parts.isEmpty()) {
            throw invalid(text, "unexpected '" + String.join(":", parts) + "'");
        }
        return new AclRule(type, name, pattern, new ArrayList<>(operations), host, permission);
    }

    /** The text form of a rule, as {@link #parse} reads it; literal, allow and any host are left out. */
    public static String format(String resourceType, String name, String patternType, List<String> operations, String host, String permission) {
        StringBuilder b = new StringBuilder(resourceType.toLowerCase(Locale.ROOT).replace('_', '-')).append(':').append(name);
        if (!"LITERAL".equals(patternType)) {
            b.append(':').append(patternType.toLowerCase(Locale.ROOT));
        }
        b.append(':').append(String.join(",", operations));
        if (!"ALLOW".equals(permission)) {
            b.append(':').append(permission.toLowerCase(Locale.ROOT));
        }
        if (!"*".equals(host)) {
            b.append('@').append(host);
        }
        return b.toString();
    }

    private static AclResourceType resourceType(String text, String type) {
        for (AclResourceType t : AclResourceType.values()) {
            if (t.name().replace('_', '-').equalsIgnoreCase(type) || t.name().equalsIgnoreCase(type)) {
                return t;
            }
        }
        throw invalid(text, "'" + type + "' is not a resource type; use topic, group, cluster or transactional-id");
    }

    private static boolean isOneOf(String s, String a, String b) {
        return s.equalsIgnoreCase(a) || s.equalsIgnoreCase(b);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("ACL '" + text + "': " + why
                + "; write TYPE:NAME[:literal|prefixed]:OPERATION[,OPERATION...][:allow|deny][@HOST], e.g. topic:orders:prefixed:READ,WRITE");
    }
}
