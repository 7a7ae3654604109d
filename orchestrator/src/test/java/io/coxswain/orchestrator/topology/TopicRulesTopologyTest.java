package io.coxswain.orchestrator.topology;

import static io.coxswain.orchestrator.topology.TopologyHarness.acceptedVersion;
import static io.coxswain.orchestrator.topology.TopologyHarness.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.coxswain.avro.command.ChangeReplicationFactor;
import io.coxswain.avro.command.Command;
import io.coxswain.avro.command.IncreasePartitions;
import io.coxswain.avro.command.OperationObserved;
import io.coxswain.avro.command.OperationState;
import io.coxswain.avro.command.ReplicationObserved;
import io.coxswain.avro.command.TopicReplicationObserved;
import io.coxswain.avro.event.CommandRejected;
import io.coxswain.avro.event.RejectionCode;
import io.coxswain.avro.state.TopicReplicationStatus;
import io.coxswain.avro.state.TopicSpec;
import io.coxswain.commands.CommandBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DECIDE and FOLD of IncreasePartitions and ChangeReplicationFactor through the real topology: a
 * topic's partitions only grow; its replication factor goes up or down within the brokers and above
 * its min.insync.replicas.
 */
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
    void aMalformedChangeIsRejectedNamingTheField() {
        // straight to the topic, as a service that bypasses the builder's checks would produce it
        invalid(new IncreasePartitions("orders", 0), "payload.partitions", "between 1 and 10000", "got 0");
        invalid(new IncreasePartitions("orders?", 12), "payload.name", "'orders?'");
        invalid(new ChangeReplicationFactor("orders", 0), "payload.replicationFactor", "between 1 and 100", "got 0");
        invalid(new ChangeReplicationFactor("orders?", 2), "payload.name", "'orders?'");
        assertThat(orders()).isEqualTo(new TopicSpec(6, 3, Map.of("retention.ms", "1000")));
    }

    private void invalid(Object payload, String... reason) {
        refused(raw(payload), RejectionCode.INVALID_COMMAND, reason);
    }

    private void refused(Command c, RejectionCode code, String... reason) {
        CommandRejected r = rejected(h.send(c));
        assertThat(r.getCode()).isEqualTo(code);
        assertThat(r.getReason()).contains(reason);
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

    @Test
    void theReplicationFactorGoesUpAndDownAndKeepsTheRestOfTheTopic() {
        acceptedVersion(h.send(on("payments").scaleBrokers(5)));
        assertThat(acceptedVersion(h.send(on("payments").changeReplicationFactor("orders", 5)))).isEqualTo(4);
        assertThat(orders()).isEqualTo(new TopicSpec(6, 5, Map.of("retention.ms", "1000")));
        assertThat(acceptedVersion(h.send(on("payments").expectedVersion(4).changeReplicationFactor("orders", 1)))).isEqualTo(5);
        assertThat(orders()).isEqualTo(new TopicSpec(6, 1, Map.of("retention.ms", "1000")));
    }

    @Test
    void theSameFactorIsNoChangeAnUnknownTopicNotFoundAndMoreThanTheBrokersTooHigh() {
        refused(on("payments").changeReplicationFactor("orders", 3), RejectionCode.NO_CHANGE,
                "topic 'orders' of cluster 'payments' already has replication factor 3");
        refused(on("payments").changeReplicationFactor("invoices", 2), RejectionCode.TOPIC_NOT_FOUND,
                "topic 'invoices' does not exist on cluster 'payments'");
        refused(on("payments").changeReplicationFactor("orders", 4), RejectionCode.REPLICATION_FACTOR_TOO_HIGH,
                "replication factor 4 for topic 'orders' is more than the 3 brokers of cluster 'payments'; lower it or scale the brokers first");
        assertThat(orders().getReplicationFactor()).isEqualTo(3);
        assertThat(h.state("payments").getVersion()).isEqualTo(2);
    }

    @Test
    void aScaleInAlreadyAcceptedCountsAndLoweringTheFactorMakesRoomForOne() {
        CommandRejected wouldNotFit = rejected(h.send(on("payments").scaleBrokers(2)));
        assertThat(wouldNotFit.getCode()).isEqualTo(RejectionCode.REPLICAS_WOULD_NOT_FIT);
        assertThat(wouldNotFit.getReason()).contains("ChangeReplicationFactor");
        acceptedVersion(h.send(on("payments").changeReplicationFactor("orders", 2)));
        acceptedVersion(h.send(on("payments").scaleBrokers(2)));
        assertThat(rejected(h.send(on("payments").changeReplicationFactor("orders", 3))).getCode())
                .isEqualTo(RejectionCode.REPLICATION_FACTOR_TOO_HIGH);
    }

    @Test
    void aFactorNotAboveMinInsyncReplicasIsRefusedSayingToLowerItFirst() {
        acceptedVersion(h.send(on("payments").updateTopicConfig("orders", Map.of("min.insync.replicas", "2"), List.of())));
        CommandRejected equal = rejected(h.send(on("payments").changeReplicationFactor("orders", 2)));
        assertThat(equal.getCode()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(equal.getReason()).contains("replication factor 2 for topic 'orders'", "the topic's min.insync.replicas=2",
                "acks=all", "while any one replica is down", "UpdateTopicConfig orders min.insync.replicas=1");
        CommandRejected below = rejected(h.send(on("payments").changeReplicationFactor("orders", 1)));
        assertThat(below.getReason()).contains("could never write to it");
        assertThat(orders().getReplicationFactor()).isEqualTo(3);

        // min.insync.replicas=1, Kafka's default, holds nothing back; nor does the brokers' setting once the topic has its own
        acceptedVersion(h.send(on("payments").updateBrokerConfig(Map.of("min.insync.replicas", "3"), List.of())));
        acceptedVersion(h.send(on("payments").updateTopicConfig("orders", Map.of("min.insync.replicas", "1"), List.of())));
        acceptedVersion(h.send(on("payments").changeReplicationFactor("orders", 1)));
        // without its own, the topic takes the brokers'
        acceptedVersion(h.send(on("payments").updateTopicConfig("orders", Map.of(), List.of("min.insync.replicas"))));
        assertThat(rejected(h.send(on("payments").changeReplicationFactor("orders", 2))).getReason())
                .contains("the brokers' min.insync.replicas=3", "could never write to it");
        assertThat(orders().getReplicationFactor()).isEqualTo(1);
    }

    @Test
    void aChangeDoesNotWaitForARunningOperation() {
        // the executor holds it back until the operation ends, so no replica moves onto a broker a scale-in drains
        acceptedVersion(h.send(on("payments").observation("exec", new OperationObserved("Reconfigure/c-1", "Reconfigure", OperationState.RUNNING, "c-1", null))));
        acceptedVersion(h.send(on("payments").changeReplicationFactor("orders", 2)));
        assertThat(orders().getReplicationFactor()).isEqualTo(2);
    }

    /** A command built without the builder's shape check. */
    private Command raw(Object payload) {
        Command c = on("payments").resume();
        c.setPayload(payload);
        return c;
    }

    @Test
    void replicationProgressKeepsWhenItBeganUntilTheTopicHasItsFactorOrGoes() {
        acceptedVersion(h.send(on("payments").changeReplicationFactor("orders", 2)));
        acceptedVersion(h.send(on("payments").createTopic("audit", 1, 3, Map.of())));
        acceptedVersion(h.send(on("payments").observation("exec", new ReplicationObserved(Map.of("orders", new TopicReplicationObserved(2, 6, 0, 0, null),
                "audit", new TopicReplicationObserved(3, 1, 0, 0, "replication factor 3 needs 3 brokers up"))))));
        TopicReplicationStatus first = h.state("payments").getStatus().getReplication().get("orders");
        assertThat(first.getAtFactor()).isZero();
        assertThat(first.getSince()).isEqualTo(first.getUpdatedAt());

        acceptedVersion(h.send(on("payments").observation("exec", new ReplicationObserved(Map.of("orders", new TopicReplicationObserved(2, 6, 4, 2, null),
                "audit", new TopicReplicationObserved(3, 1, 0, 0, "replication factor 3 needs 3 brokers up"))))));
        TopicReplicationStatus later = h.state("payments").getStatus().getReplication().get("orders");
        assertThat(later.getAtFactor()).isEqualTo(4);
        assertThat(later.getMoving()).isEqualTo(2);
        assertThat(later.getSince()).as("the same change, still under way").isEqualTo(first.getSince());
        assertThat(h.state("payments").getStatus().getReplication().get("audit").getBlocked()).contains("needs 3 brokers");

        acceptedVersion(h.send(on("payments").deleteTopic("audit")));
        assertThat(h.state("payments").getStatus().getReplication()).as("a deleted topic's change is over").containsOnlyKeys("orders");
        acceptedVersion(h.send(on("payments").observation("exec", new ReplicationObserved(Map.of()))));
        assertThat(h.state("payments").getStatus().getReplication()).as("every topic at its factor").isEmpty();
    }
}
