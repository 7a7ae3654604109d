package io.coxswain.orchestrator.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.commands.Commands;
import org.junit.jupiter.api.Test;

/**
 * The fold refuses a CreateCluster whose id names a namespace Kubernetes keeps for itself, as the gateway does (a command
 * produced straight to the topic skips the gateway), with the same words every time: a replay decides it alike.
 */
class ReservedClusterIdTest {

    @Test
    void aCreateClusterNamedLikeAKubernetesNamespaceIsRejectedInvalidNamingClusterId() {
        Command create = Commands.on("payments").issuer("alice").commandId("create-kube").createCluster("4.1.0", 3, 3, "10Gi");
        create.setClusterId("kube-system");
        Rejection rejection = Decide.check(null, create).orElseThrow();
        assertThat(rejection.code()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(rejection.reason()).contains("clusterId: 'kube-system' is a namespace Kubernetes keeps for itself", "choose another id");
        assertThat(Decide.check(null, create)).as("deterministic").contains(rejection);
    }
}
