package io.coxswain.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.AclPatternType;
import io.coxswain.avro.command.AclPermission;
import io.coxswain.avro.command.AclResourceType;
import io.coxswain.avro.command.AclRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-line ACL form of {@code cox create-user --acl}: what it reads, what it refuses, and that it reads back what it writes. */
class AclRulesTest {

    @Test
    void readsTheShortAndTheFullForm() {
        assertThat(AclRules.parse("topic:orders:prefixed:READ,write")).isEqualTo(
                new AclRule(AclResourceType.TOPIC, "orders", AclPatternType.PREFIXED, List.of("READ", "WRITE"), "*", AclPermission.ALLOW));
        assertThat(AclRules.parse("group:orders-app:READ")).isEqualTo(AclRules.allow(AclResourceType.GROUP, "orders-app", AclPatternType.LITERAL, "READ"));
        assertThat(AclRules.parse("transactional-id:tx:literal:WRITE,describe:deny@10.0.0.7")).isEqualTo(
                new AclRule(AclResourceType.TRANSACTIONAL_ID, "tx", AclPatternType.LITERAL, List.of("WRITE", "DESCRIBE"), "10.0.0.7", AclPermission.DENY));
        assertThat(AclRules.parse("cluster:kafka-cluster:idempotent-write").getOperations()).containsExactly("IDEMPOTENT_WRITE");
    }

    @Test
    void refusesWhatItCannotReadNamingTheForm() {
        assertThatThrownBy(() -> AclRules.parse("topic:orders")).hasMessageContaining("3 to 5 parts").hasMessageContaining("TYPE:NAME");
        assertThatThrownBy(() -> AclRules.parse("queue:orders:READ")).hasMessageContaining("'queue' is not a resource type");
        assertThatThrownBy(() -> AclRules.parse("topic:orders:READ:maybe")).hasMessageContaining("neither allow nor deny");
        assertThatThrownBy(() -> AclRules.parse("topic:orders:prefixed")).hasMessageContaining("no operations");
    }

    @Test
    void formatReadsBack() {
        for (String text : List.of("topic:orders:prefixed:READ,WRITE", "group:g:READ", "topic:p:ALL:deny@10.0.0.7", "transactional-id:tx:WRITE")) {
            AclRule r = AclRules.parse(text);
            assertThat(AclRules.format(r.getResourceType().name(), r.getName(), r.getPatternType().name(), r.getOperations(), r.getHost(),
                    r.getPermission().name())).isEqualTo(text);
        }
    }
}
