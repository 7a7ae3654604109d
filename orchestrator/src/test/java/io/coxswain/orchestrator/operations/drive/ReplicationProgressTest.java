package io.coxswain.orchestrator.operations.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.TopicReplicationObserved;
import io.coxswain.avro.state.TopicReplicationStatus;
import io.coxswain.avro.state.TopicSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

/** How far a topic's change of replication factor got, as counted from one describe, and when the log already says so. */
class ReplicationProgressTest {

    private static final Map<String, TopicSpec> WANTED = Map.of("orders", new TopicSpec(3, 3, Map.of()), "audit", new TopicSpec(1, 1, Map.of()));

    @Test
    void aPartitionCountsOnceItHasTheFactorAndNothingMovesIt() {
        // orders-0 done; orders-1 mid-copy (old and new replicas together); orders-2 not started
        Map<String, TopicDescription> live = Map.of("orders", topic("orders", List.of(1, 2, 3), List.of(1, 2, 3, 4), List.of(1)),
                "audit", topic("audit", List.of(2)));
        Map<String, TopicReplicationObserved> progress = ReplicationProgress.of(WANTED, live, Set.of(new TopicPartition("orders", 1)), Map.of());
        assertThat(progress).as("audit has its factor").containsOnlyKeys("orders");
        assertThat(progress.get("orders")).isEqualTo(new TopicReplicationObserved(3, 3, 1, 1, null));

        // a partition of the right size still being reassigned (its replicas moving between brokers) is not done yet
        Map<String, TopicDescription> sized = Map.of("orders", topic("orders", List.of(1, 2, 3), List.of(1, 2, 3), List.of(1, 2, 3)));
        assertThat(ReplicationProgress.of(WANTED, sized, Set.of(new TopicPartition("orders", 2)), Map.of()).get("orders").getAtFactor()).isEqualTo(2);
        assertThat(ReplicationProgress.of(WANTED, sized, Set.of(), Map.of())).as("done: nothing to report").isEmpty();
    }

    @Test
    void aTopicTooFewBrokersCanHoldSaysWhy() {
        Map<String, TopicDescription> live = Map.of("orders", topic("orders", List.of(1), List.of(1), List.of(1)));
        assertThat(ReplicationProgress.of(WANTED, live, Set.of(), Map.of("orders", "needs 3 brokers up")).get("orders").getBlocked())
                .isEqualTo("needs 3 brokers up");
    }

    @Test
    void theLogSaysSoWhenEveryCountAndReasonMatchWhateverTheTimes() {
        Instant t = Instant.parse("2026-12-06T04:00:00Z");
        Map<String, TopicReplicationStatus> folded = Map.of("orders", new TopicReplicationStatus(3, 3, 1, 1, null, t, t.plusSeconds(5)));
        assertThat(ReplicationProgress.sameAs(Map.of("orders", new TopicReplicationObserved(3, 3, 1, 1, null)), folded)).isTrue();
        assertThat(ReplicationProgress.sameAs(Map.of("orders", new TopicReplicationObserved(3, 3, 2, 0, null)), folded)).isFalse();
        assertThat(ReplicationProgress.sameAs(Map.of(), folded)).as("done, the log does not say so yet").isFalse();
        assertThat(ReplicationProgress.sameAs(Map.of(), Map.of())).isTrue();
    }

    private static TopicDescription topic(String name, List<Integer>... replicasPerPartition) {
        List<TopicPartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < replicasPerPartition.length; p++) {
            List<Node> replicas = replicasPerPartition[p].stream().map(id -> new Node(id, "localhost", 9092 + id)).toList();
            partitions.add(new TopicPartitionInfo(p, replicas.get(0), replicas, replicas));
        }
        return new TopicDescription(name, false, partitions);
    }
}
