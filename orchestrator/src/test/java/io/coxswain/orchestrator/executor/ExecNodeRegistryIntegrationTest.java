package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.Topics;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.Commands;
import io.coxswain.commands.client.Outcome;
import io.coxswain.orchestrator.fold.Phases;
import org.junit.jupiter.api.Test;

/**
 * The executor of a node ({@code coxswain run}, {@code dev}) reads and writes every schema through the node's registry:
 * one that opened its own would be another consumer reading the whole schemas topic at start, and another copy of every
 * schema. It borrows the registry, so it never closes it.
 */
class ExecNodeRegistryIntegrationTest {

    @Test
    void anExecutorGivenTheNodesRegistryDecodesStatesAndEncodesObservationsThroughItAndLeavesItOpen() {
        try (ExecutorWorld world = new ExecutorWorld(1)) {
            RecordingRegistry nodes = new RecordingRegistry(world.node.registry());
            KubernetesExecutor executor = world.executor("exec-a", nodes);
            String id = "orders";
            assertThat(world.send(Commands.on(id).commandId("create-o").createCluster("4.1.0", 1, 1, "1Gi"))).isInstanceOf(Outcome.Accepted.class);

            // Ready only once the executor has read the state and recorded what the sandbox shows
            ClusterState ready = world.awaitPhase(id, Phases.READY);
            assertThat(ready.getStatus().getComponents().get("brokers").getReady()).isEqualTo(1);
            assertThat(nodes.subjectsAnswered()).as("the state read and the observations written through the node's registry")
                    .contains(Topics.valueSubject(world.topics.state()), Topics.valueSubject(world.topics.commands()));

            world.stop(executor);
            assertThat(nodes.closes()).as("closes of the node's registry by the executor that borrowed it").isZero();
        }
    }
}
