package io.coxswain.orchestrator.operations.drive;

import io.coxswain.avro.state.AclSpec;
import io.coxswain.avro.state.UserSpec;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A user's ACLs as Kafka holds them: one {@link AclBinding} per rule and operation, for the principal
 * {@code User:<name>}; and what to create and delete to turn the bindings a cluster has into those
 * the state asks for. Pure; {@link UserSync} does the Admin calls.
 */
final class UserAcls {

    /** What must change on the cluster: bindings to create, and bindings to delete (each exactly, never a wider filter). */
    record Diff(List<AclBinding> create, List<AclBinding> delete) {
        boolean isEmpty() {
            return create.isEmpty() && delete.isEmpty();
        }
    }

    private UserAcls() {
    }

    static String principal(String user) {
        return "User:" + user;
    }

    /** The bindings a user's spec asks for; the state's names are Kafka's enum names (the shape check saw to it). */
    static Set<AclBinding> desired(String user, UserSpec spec) {
        Set<AclBinding> bindings = new LinkedHashSet<>();
        for (AclSpec rule : spec.getAcls()) {
            ResourcePattern pattern = new ResourcePattern(ResourceType.valueOf(rule.getResourceType()), rule.getName(),
                    PatternType.valueOf(rule.getPatternType()));
            for (String operation : rule.getOperations()) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry(principal(user), rule.getHost(), AclOperation.valueOf(operation),
                        AclPermissionType.valueOf(rule.getPermission()))));
            }
        }
        return bindings;
    }

    /** @param live the user's bindings on the cluster (those of its principal only) */
    static Diff diff(Set<AclBinding> desired, Collection<AclBinding> live) {
        return new Diff(desired.stream().filter(b -> !live.contains(b)).toList(), live.stream().filter(b -> !desired.contains(b)).toList());
    }

    /** One line per binding, for the recorded reason: what the authorizer will allow or deny. */
    static String describe(Collection<AclBinding> bindings) {
        return String.join("; ", bindings.stream().map(b -> b.entry().permissionType() + " " + b.entry().operation() + " on "
                + b.pattern().resourceType() + " " + b.pattern().patternType() + " '" + b.pattern().name() + "'"
                + ("*".equals(b.entry().host()) ? "" : " from " + b.entry().host())).toList());
    }
}
