package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.IncreasePartitions;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.TopicSpec;
import io.coxswain.commands.CommandBuilder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DECIDE and FOLD of IncreasePartitions through the real topology: a topic's partitions only grow. */
class TopicRulesTopologyTest {

    private final TopologyHarness h = new TopologyHarness();

    @BeforeEach
    void createPaymentsWithOrders() {
        acceptedVersion(h.send(on("payments").createCluster("4.1.0", 3, 3, "10Gi")));
        acceptedVersion(h.send(on("payments").createTopic("orders", 6, 3, Map.of("retention.ms", "1000"))));
    }

    @AfterEach
    void close() {
        h.close();
    }

    private CommandBuilder on(String cluster) {
        return h.on(cluster);
    }

    private TopicSpec orders() {
        return h.state("payments").getTopics().get("orders");
    }

    @Test
    void anIncreaseRaisesThePartitionsAndKeepsTheRestOfTheTopic() {
        assertThat(acceptedVersion(h.send(on("payments").increasePartitions("orders", 12)))).isEqualTo(3);
        assertThat(orders()).isEqualTo(new TopicSpec(12, 3, Map.of("retention.ms", "1000")));
        assertThat(acceptedVersion(h.send(on("payments").expectedVersion(3).increasePartitions("orders", 13)))).isEqualTo(4);
        assertThat(orders().getPartitions()).isEqualTo(13);
    }

    @Test
    void fewerPartitionsAreRefusedSayingWhatToDoInstead() {
        CommandRejected r = rejected(h.send(on("payments").increasePartitions("orders", 3)));
        assertThat(r.getCode()).isEqualTo(RejectionCode.PARTITIONS_CANNOT_DECREASE);
        assertThat(r.getReason()).contains("topic 'orders' of cluster 'payments' has 6 partitions", "Kafka cannot remove partitions",
                "create a new topic with 3 partitions", "DeleteTopic");
        assertThat(orders().getPartitions()).isEqualTo(6);
        assertThat(h.state("payments").getVersion()).isEqualTo(2);
    }

    @Test
    void theSameCountIsNoChangeAndAnUnknownTopicIsNotFound() {
        CommandRejected same = rejected(h.send(on("payments").increasePartitions("orders", 6)));
        assertThat(same.getCode()).isEqualTo(RejectionCode.NO_CHANGE);
        assertThat(same.getReason()).contains("already has 6 partitions");

        CommandRejected unknown = rejected(h.send(on("payments").increasePartitions("invoices", 12)));
        assertThat(unknown.getCode()).isEqualTo(RejectionCode.TOPIC_NOT_FOUND);
        assertThat(unknown.getReason()).contains("topic 'invoices' does not exist on cluster 'payments'");

        acceptedVersion(h.send(on("payments").deleteTopic("orders")));
        assertThat(rejected(h.send(on("payments").increasePartitions("orders", 12))).getCode()).isEqualTo(RejectionCode.TOPIC_NOT_FOUND);
    }

    @Test
    void aMalformedIncreaseIsRejectedNamingTheField() {
        // straight to the topic, as a service that bypasses the builder's checks would produce it
        CommandRejected zero = rejected(h.send(raw(new IncreasePartitions("orders", 0))));
        assertThat(zero.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(zero.getReason()).contains("payload.partitions", "between 1 and 10000", "got 0");
        CommandRejected name = rejected(h.send(raw(new IncreasePartitions("orders?", 12))));
        assertThat(name.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(name.getReason()).contains("payload.name", "'orders?'");
        assertThat(orders().getPartitions()).isEqualTo(6);
    }

    @Test
    void anIncreaseDoesNotWaitForARunningOperationButIsRefusedWhilePausedOrDeleting() {
        // as UpdateTopicConfig: no pod rolls for it; the executor applies it once the operation ends
        acceptedVersion(h.send(on("payments").observation("exec", new OperationObserved("Reconfigure/c-1", "Reconfigure", OperationState.RUNNING, "c-1", null))));
        acceptedVersion(h.send(on("payments").increasePartitions("orders", 8)));
        assertThat(orders().getPartitions()).isEqualTo(8);

        acceptedVersion(h.send(on("payments").pause("maintenance")));
        assertThat(rejected(h.send(on("payments").increasePartitions("orders", 9))).getCode()).isEqualTo(RejectionCode.CLUSTER_PAUSED);
        acceptedVersion(h.send(on("payments").resume()));
        acceptedVersion(h.send(on("payments").deleteCluster(false)));
        assertThat(rejected(h.send(on("payments").increasePartitions("orders", 9))).getCode()).isEqualTo(RejectionCode.CLUSTER_DELETING);
        assertThat(orders().getPartitions()).isEqualTo(8);
    }

    /** A command built without the builder's shape check. */
    private Command raw(Object payload) {
        Command c = on("payments").resume();
        c.setPayload(payload);
        return c;
    }
}
