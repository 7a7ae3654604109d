package io.coxswain.orchestrator.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ClientAuthentication;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.ComponentObserved;
import io.coxswain.avro.command.CreateCluster;
import io.coxswain.avro.command.EndpointObserved;
import io.coxswain.avro.command.OffsetResetObserved;
import io.coxswain.avro.command.OffsetResetState;
import io.coxswain.avro.command.OffsetResetTarget;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.OperationStepObserved;
import io.coxswain.avro.command.PartitionOffsetReset;
import io.coxswain.avro.command.StepState;
import io.coxswain.avro.command.StorageRequest;
import io.coxswain.avro.command.TopicsObserved;
import io.coxswain.avro.state.ClusterState;
import io.coxswain.commands.AclRules;
import io.coxswain.commands.CommandBuilder;
import io.coxswain.commands.Commands;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FOLD shares the collections of the state it is given with the state it returns (see
 * {@link NextState}); the stores and the task's decoded-state cache still hold the given one. So no
 * command may change the state it was applied to, or a cached state would drift from its stored bytes
 * and a replay would no longer reproduce the live state.
 */
class NextStateTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void noCommandChangesTheStateItIsAppliedTo() throws Exception {
        List<Command> log = everyKindOfCommand("payments");
        ClusterState state = null;
        for (Command c : log) {
            assertThat(Decide.check(state, c)).as("the script is a valid history: %s", c).isEmpty();
            ByteBuffer before = state == null ? null : state.toByteBuffer();
            ClusterState next = Evolve.apply(state, c);
            if (state != null) {
                assertThat(state.toByteBuffer()).as("state before %s", Commands.typeOf(c)).isEqualTo(before);
                assertThat(Evolve.apply(state, c)).as("applying %s again to the same state", Commands.typeOf(c)).isEqualTo(next);
            }
            state = next;
        }
        assertThat(state.getVersion()).isEqualTo(log.size());
    }

    /** The approval steps go through CommandFold (a proposal is its decision, not Evolve's): none changes the state it was given. */
    @Test
    void noApprovalStepChangesTheStateItIsAppliedTo() throws Exception {
        String id = "payments";
        List<Command> log = new ArrayList<>();
        log.add(on(id, log).createCluster("4.1.0", 1, 3, "10Gi"));
        log.add(on(id, log).createTopic("orders", 3, 1, Map.of()));
        log.add(on(id, log).createTopic("audit", 3, 1, Map.of()));
        log.add(on(id, log).setApprovalPolicy(List.of(new io.coxswain.avro.command.ApprovalRule(List.of("DeleteTopic"), 2)), 1));
        log.add(on(id, log).commandId("p1").deleteTopic("orders"));
        log.add(on(id, log).issuer("bob").approve("p1"));
        log.add(on(id, log).issuer("carol").approve("p1"));
        log.add(on(id, log).commandId("p2").deleteTopic("audit"));
        log.add(on(id, log).issuer("bob").rejectProposal("p2", "still read"));
        log.add(on(id, log).commandId("p3").deleteTopic("audit"));
        log.add(on(id, log).withdrawProposal("p3", null));
        log.add(on(id, log).commandId("p4").deleteTopic("audit"));
        log.add(on(id, log).issuedAt(T0.plusSeconds(7200)).observation("exec", new EndpointObserved("b:9092"))); // p4 expires
        log.add(on(id, log).commandId("p5").issuedAt(T0.plusSeconds(7300)).deleteTopic("audit"));
        log.add(on(id, log).issuedAt(T0.plusSeconds(7400)).deleteCluster(false)); // ends p5
        ClusterState[] state = {null};
        CommandFold.Memory memory = new CommandFold.Memory() {
            @Override
            public java.util.Optional<ClusterState> state(String clusterId) {
                return java.util.Optional.ofNullable(state[0]);
            }

            @Override
            public java.util.Optional<io.coxswain.avro.event.Decision> decided(String clusterId, String commandId) {
                return java.util.Optional.empty();
            }
        };
        for (Command c : log) {
            ByteBuffer before = state[0] == null ? null : state[0].toByteBuffer();
            CommandFold.Step step = CommandFold.apply(memory, c, 0);
            assertThat(step.accepted()).as("the script is a valid history: %s", c).isTrue();
            if (state[0] != null) {
                assertThat(state[0].toByteBuffer()).as("state before %s", Commands.typeOf(c)).isEqualTo(before);
            }
            state[0] = step.newState().orElseThrow();
        }
        assertThat(state[0].getStatus().getProposalOutcomes()).extracting(o -> o.getCommandId() + ":" + o.getState())
                .containsExactly("p1:APPLIED", "p2:REJECTED", "p3:WITHDRAWN", "p4:EXPIRED", "p5:REFUSED");
        assertThat(state[0].getVersion()).isEqualTo(log.size());
    }

    /** A history that changes every part of the state: spec, topics, users, operation and its steps. */
    private static List<Command> everyKindOfCommand(String id) {
        List<Command> log = new ArrayList<>();
        log.add(on(id, log).createCluster(CreateCluster.newBuilder().setKafkaVersion("4.1.0").setControllers(3).setBrokers(3)
                .setStorage(StorageRequest.newBuilder().setSize("10Gi").build()).setClientAuthentication(ClientAuthentication.TLS).build()));
        log.add(on(id, log).observation("exec", new ComponentObserved("controllers", 3, 3, List.of("4.1.0"), null)));
        log.add(on(id, log).observation("exec", new ComponentObserved("brokers", 3, 3, List.of("4.1.0"), null)));
        log.add(on(id, log).observation("exec", new EndpointObserved(id + "-bootstrap:9092")));
        log.add(on(id, log).createTopic("orders", 6, 3, Map.of("retention.ms", "1000")));
        log.add(on(id, log).updateTopicConfig("orders", Map.of("retention.ms", "2000", "cleanup.policy", "compact"), List.of()));
        log.add(on(id, log).updateTopicConfig("orders", Map.of(), List.of("cleanup.policy")));
        log.add(on(id, log).increasePartitions("orders", 12));
        log.add(on(id, log).changeReplicationFactor("orders", 2));
        log.add(on(id, log).updateBrokerConfig(Map.of("log.retention.ms", "5000"), List.of()));
        log.add(on(id, log).upgradeKafka("4.1.1"));
        log.add(on(id, log).observation("exec", new OperationObserved("op-1", "RollingUpgrade", OperationState.RUNNING, null, null)));
        log.add(on(id, log).observation("exec", new OperationStepObserved("op-1", "restart", StepState.STARTED, 1, "KafkaVersionChanged", 0, 6)));
        log.add(on(id, log).observation("exec", new OperationStepObserved("op-1", "restart", StepState.FINISHED, 1, null, 1, 6)));
        log.add(on(id, log).observation("exec", new ComponentObserved("brokers", 3, 2, List.of("4.1.0", "4.1.1"), null)));
        log.add(on(id, log).observation("exec", new OperationObserved("op-1", "RollingUpgrade", OperationState.FAILED, null, "pod not Ready")));
        log.add(on(id, log).retryOperation("op-1", "the node is back"));
        log.add(on(id, log).observation("exec", new OperationObserved("op-1", "RollingUpgrade", OperationState.SUCCEEDED, null, null)));
        log.add(on(id, log).observation("exec", new TopicsObserved(List.of("legacy", "audit"))));
        log.add(on(id, log).restartCluster("brokers", "rotate certificates"));
        log.add(on(id, log).observation("exec", new OperationObserved("op-2", "RollingRestart", OperationState.RUNNING, null, null)));
        log.add(on(id, log).abandonOperation("op-2", "stuck"));
        log.add(on(id, log).scaleBrokers(4));
        log.add(on(id, log).updateResources("brokers", "1", null, "4Gi", "3g"));
        log.add(on(id, log).updateResources("brokers", null, null, "8Gi", null));
        log.add(on(id, log).expandStorage("20Gi"));
        log.add(on(id, log).pause("maintenance"));
        log.add(on(id, log).resume());
        log.add(on(id, log).createUser("orders-app", List.of(AclRules.parse("topic:orders:prefixed:WRITE"))));
        log.add(on(id, log).createUser("audit", List.of()));
        log.add(on(id, log).updateUserAcls("orders-app", List.of(AclRules.parse("topic:orders:prefixed:WRITE,DESCRIBE"))));
        log.add(on(id, log).deleteUser("audit"));
        log.add(on(id, log).resetConsumerGroupOffsets("billing", List.of("orders"), OffsetResetTarget.EARLIEST, null, null, "replay"));
        Map<String, List<PartitionOffsetReset>> plan = Map.of("orders", List.of(new PartitionOffsetReset(0, 42L, 0L)));
        log.add(on(id, log).observation("exec", new OffsetResetObserved("c" + (log.size() - 1), "billing", OffsetResetState.PLANNED, plan, null)));
        log.add(on(id, log).observation("exec", new OffsetResetObserved("c" + (log.size() - 2), "billing", OffsetResetState.DONE, plan, null)));
        log.add(on(id, log).deleteTopic("orders"));
        log.add(on(id, log).deleteCluster(true));
        return log;
    }

    private static CommandBuilder on(String id, List<Command> log) {
        return Commands.on(id).commandId("c" + log.size()).issuer("test").issuedAt(T0.plusSeconds(log.size()));
    }
}
