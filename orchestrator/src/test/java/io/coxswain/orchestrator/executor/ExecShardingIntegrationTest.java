package io.coxswain.orchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.RecordObservation;
import io.coxswain.avro.command.ResourceAction;
import io.coxswain.avro.command.ResourceActionObserved;
import io.coxswain.commands.Commands;
import io.coxswain.orchestrator.fold.Phases;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Executors sharing one bootstrap Kafka: each cluster has one executor, and a successor resumes without repeating work.
 * The tests share the node and the sandbox (their start was much of each test's time), each with its own clusters; every
 * executor is stopped after its test, so the next one's group starts empty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecShardingIntegrationTest {

    private static final int PARTITIONS = 3;
    private ExecutorWorld world;

    @BeforeAll
    void start() {
        world = new ExecutorWorld(PARTITIONS);
    }

    @AfterEach
    void stopExecutors() {
        world.stopExecutors();
    }

    @AfterAll
    void stop() {
        world.close();
    }

    @Test
    void twoExecutorsSplitTheClustersAndNeverBothActOnOne() {
        KubernetesExecutor a = world.executor("exec-a");
        KubernetesExecutor b = world.executor("exec-b");
        ExecutorWorld.await(Duration.ofSeconds(60), "the group to settle on disjoint partitions", () -> {
            Set<Integer> pa = a.ownedPartitions();
            Set<Integer> pb = b.ownedPartitions();
            Set<Integer> all = new HashSet<>(pa);
            all.addAll(pb);
            return !pa.isEmpty() && !pb.isEmpty() && all.size() == PARTITIONS && pa.size() + pb.size() == PARTITIONS;
        });
        String onA = StatePartitions.clusterOn(a.ownedPartitions(), PARTITIONS, "alpha");
        String onB = StatePartitions.clusterOn(b.ownedPartitions(), PARTITIONS, "beta");
        world.send(Commands.on(onA).createCluster("4.1.0", 1, 1, "1Gi"));
        world.send(Commands.on(onB).createCluster("4.1.0", 1, 1, "1Gi"));
        world.awaitPhase(onA, Phases.READY);
        world.awaitPhase(onB, Phases.READY);

        assertThat(observers(world, onA)).containsExactly("exec-a");
        assertThat(observers(world, onB)).containsExactly("exec-b");
        assertThat(a.ownedClusters()).contains(onA).doesNotContain(onB);
        assertThat(b.ownedClusters()).contains(onB).doesNotContain(onA);
    }

    @Test
    void aSuccessorResumesAfterACrashWithoutRepeatingActions() {
        // the first executor "dies" after its fourth action on the cluster: from then on nothing it does there reaches the log or
        // the cluster (the other test's clusters, if it ran first, are Ready: nothing to do there)
        AtomicInteger actions = new AtomicInteger();
        AtomicBoolean crashed = new AtomicBoolean();
        KubernetesExecutor first = world.executor("exec-1", sink -> (clusterId, observation) -> {
            if ("resume".equals(clusterId) && observation instanceof ResourceActionObserved && actions.incrementAndGet() > 4) {
                crashed.set(true);
                throw new IllegalStateException("simulated crash before recording (and taking) the action");
            }
            return sink.record(clusterId, observation);
        });
        world.send(Commands.on("resume").commandId("create-r").createCluster("4.1.0", 1, 2, "1Gi"));
        ExecutorWorld.await(Duration.ofSeconds(60), "the first executor to crash mid-way", crashed::get);
        world.stop(first);
        assertThat(world.state("resume").orElseThrow().getStatus().getPhase()).isEqualTo(Phases.PENDING);

        world.executor("exec-2");
        world.awaitPhase("resume", Phases.READY);

        List<Map.Entry<String, ResourceActionObserved>> recorded = world.actions("resume");
        List<String> creates = recorded.stream().map(Map.Entry::getValue).filter(x -> x.getAction() == ResourceAction.CREATE)
                .map(x -> x.getKind() + "/" + x.getName()).toList();
        // 13 objects (the namespace and the NetworkPolicies among them), the record of those made, and the 4 TLS Secrets (Coxswain's
        // own client certificate the fourth), each made once although the first executor died among them
        assertThat(creates).hasSize(18).doesNotHaveDuplicates();
        assertThat(recorded).filteredOn(e -> e.getKey().equals("exec-1")).hasSize(4);
        assertThat(recorded).extracting(e -> e.getValue().getAction()).containsOnly(ResourceAction.CREATE);
        assertThat(recorded).allSatisfy(e -> assertThat(e.getValue().getCauseCommandId()).isEqualTo("create-r"));
    }

    private static Set<String> observers(ExecutorWorld world, String clusterId) {
        return world.commandLog().stream().filter(c -> c.getClusterId().equals(clusterId))
                .map(Command::getPayload).filter(RecordObservation.class::isInstance)
                .map(p -> ((RecordObservation) p).getObserver()).collect(Collectors.toSet());
    }
}
