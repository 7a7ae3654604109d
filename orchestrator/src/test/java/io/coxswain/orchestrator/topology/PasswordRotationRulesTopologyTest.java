package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.RotateUserPassword;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.PasswordRotation;
import io.coxswain.avro.state.UserSpec;
import io.coxswain.commands.AclRules;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DECIDE and FOLD of RotateUserPassword through the real topology: each rotation of a SCRAM user is a
 * new generation in the state, naming the command that asked for it; a certificate user, an unknown
 * user and a malformed name are refused with a reason that says what to do instead.
 */
class PasswordRotationRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @BeforeEach
    void createCluster() {
        acceptedVersion(h.send(h.on("payments").createCluster(CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(1).setBrokers(3)
                .setStorage(StorageRequest.newBuilder().setSize("10Gi").build()).setClientAuthentication(ClientAuthentication.TLS).build())));
        acceptedVersion(h.send(h.on("payments").createUser("py-app", List.of(AclRules.parse("topic:orders:WRITE")), null, "SCRAM-SHA-512")));
        acceptedVersion(h.send(h.on("payments").createUser("tls-app", List.of())));
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void eachRotationIsANewGenerationNamingItsCommandAndOutlivesAclChanges() {
        assertThat(h.state("payments").getUsers().get("py-app").getPasswordRotation()).as("the password it was created with").isNull();

        acceptedVersion(h.send(h.on("payments").commandId("rotate-1").rotateUserPassword("py-app", "pasted into a ticket")));
        PasswordRotation first = h.state("payments").getUsers().get("py-app").getPasswordRotation();
        assertThat(first.getGeneration()).isEqualTo(1);
        assertThat(first.getCommandId()).isEqualTo("rotate-1");
        assertThat(first.getReason()).isEqualTo("pasted into a ticket");
        assertThat(first.getRequestedAt()).isNotNull();

        acceptedVersion(h.send(h.on("payments").updateUserAcls("py-app", List.of(AclRules.parse("topic:orders:READ")))));
        UserSpec afterAcls = h.state("payments").getUsers().get("py-app");
        assertThat(afterAcls.getPasswordRotation()).as("kept through an ACL change").isEqualTo(first);
        assertThat(afterAcls.getAcls()).hasSize(1);

        acceptedVersion(h.send(h.on("payments").commandId("rotate-2").rotateUserPassword("py-app", null)));
        PasswordRotation second = h.state("payments").getUsers().get("py-app").getPasswordRotation();
        assertThat(second.getGeneration()).isEqualTo(2);
        assertThat(second.getCommandId()).isEqualTo("rotate-2");
        assertThat(second.getReason()).isNull();
        assertThat(h.state("payments").getStatus().getOperation()).as("a password touches no pod: no operation").isNull();
        assertThat(h.state("payments").getUsers().get("tls-app").getPasswordRotation()).as("other users untouched").isNull();
    }

    @Test
    void aCertificateUserAnUnknownUserAndAMalformedNameAreRefused() {
        CommandRejected certificate = rejected(h.send(h.on("payments").rotateUserPassword("tls-app", null)));
        assertThat(certificate.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(certificate.getReason()).contains("tls-app", "client certificate", "cannot revoke", "ReplaceClusterCa");

        CommandRejected unknown = rejected(h.send(h.on("payments").rotateUserPassword("nobody", null)));
        assertThat(unknown.getCode()).isEqualTo(RejectionCode.USER_NOT_FOUND);
        assertThat(unknown.getReason()).contains("nobody", "py-app, tls-app");

        Command raw = h.on("payments").resume();
        raw.setPayload(new RotateUserPassword("Not A Name", null)); // straight to the topic, past any client's check
        CommandRejected malformed = rejected(h.send(raw));
        assertThat(malformed.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(malformed.getReason()).contains("payload.name");
        assertThat(h.state("payments").getUsers().values()).allMatch(u -> u.getPasswordRotation() == null);
    }
}
