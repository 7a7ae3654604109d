package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.state.AclSpec;
import io.coxswain.avro.state.UserSpec;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** A user's rules as Kafka bindings, and the exact bindings to create and delete; what Kafka makes of them is the end-to-end test's. */
class UserAclsTest {

    private static final UserSpec ORDERS = new UserSpec(List.of(
            new AclSpec("TOPIC", "orders", "PREFIXED", List.of("DESCRIBE", "WRITE"), "*", "ALLOW"),
            new AclSpec("CLUSTER", "kafka-cluster", "LITERAL", List.of("IDEMPOTENT_WRITE"), "*", "ALLOW"),
            new AclSpec("TRANSACTIONAL_ID", "tx", "LITERAL", List.of("ALL"), "10.0.0.7", "DENY")), null, "TLS", null, null);

    @Test
    void eachRuleAndOperationIsOneBindingOfTheUsersPrincipal() {
        Set<AclBinding> bindings = UserAcls.desired("orders-app", ORDERS);
        assertThat(bindings).hasSize(4).allSatisfy(b -> assertThat(b.entry().principal()).isEqualTo("User:orders-app"));
        assertThat(bindings).contains(binding(ResourceType.TOPIC, "orders", PatternType.PREFIXED, AclOperation.WRITE, "*", AclPermissionType.ALLOW),
                binding(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE, "*", AclPermissionType.ALLOW),
                binding(ResourceType.TRANSACTIONAL_ID, "tx", PatternType.LITERAL, AclOperation.ALL, "10.0.0.7", AclPermissionType.DENY));
        assertThat(bindings).allSatisfy(b -> assertThat(b.isUnknown()).isFalse());
    }

    @Test
    void theDiffCreatesWhatIsMissingDeletesWhatIsExtraAndLeavesTheRest() {
        AclBinding write = binding(ResourceType.TOPIC, "orders", PatternType.PREFIXED, AclOperation.WRITE, "*", AclPermissionType.ALLOW);
        AclBinding readByHand = binding(ResourceType.TOPIC, "payments", PatternType.LITERAL, AclOperation.READ, "*", AclPermissionType.ALLOW);
        UserAcls.Diff diff = UserAcls.diff(UserAcls.desired("orders-app", ORDERS), List.of(write, readByHand));
        assertThat(diff.create()).hasSize(3).doesNotContain(write);
        assertThat(diff.delete()).containsExactly(readByHand);
        assertThat(UserAcls.diff(UserAcls.desired("orders-app", ORDERS), List.copyOf(UserAcls.desired("orders-app", ORDERS))).isEmpty()).isTrue();
        assertThat(UserAcls.describe(List.of(write))).isEqualTo("ALLOW WRITE on TOPIC PREFIXED 'orders'");
    }

    private static AclBinding binding(ResourceType type, String name, PatternType pattern, AclOperation op, String host, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry("User:orders-app", host, op, permission));
    }
}
