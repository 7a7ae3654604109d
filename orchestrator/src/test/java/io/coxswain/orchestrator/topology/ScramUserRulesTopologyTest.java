package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.CreateUser;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.commands.AclRules;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DECIDE and FOLD of SCRAM-SHA-512 users, through the real topology: kept with their authentication,
 * the brokers' SCRAM listener asked for while one exists, and a deleted one's name free at once.
 */
class ScramUserRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private void create(String cluster, ClientAuthentication auth) {
        acceptedVersion(h.send(h.on(cluster).createCluster(CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(1).setBrokers(3)
                .setStorage(StorageRequest.newBuilder().setSize("10Gi").build()).setClientAuthentication(auth).build())));
    }

    @Test
    void aScramUserOpensTheListenerUntilTheLastOneGoesAndLeavesNoRetiredName() {
        create("payments", ClientAuthentication.TLS);
        acceptedVersion(h.send(h.on("payments").createUser("tls-app", List.of(AclRules.parse("topic:orders:READ")))));
        assertThat(h.state("payments").getUsers().get("tls-app").getAuthentication()).as("the default").isEqualTo("TLS");
        assertThat(h.state("payments").getSpec().getScramListener()).isFalse();

        acceptedVersion(h.send(h.on("payments").createUser("py-app", List.of(AclRules.parse("topic:orders:WRITE")), null, "SCRAM-SHA-512")));
        assertThat(h.state("payments").getUsers().get("py-app").getAuthentication()).isEqualTo("SCRAM-SHA-512");
        assertThat(h.state("payments").getSpec().getScramListener()).as("the brokers listen for SCRAM clients").isTrue();
        acceptedVersion(h.send(h.on("payments").updateUserAcls("py-app", List.of(AclRules.parse("topic:orders:READ")))));
        assertThat(h.state("payments").getUsers().get("py-app").getAuthentication()).as("kept through an ACL change").isEqualTo("SCRAM-SHA-512");

        acceptedVersion(h.send(h.on("payments").deleteUser("py-app")));
        assertThat(h.state("payments").getSpec().getScramListener()).as("no SCRAM user left").isFalse();
        assertThat(h.state("payments").getRetiredUsers()).as("a password is gone with its user; no certificate outlives it").doesNotContainKey("py-app");
        acceptedVersion(h.send(h.on("payments").createUser("py-app", List.of(), null, "SCRAM-SHA-512")));
        acceptedVersion(h.send(h.on("payments").deleteUser("tls-app")));
        assertThat(h.state("payments").getRetiredUsers()).containsKey("tls-app");
    }

    @Test
    void aComponentsNameANameClientsAndAnUnknownMechanismAreRefused() {
        create("payments", ClientAuthentication.TLS);
        CommandRejected component = rejected(h.send(h.on("payments").createUser("connect", List.of(), null, "SCRAM-SHA-512")));
        assertThat(component.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(component.getReason()).contains("platform component connect", "authentication TLS");

        Command raw = h.on("payments").resume();
        raw.setPayload(new CreateUser("py-app", List.of(), null, "PLAIN")); // straight to the topic, past any client's check
        CommandRejected plain = rejected(h.send(raw));
        assertThat(plain.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(plain.getReason()).contains("payload.authentication", "TLS, SCRAM-SHA-512", "got 'PLAIN'");

        create("open", ClientAuthentication.NONE);
        assertThat(rejected(h.send(h.on("open").createUser("py-app", List.of(), null, "SCRAM-SHA-512"))).getCode())
                .as("a cluster that names no client has no users of either kind").isEqualTo(RejectionCode.NOT_SUPPORTED_ON_CLUSTER);
        assertThat(h.state("payments").getUsers()).isEmpty();
    }
}
