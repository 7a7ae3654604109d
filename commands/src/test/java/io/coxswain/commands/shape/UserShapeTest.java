package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.AclPatternType;
import io.coxswain.avro.command.AclResourceType;
import io.coxswain.avro.command.ChangeClientAuthentication;
import io.coxswain.avro.command.CreateUser;
import io.coxswain.avro.command.DeleteUser;
import io.coxswain.commands.AclRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The user commands' shape: names that survive as a CN, a principal and a Secret name; ACL rules Kafka can hold. */
class UserShapeTest {

    private static List<String> violations(Object payload) {
        return PayloadViolations.of(payload);
    }

    @Test
    void aClusterMovesBetweenNoneOptionalAndTlsAndUsersApplyOnTheLastTwo() {
        for (String mode : List.of("NONE", "OPTIONAL", "TLS")) {
            assertThat(violations(new ChangeClientAuthentication(mode))).as(mode).isEmpty();
        }
        assertThat(violations(new ChangeClientAuthentication("mtls")))
                .containsExactly("payload.clientAuthentication: must be one of NONE, OPTIONAL, TLS, got 'mtls'");
        assertThat(UserShape.namesClients("OPTIONAL")).isTrue();
        assertThat(UserShape.authenticatesClients("OPTIONAL")).as("a certificate is asked for, not required").isFalse();
        assertThat(UserShape.namesClients("NONE")).isFalse();
        assertThat(UserShape.namesClients("TLS") && UserShape.authenticatesClients("TLS")).isTrue();
    }

    @Test
    void aValidUserPasses() {
        assertThat(violations(new CreateUser("orders-app", List.of(AclRules.parse("topic:orders:prefixed:WRITE,DESCRIBE"),
                AclRules.parse("cluster:kafka-cluster:IDEMPOTENT_WRITE")), null, "TLS"))).isEmpty();
    }

    @Test
    void namesMustBeDnsLabelsOfAtMost64Characters() {
        assertThat(violations(new DeleteUser("Orders_App"))).singleElement().asString().contains("payload.name", "User:<name>");
        assertThat(violations(new DeleteUser("CN=x,O=y"))).hasSize(1);
        assertThat(violations(new DeleteUser("a".repeat(65)))).hasSize(1);
        assertThat(violations(new DeleteUser("a".repeat(64)))).isEmpty();
    }

    @Test
    void badRulesAreNamedByTheirIndex() {
        assertThat(violations(new CreateUser("app", List.of(AclRules.allow(AclResourceType.TOPIC, "orders", AclPatternType.LITERAL, "READ", "PUBLISH")), null, "TLS")))
                .singleElement().asString().contains("payload.acls[0].operations", "'PUBLISH' is not a Kafka ACL operation", "READ, WRITE");
        assertThat(violations(new CreateUser("app", List.of(AclRules.allow(AclResourceType.CLUSTER, "payments", AclPatternType.LITERAL, "ALTER")), null, "TLS")))
                .singleElement().asString().contains("payload.acls[0].name", "kafka-cluster");
        assertThat(violations(new CreateUser("app", List.of(AclRules.allow(AclResourceType.TOPIC, "*", AclPatternType.PREFIXED, "READ")), null, "TLS")))
                .singleElement().asString().contains("payload.acls[0].patternType");
        assertThat(violations(new CreateUser("app", List.of(AclRules.allow(AclResourceType.GROUP, "g", AclPatternType.LITERAL)), null, "TLS")))
                .singleElement().asString().contains("name at least one");
        var rule = AclRules.parse("topic:t:READ");
        assertThat(violations(new CreateUser("app", List.of(rule, rule), null, "TLS"))).singleElement().asString().contains("payload.acls[1]", "repeats");
    }
}
