package io.coxswain.commands.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coxswain.avro.command.Command;
import io.coxswain.commands.Commands;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A new cluster's id never names a namespace Kubernetes keeps for itself: with the default namespace template {@code {cluster}}
 * Coxswain would make the cluster's pods and key Secrets there. Refused at creation, naming {@code clusterId}; a cluster that
 * already has such an id (made before the rule) still takes every other command, its deletion among them.
 */
class ClusterIdShapeTest {

    private static List<String> violations(Command c) {
        return CommandShape.check(c).stream().map(Violation::toString).toList();
    }

    private static Command create(String clusterId) {
        Command c = Commands.on("payments").issuer("alice").createCluster("4.1.0", 3, 3, "10Gi");
        c.setClusterId(clusterId);
        return c;
    }

    @Test
    void aClusterNamedLikeAKubernetesNamespaceIsRefusedSayingWhyAndWhatToDo() {
        for (String id : List.of("default", "kube-system", "kube-public", "kube-node-lease", "kube-anything")) {
            assertThat(violations(create(id))).as(id).singleElement().satisfies(v -> assertThat(v).startsWith("clusterId: '" + id + "'")
                    .contains("a namespace Kubernetes keeps for itself", "namespace template {cluster}", "choose another id"));
        }
        assertThatThrownBy(() -> Commands.on("kube-system").issuer("alice").createCluster("4.1.0", 3, 3, "10Gi"))
                .isInstanceOf(InvalidCommandException.class).hasMessageContaining("clusterId");
    }

    @Test
    void idsThatOnlyLookAlikeAreFree() {
        for (String id : List.of("defaults", "my-default", "kube", "kubernetes", "payments-kube-system", "kubesystem")) {
            assertThat(violations(create(id))).as(id).isEmpty();
        }
    }

    @Test
    void aClusterAlreadyUnderSuchAnIdStillTakesItsOtherCommands() {
        Command delete = Commands.on("payments").issuer("alice").deleteCluster(false);
        delete.setClusterId("default");
        assertThat(violations(delete)).isEmpty();
        Command scale = Commands.on("payments").issuer("alice").scaleBrokers(4);
        scale.setClusterId("kube-system");
        assertThat(violations(scale)).isEmpty();
    }
}
