package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ChangeClientAuthentication;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.commands.AclRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DECIDE and FOLD of ChangeClientAuthentication, through the real topology: NONE, OPTIONAL and TLS,
 * one step at a time, never leaving users whose ACLs would stop applying or components without the
 * user they must connect as.
 */
class ClientAuthRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private String clientAuthentication(String cluster) {
        return h.state(cluster).getSpec().getClientAuthentication();
    }

    @Test
    void aNoneClusterMovesToOptionalWhereUsersApplyThenToTlsAndBackOneStepAtATime() {
        acceptedVersion(h.send(h.on("pay").createCluster("4.1.0", 3, 3, "10Gi")));
        CommandRejected noUsers = rejected(h.send(h.on("pay").createUser("orders-app", List.of())));
        assertThat(noUsers.getCode()).isEqualTo(RejectionCode.NOT_SUPPORTED_ON_CLUSTER);
        assertThat(noUsers.getReason()).contains("move it to clientAuthentication OPTIONAL first (ChangeClientAuthentication)");

        CommandRejected leap = rejected(h.send(h.on("pay").changeClientAuthentication("TLS")));
        assertThat(leap.getCode()).isEqualTo(RejectionCode.NOT_SUPPORTED_ON_CLUSTER);
        assertThat(leap.getReason()).contains("from clientAuthentication NONE to TLS in one step", "cut off at once",
                "Change it to OPTIONAL first", "CreateUser");

        assertThat(acceptedVersion(h.send(h.on("pay").changeClientAuthentication("OPTIONAL")))).isEqualTo(2);
        assertThat(clientAuthentication("pay")).isEqualTo("OPTIONAL");
        acceptedVersion(h.send(h.on("pay").createUser("orders-app", List.of(AclRules.parse("topic:orders:WRITE")))));
        assertThat(rejected(h.send(h.on("pay").changeClientAuthentication("OPTIONAL"))).getCode()).isEqualTo(RejectionCode.NO_CHANGE);

        acceptedVersion(h.send(h.on("pay").changeClientAuthentication("TLS")));
        assertThat(clientAuthentication("pay")).isEqualTo("TLS");
        CommandRejected down = rejected(h.send(h.on("pay").changeClientAuthentication("NONE")));
        assertThat(down.getReason()).contains("change it to OPTIONAL first, then delete its users (DeleteUser), then change it to NONE");

        acceptedVersion(h.send(h.on("pay").changeClientAuthentication("OPTIONAL")));
        CommandRejected withUsers = rejected(h.send(h.on("pay").changeClientAuthentication("NONE")));
        assertThat(withUsers.getCode()).isEqualTo(RejectionCode.NOT_SUPPORTED_ON_CLUSTER);
        assertThat(withUsers.getReason()).contains("still has users orders-app", "would silently stop applying", "DeleteUser");
        acceptedVersion(h.send(h.on("pay").deleteUser("orders-app")));
        acceptedVersion(h.send(h.on("pay").changeClientAuthentication("NONE")));
        assertThat(clientAuthentication("pay")).isEqualTo("NONE");
    }

    @Test
    void tlsWaitsForEveryComponentsUserAndOptionalLetsAComponentRunWithoutOne() {
        acceptedVersion(h.send(h.on("pay").createCluster("4.1.0", 3, 3, "10Gi")));
        acceptedVersion(h.send(h.on("pay").changeClientAuthentication("OPTIONAL")));
        acceptedVersion(h.send(h.on("pay").setComponent("schema-registry", 1, null, null, Map.of())));
        CommandRejected unnamed = rejected(h.send(h.on("pay").changeClientAuthentication("TLS")));
        assertThat(unnamed.getCode()).isEqualTo(RejectionCode.USER_NOT_FOUND);
        assertThat(unnamed.getReason()).contains("platform component(s) schema-registry", "CreateUser");

        acceptedVersion(h.send(h.on("pay").setComponent("connect", 1, null, null, Map.of())));
        acceptedVersion(h.send(h.on("pay").createUser("connect", List.of(AclRules.parse("group:connect:READ")))));
        acceptedVersion(h.send(h.on("pay").deleteUser("connect"))); // allowed: on OPTIONAL a component does not connect as its user yet
        acceptedVersion(h.send(h.on("pay").removeComponent("connect")));
        acceptedVersion(h.send(h.on("pay").createUser("schema-registry", List.of(AclRules.parse("topic:_schemas:ALL")))));
        acceptedVersion(h.send(h.on("pay").changeClientAuthentication("TLS")));
        CommandRejected cut = rejected(h.send(h.on("pay").deleteUser("schema-registry")));
        assertThat(cut.getReason()).as("on TLS the component connects as its user").contains("would cut the component off the cluster");
    }

    @Test
    void aChangeWaitsForTheRunningOperationAndBadInputNamesTheField() {
        acceptedVersion(h.send(h.on("pay").createCluster("4.1.0", 3, 3, "10Gi")));
        acceptedVersion(h.send(h.on("pay").observation("exec", new OperationObserved("ScaleOut/c-1", "ScaleOut", OperationState.RUNNING, "c-1", null))));
        assertThat(rejected(h.send(h.on("pay").changeClientAuthentication("OPTIONAL"))).getCode()).isEqualTo(RejectionCode.OPERATION_IN_PROGRESS);

        Command raw = h.on("pay").resume();
        raw.setPayload(new ChangeClientAuthentication("MTLS")); // straight to the topic, past the builder's check
        CommandRejected bad = rejected(h.send(raw));
        assertThat(bad.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(bad.getReason()).contains("payload.clientAuthentication: must be one of NONE, OPTIONAL, TLS, got 'MTLS'");
        assertThat(clientAuthentication("pay")).isEqualTo("NONE");
    }
}
